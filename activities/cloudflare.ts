// The Cloudflare side of the controller: the KV flags the edge Worker reads, the status JSON on the static
// fallback page, and the pre-event checks (cache state of a URL, a zone purge, a canary KV write).
import { randomUUID } from 'node:crypto';
import Cloudflare from 'cloudflare';
import { ApplicationFailure } from '@temporalio/common';
import type { SurgeActivities } from './index';
import type { EdgeFlagKey, SupportStatus } from '../workflows/types';
import { CloudflareFailureType, isKvKeyNotFound, toCloudflareFailure, type CloudflareCallContext } from './cloudflare-errors';

export { CloudflareFailureType } from './cloudflare-errors';

export const EDGE_FLAG_KEYS: readonly EdgeFlagKey[] = ['chat_surge_active', 'chat_fallback_active'];
export const SUPPORT_STATUS_KEY = 'support_status';
const SUPPORT_LEVELS: readonly SupportStatus['level'][] = ['ok', 'degraded', 'outage'];
/** Canary keys expire on their own (KV's minimum TTL) in case the delete after the check does not happen. */
const CANARY_KEY_PREFIX = 'surge_canary_';
const CANARY_TTL_SECONDS = 60;
const CACHE_CHECK_TIMEOUT_MS = 10_000;

export interface CloudflareDeps {
  client: Cloudflare;
  accountId: string;
  namespaceId: string;
  /** Needed only by `purgeUrl`. */
  zoneId?: string;
}

export interface CacheStatus {
  url: string;
  status: number;
  /** `HIT`, `MISS`, `EXPIRED`, `STALE`, `BYPASS`, `REVALIDATED`, `UPDATING`, `DYNAMIC`, or null when absent. */
  cfCacheStatus: string | null;
  /** Seconds the response has been in cache; present only on responses served from cache. */
  age: number | null;
  /** Its `-XXX` suffix names the PoP that answered. */
  cfRay: string | null;
  /** The edge Worker's `x-surge-mode` (`normal`, `stub`, `fallback`), or null when the Worker did not answer itself. */
  surgeMode: string | null;
}

export interface CanaryResult {
  key: string;
  /** False when the delete was refused for a transient reason; the key then expires by its TTL. */
  deleted: boolean;
}

export type CloudflareActivities = Pick<SurgeActivities, 'setEdgeFlag' | 'publishSupportStatus'> & {
  /** Fetches `url` and reports its edge cache headers: pre-event verification that a page is served from cache. */
  checkCacheStatus(input: { url: string; method?: 'GET' | 'HEAD' }): Promise<CacheStatus>;
  /** Purges one URL from the zone's cache (a 200 means accepted; verify with `checkCacheStatus` → `MISS`). */
  purgeUrl(input: { url: string }): Promise<{ purgeId: string }>;
  /** Readiness: writes a canary key, reads it back and deletes it, proving the token can edit the namespace. */
  canaryKvWrite(): Promise<CanaryResult>;
};

/**
 * A client for activities: the SDK's own retries are off because Temporal retries the activity instead, with
 * the attempts recorded in history and bounded by the activity's timeouts; SDK retries would sleep (for an
 * uncapped `retry-after`) inside one attempt, out of sight. A short per-request timeout keeps one attempt well
 * inside a typical start-to-close timeout.
 */
export function createCloudflareClient(options: { apiToken: string; baseURL?: string }): Cloudflare {
  return new Cloudflare({
    apiToken: options.apiToken,
    // Null, so a stray CLOUDFLARE_API_KEY / CLOUDFLARE_EMAIL in the environment never adds a second credential.
    apiKey: null,
    apiEmail: null,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: 15_000,
  });
}

