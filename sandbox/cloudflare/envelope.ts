// Cloudflare's v4 response envelope. Every API answer, success or failure, is wrapped in it, and the SDK turns
// `errors[]` into `APIError.errors`. The codes below are the KV API's own where known; the per-key write-limit
// code (10022 "too many requests") is taken from the public KV error list and not confirmed for that case.
import type { ServerResponse } from 'node:http';

export interface CloudflareErrorData {
  code: number;
  message: string;
}

export const CF_ERRORS = {
  authentication: { code: 10000, message: 'Authentication error' },
  keyNotFound: { code: 10009, message: "get: 'key not found'" },
  malformedValue: { code: 10012, message: 'malformed value' },
  namespaceNotFound: { code: 10013, message: 'namespace not found' },
  tooManyRequests: { code: 10022, message: 'too many requests: KV allows 1 write per second to the same key' },
  payloadTooLarge: { code: 10024, message: 'payload too large' },
  noRoute: { code: 7000, message: 'No route for that URI' },
  zoneNotFound: { code: 7003, message: 'Could not route to /zones, perhaps your object identifier is invalid?' },
} satisfies Record<string, CloudflareErrorData>;

export function sendSuccess(res: ServerResponse, result: unknown, extra: Record<string, unknown> = {}): void {
  sendJson(res, 200, { success: true, errors: [], messages: [], result, ...extra });
}

export function sendFailure(
  res: ServerResponse,
  status: number,
  error: CloudflareErrorData,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { success: false, errors: [error], messages: [], result: null }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
