// Turns Cloudflare SDK errors into Temporal failures: what no retry can fix (a token without the permission, a
// namespace or zone that does not exist, a request the API rejects) fails the activity for good with a message
// an operator can act on; what time fixes (429, 5xx, the network) stays retryable so Temporal's retry policy,
// visible in the workflow history, does the waiting.
import { APIConnectionError, APIError } from 'cloudflare';
import { ApplicationFailure } from '@temporalio/common';

/** ApplicationFailure types raised by the Cloudflare activities (usable in a RetryPolicy's nonRetryableErrorTypes). */
export const CloudflareFailureType = {
  permissionDenied: 'CloudflarePermissionDenied',
  notFound: 'CloudflareNotFound',
  requestRejected: 'CloudflareRequestRejected',
  rateLimited: 'CloudflareRateLimited',
  unavailable: 'CloudflareUnavailable',
  writeNotConfirmed: 'CloudflareWriteNotConfirmed',
  invalidInput: 'InvalidInput',
  notConfigured: 'CloudflareNotConfigured',
} as const;

export interface CloudflareCallContext {
  /** What the activity was doing, e.g. `write KV key "chat_surge_active"`. */
  operation: string;
  /** The API token permission the call needs, e.g. `Workers KV Storage:Edit on account 0123…`. */
  permission: string;
  /** What a 404 means for this call, e.g. which namespace ID is missing and where it is configured. */
  notFound: string;
}

/**
 * Cloudflare answers an invalid or under-privileged token with 401/403 and usually code 10000 ("Authentication
 * error"); 9109 (invalid access token) and 6003/6111 (malformed Authorization header) come back as 400.
 */
const AUTH_ERROR_CODES = new Set([10000, 9109, 6003, 6111]);
/** KV's "key not found" (the key is simply absent), as opposed to 10013, "namespace not found". */
export const KV_KEY_NOT_FOUND_CODE = 10009;
/** KV accepts one write per second per key; never retry a 429 sooner than that. */
const MIN_RATE_LIMIT_DELAY_MS = 1000;

export function isKvKeyNotFound(error: unknown): boolean {
  return error instanceof APIError && error.status === 404 && error.errors.some((e) => e.code === KV_KEY_NOT_FOUND_CODE);
}

/** An ApplicationFailure for `error`, or `error` itself when it is not a Cloudflare API error. */
export function toCloudflareFailure(error: unknown, context: CloudflareCallContext): unknown {
  if (error instanceof ApplicationFailure || !(error instanceof APIError)) return error;
  // Connection errors (timeouts included) have no status: the API may be fine and the path to it is not.
  const status = error.status;
  if (error instanceof APIConnectionError || status === undefined) {
    return failure(CloudflareFailureType.unavailable, `Could not reach the Cloudflare API to ${context.operation}: ${error.message}`, false, error);
  }
  const detail = describe(error);
  if (status === 401 || status === 403 || error.errors.some((e) => e.code !== undefined && AUTH_ERROR_CODES.has(e.code))) {
    const problem =
      status === 401
        ? 'the API token was not accepted; set CLOUDFLARE_API_TOKEN to a valid token with'
        : 'the API token lacks the permission';
    return failure(CloudflareFailureType.permissionDenied, `Cloudflare refused to ${context.operation} (${detail}): ${problem} ${context.permission}`, true, error);
  }
  if (status === 404) {
    return failure(CloudflareFailureType.notFound, `Cloudflare could not ${context.operation} (${detail}): ${context.notFound}`, true, error);
  }
  if (status === 429) {
    return ApplicationFailure.create({
      type: CloudflareFailureType.rateLimited,
      message: `Cloudflare rate-limited the attempt to ${context.operation} (${detail}); KV takes one write per second per key, so the activity will retry`,
      nonRetryable: false,
      nextRetryDelay: Math.max(MIN_RATE_LIMIT_DELAY_MS, retryAfterMs(error.headers) ?? 0),
      cause: error,
    });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return failure(CloudflareFailureType.unavailable, `Cloudflare failed to ${context.operation} (${detail}); the activity will retry`, false, error);
  }
  return failure(CloudflareFailureType.requestRejected, `Cloudflare rejected the request to ${context.operation} (${detail})`, true, error);
}

function failure(type: string, message: string, nonRetryable: boolean, cause: Error): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable, cause });
}

/** `HTTP 403, 10000 Authentication error`: the status and Cloudflare's own codes, never headers or the token. */
function describe(error: APIError): string {
  const codes = error.errors.map((e) => `${e.code} ${e.message}`).join('; ');
  return codes ? `HTTP ${error.status}, ${codes}` : `HTTP ${error.status}`;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const retryAfter = headers?.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