/** Reads the worker's environment; throws naming every missing variable (values are never logged). */
export function cloudflareDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudflareDeps {
  const required = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_KV_NAMESPACE_ID'] as const;
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(`Cloudflare activities need ${missing.join(', ')} in the environment (missing or empty)`);
  }
  return {
    client: createCloudflareClient({
      apiToken: env.CLOUDFLARE_API_TOKEN!.trim(),
      baseURL: env.CLOUDFLARE_BASE_URL?.trim() || 'https://api.cloudflare.com/client/v4',
    }),
    accountId: env.CLOUDFLARE_ACCOUNT_ID!.trim(),
    namespaceId: env.CLOUDFLARE_KV_NAMESPACE_ID!.trim(),
    zoneId: env.CLOUDFLARE_ZONE_ID?.trim() || undefined,
  };
}

export function createCloudflareActivities(deps: CloudflareDeps): CloudflareActivities {
  const { client, accountId, namespaceId, zoneId } = deps;
  const kvParams = { account_id: accountId, namespace_id: namespaceId };
  const kvContext = (operation: string): CloudflareCallContext => ({
    operation,
    permission: `Workers KV Storage:Edit on account ${accountId}`,
    notFound: `KV namespace ${namespaceId} does not exist in account ${accountId} (check CLOUDFLARE_KV_NAMESPACE_ID)`,
  });

  async function call<T>(context: CloudflareCallContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toCloudflareFailure(error, context);
    }
  }

  /** The stored value, or null when the key is absent. */
  async function readValue(key: string): Promise<string | null> {
    try {
      const response = await client.kv.namespaces.values.get(key, kvParams);
      return await response.text();
    } catch (error) {
      if (isKvKeyNotFound(error)) return null;
      throw toCloudflareFailure(error, kvContext(`read KV key "${key}"`));
    }
  }

  // The SDK sends a string `value` as a multipart form field, and form encoding turns "\n" into "\r\n". The
  // values written here never hold a raw line break ("true"/"false", JSON.stringify output, UUIDs).
  async function writeValue(key: string, value: string, expirationTtl?: number): Promise<void> {
    await call(kvContext(`write KV key "${key}"`), () =>
      client.kv.namespaces.values.update(key, { ...kvParams, value, expiration_ttl: expirationTtl }),
    );
  }

  /**
   * Idempotent write: read, write only when different, read back. A retried activity attempt (or a replayed
   * decision) therefore costs no second write, which also keeps clear of KV's one-write-per-second-per-key
   * limit. The read-back relies on the API reading the central store right after a write made through the same
   * API: Cloudflare documents a write as "usually immediately visible" where it was made, not guaranteed, so a
   * mismatch is a retryable failure, not a fatal one. It proves the write landed, not that every PoP sees it:
   * edge locations converge within about 60 s (the Worker's cacheTtl), which no API read can confirm.
   */
  async function writeAndConfirm(key: string, value: string): Promise<{ written: boolean }> {
    if ((await readValue(key)) === value) return { written: false };
    await writeValue(key, value);
    const readBack = await readValue(key);
    if (readBack !== value) {
      throw ApplicationFailure.create({
        type: CloudflareFailureType.writeNotConfirmed,
        message: `KV key "${key}" in namespace ${namespaceId} reads back ${JSON.stringify(readBack)} after writing ${JSON.stringify(value)}; will retry`,
        nonRetryable: false,
      });
    }
    return { written: true };
  }

  return {
    async setEdgeFlag(input) {
      if (!EDGE_FLAG_KEYS.includes(input?.key) || typeof input?.value !== 'boolean') {
        throw invalidInput(`setEdgeFlag needs { key: ${EDGE_FLAG_KEYS.map((k) => `"${k}"`).join(' | ')}, value: boolean }, got ${JSON.stringify(input)}`);
      }
      await writeAndConfirm(input.key, input.value ? 'true' : 'false');
    },

    async publishSupportStatus(input) {
      const problem = supportStatusProblem(input?.status);
      if (problem) throw invalidInput(`publishSupportStatus: ${problem}`);
      const { level, message, updatedAt } = input.status;
      // Only the known fields, in a fixed order, so equal statuses serialise equally and skip the write.
      await writeAndConfirm(SUPPORT_STATUS_KEY, JSON.stringify({ level, message, updatedAt }));
    },

    async checkCacheStatus(input) {
      const url = httpUrl(input?.url, 'checkCacheStatus');
      const method = input.method ?? 'GET';
      let response: Response;
      try {
        response = await fetch(url, { method, signal: AbortSignal.timeout(CACHE_CHECK_TIMEOUT_MS) });
      } catch (error) {
        throw ApplicationFailure.create({
          type: CloudflareFailureType.unavailable,
          message: `checkCacheStatus could not fetch ${url}: ${(error as Error).message}`,
          nonRetryable: false,
        });
      }
      // Only the headers matter; dropping the body frees the connection.
      await response.body?.cancel();
      const age = response.headers.get('age');
      return {
        url,
        status: response.status,
        cfCacheStatus: response.headers.get('cf-cache-status'),
        age: age !== null && /^\d+$/.test(age.trim()) ? Number(age) : null,
        cfRay: response.headers.get('cf-ray'),
        surgeMode: response.headers.get('x-surge-mode'),
      };
    },

    async purgeUrl(input) {
      const url = httpUrl(input?.url, 'purgeUrl');
      if (!zoneId) {
        throw ApplicationFailure.create({
          type: CloudflareFailureType.notConfigured,
          message: `purgeUrl needs the zone of ${url}: set CLOUDFLARE_ZONE_ID`,
          nonRetryable: true,
        });
      }
      const context: CloudflareCallContext = {
        operation: `purge ${url} from the cache of zone ${zoneId}`,
        permission: `Cache Purge:Purge on zone ${zoneId}`,
        notFound: `zone ${zoneId} does not exist or the token cannot see it (check CLOUDFLARE_ZONE_ID)`,
      };
      const result = await call(context, () => client.cache.purge({ zone_id: zoneId, files: [url] }));
      return { purgeId: result?.id ?? '' };
    },

    async canaryKvWrite() {
      // A fresh key per check, so concurrent checks never meet KV's per-key write limit.
      const key = `${CANARY_KEY_PREFIX}${randomUUID()}`;
      const value = randomUUID();
      await writeValue(key, value, CANARY_TTL_SECONDS);
      const readBack = await readValue(key);
      if (readBack !== value) {
        throw ApplicationFailure.create({
          type: CloudflareFailureType.writeNotConfirmed,
          message: `canary KV key "${key}" in namespace ${namespaceId} read back ${JSON.stringify(readBack)}, not the value written`,
          nonRetryable: false,
        });
      }
      try {
        await client.kv.namespaces.values.delete(key, kvParams);
        return { key, deleted: true };
      } catch (error) {
        const failure = toCloudflareFailure(error, kvContext(`delete canary KV key "${key}"`));
        // The write and read already proved readiness; a transient refusal to delete is left to the TTL.
        if (failure instanceof ApplicationFailure && !failure.nonRetryable) return { key, deleted: false };
        throw failure;
      }
    },
  };
}

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: CloudflareFailureType.invalidInput, message, nonRetryable: true });
}

function httpUrl(value: unknown, activity: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalidInput(`${activity} needs { url: an absolute http(s) URL }, got ${JSON.stringify(value)}`);
  }
  return parsed.href;
}

function supportStatusProblem(status: unknown): string | null {
  if (typeof status !== 'object' || status === null) return `status must be an object, got ${JSON.stringify(status)}`;
  const { level, message, updatedAt } = status as Record<string, unknown>;
  if (!SUPPORT_LEVELS.includes(level as SupportStatus['level'])) {
    return `status.level must be one of ${SUPPORT_LEVELS.join(', ')}, got ${JSON.stringify(level)}`;
  }
  if (typeof message !== 'string') return `status.message must be a string, got ${JSON.stringify(message)}`;
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) {
    return `status.updatedAt must be an ISO 8601 instant, got ${JSON.stringify(updatedAt)}`;
  }
  return null;
}
