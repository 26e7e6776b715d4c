// A local stand-in for the slice of the Cloudflare v4 API the controller uses: Workers KV values, keys, bulk
// operations and zone cache purge, behind bearer-token auth, with KV's 1-write-per-second-per-key limit.
// The real `cloudflare` SDK talks to it unchanged once `baseURL` / `CLOUDFLARE_BASE_URL` points at `url`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { CF_ERRORS, sendFailure, sendSuccess, type CloudflareErrorData } from './envelope';
import { createMemoryKvBackend, type KvBackend, type KvPutOptions } from './kv-backend';

/** Sandbox credentials and identifiers (not secrets: they only open the local stand-in). */
export const SANDBOX_CLOUDFLARE = {
  token: 'sandbox-cloudflare-token',
  readOnlyToken: 'sandbox-cloudflare-readonly-token',
  accountId: 'sandbox-account',
  namespaceId: 'sandbox-namespace',
  zoneId: 'sandbox-zone',
} as const;

export interface CloudflareSandboxOptions {
  /** 0 (a free port) unless given. */
  port?: number;
  host?: string;
  /** Grants Workers KV Storage:Edit on the account and Cache Purge on the zone. */
  token?: string;
  /** Grants Workers KV Storage:Read only: every write answers 403, so readiness checks can be exercised. */
  readOnlyToken?: string;
  accountId?: string;
  namespaceId?: string;
  zoneId?: string;
  /** Where values live; hand in Miniflare's KVNamespace to make API writes reach the local Worker. */
  kv?: KvBackend;
  /** Minimum gap between writes to one key (Cloudflare: 1 s). 0 turns the limit off. */
  minWriteIntervalMs?: number;
  /** The clock the write limit runs on (default the wall clock); a simulated world passes its own. */
  now?: () => number;
}

/** Requests the sandbox answered, by outcome. Tests assert on these (e.g. "the same flag twice wrote once"). */
export interface CloudflareSandboxCounters {
  total: number;
  kvGet: number;
  kvPut: number;
  kvDelete: number;
  kvList: number;
  kvBulkPut: number;
  kvBulkGet: number;
  kvBulkDelete: number;
  purge: number;
  unauthorized: number;
  forbidden: number;
  notFound: number;
  rateLimited: number;
  badRequest: number;
}

export interface CloudflareSandbox {
  /** The API base URL, e.g. `http://127.0.0.1:8901/client/v4`: use it as `CLOUDFLARE_BASE_URL`. */
  url: string;
  port: number;
  requests: CloudflareSandboxCounters;
  /** Every URL (or `*`, `tag:…`, `host:…`, `prefix:…`) purged through the zone purge endpoint, in order. */
  purgedUrls: string[];
  close(): Promise<void>;
}

type Permission = 'kv:read' | 'kv:write' | 'zone:purge';

interface Route {
  permission: Permission | null;
  accountId?: string;
  namespaceId?: string;
  zoneId?: string;
  handle: (call: Call) => Promise<void>;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
}

const API_PREFIX = '/client/v4';
const MAX_VALUE_BYTES = 25 * 1024 * 1024;
const MAX_BODY_BYTES = MAX_VALUE_BYTES + 64 * 1024;
const MAX_KEY_BYTES = 512;
const MIN_EXPIRATION_TTL = 60;
/** Validation failures the sandbox adds of its own; the real API's codes for these were not confirmed. */
const SANDBOX_BAD_REQUEST = 10400;

export async function startCloudflareSandbox(options: CloudflareSandboxOptions = {}): Promise<CloudflareSandbox> {
  const token = options.token ?? SANDBOX_CLOUDFLARE.token;
  const readOnlyToken = options.readOnlyToken ?? SANDBOX_CLOUDFLARE.readOnlyToken;
  const accountId = options.accountId ?? SANDBOX_CLOUDFLARE.accountId;
  const namespaceId = options.namespaceId ?? SANDBOX_CLOUDFLARE.namespaceId;
  const zoneId = options.zoneId ?? SANDBOX_CLOUDFLARE.zoneId;
  const kv = options.kv ?? createMemoryKvBackend();
  const minWriteIntervalMs = options.minWriteIntervalMs ?? 1000;
  const host = options.host ?? '127.0.0.1';

  const grants = new Map<string, ReadonlySet<Permission>>([
    [token, new Set<Permission>(['kv:read', 'kv:write', 'zone:purge'])],
    [readOnlyToken, new Set<Permission>(['kv:read'])],
  ]);
  const requests: CloudflareSandboxCounters = {
    total: 0, kvGet: 0, kvPut: 0, kvDelete: 0, kvList: 0, kvBulkPut: 0, kvBulkGet: 0, kvBulkDelete: 0, purge: 0,
    unauthorized: 0, forbidden: 0, notFound: 0, rateLimited: 0, badRequest: 0,
  };
  const purgedUrls: string[] = [];
  const lastWriteAt = new Map<string, number>();

  /** Seconds to wait before `key` may be written again, or 0 when a write is allowed now (and is recorded). */
  function claimWrite(key: string): number {
    const now = (options.now ?? Date.now)();
    const last = lastWriteAt.get(key);
    if (minWriteIntervalMs > 0 && last !== undefined && now - last < minWriteIntervalMs) {
      return Math.max(1, Math.ceil((minWriteIntervalMs - (now - last)) / 1000));
    }
    lastWriteAt.set(key, now);
    return 0;
  }

  function badRequest(res: ServerResponse, message: string, status = 400, code = SANDBOX_BAD_REQUEST): void {
    requests.badRequest++;
    sendFailure(res, status, { code, message });
  }

  const kvRoutes = {
    getValue: (key: string) => async ({ res }: Call) => {
      const value = await kv.get(key);
      if (value === null) {
        requests.notFound++;
        return sendFailure(res, 404, CF_ERRORS.keyNotFound);
      }
      requests.kvGet++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(value) });
      res.end(value);
    },

    putValue: (key: string) => async ({ req, res, query }: Call) => {
      const expiration = parseExpiration(query);
      if ('error' in expiration) return badRequest(res, expiration.error);
      const body = await readBody(req);
      if (body === null) return badRequest(res, CF_ERRORS.payloadTooLarge.message, 413, CF_ERRORS.payloadTooLarge.code);
      const parsed = await parseValueBody(req.headers['content-type'], body);
      if ('error' in parsed) return badRequest(res, parsed.error, 400, CF_ERRORS.malformedValue.code);
      if (Buffer.byteLength(parsed.value) > MAX_VALUE_BYTES) {
        return badRequest(res, CF_ERRORS.payloadTooLarge.message, 413, CF_ERRORS.payloadTooLarge.code);
      }
      const retryAfter = claimWrite(key);
      if (retryAfter > 0) {
        requests.rateLimited++;
        return sendFailure(res, 429, CF_ERRORS.tooManyRequests, { 'retry-after': String(retryAfter) });
      }
      await kv.put(key, parsed.value, expiration.options);
      requests.kvPut++;
      sendSuccess(res, {});
    },

    deleteValue: (key: string) => async ({ res }: Call) => {
      // Deletes are not held to the per-key write limit here: whether the live API counts them is unconfirmed.
      await kv.delete(key);
      requests.kvDelete++;
      sendSuccess(res, {});
    },

    listKeys: async ({ res, query }: Call) => {
      const limit = query.has('limit') ? Number(query.get('limit')) : 1000;
      if (!Number.isInteger(limit) || limit < 10 || limit > 1000) {
        return badRequest(res, `invalid limit ${JSON.stringify(query.get('limit'))}: must be an integer from 10 to 1000`);
      }
      const page = await kv.list({ prefix: query.get('prefix'), limit, cursor: query.get('cursor') });
      requests.kvList++;
      sendSuccess(res, page.keys, { result_info: { count: page.keys.length, cursor: page.list_complete ? '' : (page.cursor ?? '') } });
    },

    bulkPut: async ({ req, res }: Call) => {
      const body = await readJson(req);
      if ('error' in body) return badRequest(res, body.error);
      const pairs = parseBulkPairs(body.json);
      if ('error' in pairs) return badRequest(res, pairs.error);
      const unsuccessful: string[] = [];
      for (const pair of pairs.pairs) {
        // A rate-limited key is reported back for the caller to retry, as the API does for partial failures.
        if (claimWrite(pair.key) > 0) {
          requests.rateLimited++;
          unsuccessful.push(pair.key);
          continue;
        }
        await kv.put(pair.key, pair.value, pair.options);
      }
      requests.kvBulkPut++;
      sendSuccess(res, { successful_key_count: pairs.pairs.length - unsuccessful.length, unsuccessful_keys: unsuccessful });
    },

    bulkGet: async ({ req, res }: Call) => {
      const body = await readJson(req);
      if ('error' in body) return badRequest(res, body.error);
      const request = body.json as { keys?: unknown; type?: unknown; withMetadata?: unknown };
      if (!Array.isArray(request?.keys) || request.keys.length === 0 || request.keys.length > 100 || !request.keys.every((k) => typeof k === 'string')) {
        return badRequest(res, 'bulk get needs "keys": an array of 1 to 100 key names');
      }
      if (request.type !== undefined && request.type !== 'text' && request.type !== 'json') {
        return badRequest(res, `bulk get "type" must be "text" or "json", not ${JSON.stringify(request.type)}`);
      }
      const values: Record<string, unknown> = {};
      for (const key of request.keys as string[]) {
        const raw = await kv.get(key);
        let value: unknown = raw;
        if (raw !== null && request.type === 'json') {
          try {
            value = JSON.parse(raw);
          } catch {
            return badRequest(res, `bulk get: the value of ${JSON.stringify(key)} is not JSON`);
          }
        }
        values[key] = request.withMetadata === true && value !== null ? { value, metadata: null } : value;
      }
      requests.kvBulkGet++;
      sendSuccess(res, { values });
    },

    bulkDelete: async ({ req, res }: Call) => {
      const body = await readJson(req);
      if ('error' in body) return badRequest(res, body.error);
      if (!Array.isArray(body.json) || !body.json.every((k) => typeof k === 'string')) {
        return badRequest(res, 'bulk delete needs a JSON array of key names');
      }
      for (const key of body.json as string[]) await kv.delete(key);
      requests.kvBulkDelete++;
      sendSuccess(res, { successful_key_count: body.json.length, unsuccessful_keys: [] });
    },
  };

  async function purgeCache({ req, res }: Call): Promise<void> {
    const body = await readJson(req);
    if ('error' in body) return badRequest(res, body.error);
    const request = (body.json ?? {}) as Record<string, unknown>;
    const targets: string[] = [];
    if (request.purge_everything === true) targets.push('*');
    if (Array.isArray(request.files)) {
      for (const file of request.files) {
        const url = typeof file === 'string' ? file : (file as { url?: unknown })?.url;
        if (typeof url !== 'string') return badRequest(res, 'purge "files" entries must be URLs or { url, headers }');
        targets.push(url);
      }
    }
    for (const [field, label] of [['tags', 'tag'], ['hosts', 'host'], ['prefixes', 'prefix']] as const) {
      const values = request[field];
      if (Array.isArray(values)) targets.push(...values.map((v) => `${label}:${String(v)}`));
    }
    if (targets.length === 0) {
      return badRequest(res, 'purge needs one of "files", "tags", "hosts", "prefixes" or "purge_everything": true');
    }
    purgedUrls.push(...targets);
    requests.purge++;
    sendSuccess(res, { id: randomBytes(16).toString('hex') });
  }

  function route(method: string, segments: string[]): Route | 'method-not-allowed' | null {
    const [root, id, ...rest] = segments;
    if (root === 'user' && id === 'tokens' && rest.length === 1 && rest[0] === 'verify') {
      if (method !== 'GET') return 'method-not-allowed';
      return { permission: null, handle: async ({ res }) => sendSuccess(res, { id: 'sandbox-token', status: 'active' }) };
    }
    if (root === 'zones' && id !== undefined && rest.length === 1 && rest[0] === 'purge_cache') {
      if (method !== 'POST') return 'method-not-allowed';
      return { permission: 'zone:purge', zoneId: id, handle: purgeCache };
    }
    if (root !== 'accounts' || id === undefined || rest[0] !== 'storage' || rest[1] !== 'kv' || rest[2] !== 'namespaces') return null;
    const [ns, resource, name, ...extra] = rest.slice(3);
    const on = (permission: Permission, handle: Route['handle']): Route => ({ permission, accountId: id, namespaceId: ns, handle });
    if (ns === undefined) {
      if (method !== 'GET') return 'method-not-allowed';
      return {
        permission: 'kv:read',
        accountId: id,
        handle: async ({ res }) =>
          sendSuccess(res, [{ id: namespaceId, title: 'sandbox', supports_url_encoding: true }], {
            result_info: { page: 1, per_page: 20, count: 1, total_count: 1 },
          }),
      };
    }
    if (extra.length > 0) return null;
    if (resource === undefined) {
      if (method !== 'GET') return 'method-not-allowed';
      return on('kv:read', async ({ res }) => sendSuccess(res, { id: namespaceId, title: 'sandbox', supports_url_encoding: true }));
    }
    if (resource === 'values' && name !== undefined) {
      if (method === 'GET') return on('kv:read', kvRoutes.getValue(name));
      if (method === 'PUT') return on('kv:write', kvRoutes.putValue(name));
      if (method === 'DELETE') return on('kv:write', kvRoutes.deleteValue(name));
      return 'method-not-allowed';
    }
    if (resource === 'keys' && name === undefined) return method === 'GET' ? on('kv:read', kvRoutes.listKeys) : 'method-not-allowed';
    if (resource === 'bulk' && name === undefined) {
      if (method === 'PUT') return on('kv:write', kvRoutes.bulkPut);
      if (method === 'DELETE') return on('kv:write', kvRoutes.bulkDelete); // the older bulk-delete form
      return 'method-not-allowed';
    }
    if (resource === 'bulk' && name === 'get') return method === 'POST' ? on('kv:read', kvRoutes.bulkGet) : 'method-not-allowed';
    if (resource === 'bulk' && name === 'delete') return method === 'POST' ? on('kv:write', kvRoutes.bulkDelete) : 'method-not-allowed';
    return null;
  }

  function refuse(res: ServerResponse, status: 401 | 403, error: CloudflareErrorData = CF_ERRORS.authentication): void {
    if (status === 401) requests.unauthorized++;
    else requests.forbidden++;
    sendFailure(res, status, error);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.total++;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const pathname = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    let segments: string[];
    try {
      segments = pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    } catch {
      return badRequest(res, `the path ${JSON.stringify(url.pathname)} is not valid percent-encoding`);
    }
    const found = route(req.method ?? 'GET', segments);
    if (found === null) {
      requests.notFound++;
      return sendFailure(res, 404, CF_ERRORS.noRoute);
    }
    if (found === 'method-not-allowed') {
      return badRequest(res, `${req.method} is not allowed on ${url.pathname}`, 405, 7001);
    }

    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
    const granted = bearer === undefined ? undefined : grants.get(bearer);
    if (granted === undefined) return refuse(res, 401);
    // A token that is valid but not for this account or zone gets the same answer Cloudflare gives: 403.
    if (found.accountId !== undefined && found.accountId !== accountId) return refuse(res, 403);
    if (found.zoneId !== undefined && found.zoneId !== zoneId) {
      requests.notFound++;
      return sendFailure(res, 404, CF_ERRORS.zoneNotFound);
    }
    if (found.permission !== null && !granted.has(found.permission)) return refuse(res, 403);
    if (found.namespaceId !== undefined && found.namespaceId !== namespaceId) {
      requests.notFound++;
      return sendFailure(res, 404, CF_ERRORS.namespaceNotFound);
    }
    const key = segments[7];
    if (segments[6] === 'values' && key !== undefined && Buffer.byteLength(key) > MAX_KEY_BYTES) {
      return badRequest(res, `key is ${Buffer.byteLength(key)} bytes; KV keys are at most ${MAX_KEY_BYTES}`, 414, 10033);
    }
    await found.handle({ req, res, query: url.searchParams });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A failing backend (e.g. a disposed Miniflare) is the sandbox's 5xx, which the SDK and Temporal retry.
      if (!res.headersSent) sendFailure(res, 500, { code: 10001, message: `service temporarily unavailable: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}${API_PREFIX}`,
    port,
    requests,
    purgedUrls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** The body, or null when it is larger than any KV request may be. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<{ json: unknown } | { error: string }> {
  const body = await readBody(req);
  if (body === null) return { error: CF_ERRORS.payloadTooLarge.message };
  try {
    return { json: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { error: `the request body is not JSON: ${(error as Error).message}` };
  }
}

/** The SDK sends values as multipart/form-data with a `value` part; the API also takes a raw body. */
async function parseValueBody(contentType: string | undefined, body: Buffer): Promise<{ value: string } | { error: string }> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return { value: body.toString('utf8') };
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    return { error: `the multipart body could not be parsed: ${(error as Error).message}` };
  }
  const part = form.get('value');
  if (part === null) return { error: 'the multipart body has no "value" part' };
  return { value: typeof part === 'string' ? part : await part.text() };
}

function parseExpiration(query: URLSearchParams): { options: KvPutOptions } | { error: string } {
  const options: KvPutOptions = {};
  const ttl = query.get('expiration_ttl');
  const at = query.get('expiration');
  if (ttl !== null && ttl !== '') {
    const seconds = Number(ttl);
    if (!Number.isInteger(seconds) || seconds < MIN_EXPIRATION_TTL) {
      return { error: `invalid expiration_ttl ${JSON.stringify(ttl)}: must be an integer of at least ${MIN_EXPIRATION_TTL} seconds` };
    }
    options.expirationTtl = seconds;
  } else if (at !== null && at !== '') {
    const epochSeconds = Number(at);
    if (!Number.isInteger(epochSeconds) || epochSeconds * 1000 < Date.now() + MIN_EXPIRATION_TTL * 1000) {
      return { error: `invalid expiration ${JSON.stringify(at)}: must be epoch seconds at least ${MIN_EXPIRATION_TTL} s ahead` };
    }
    options.expiration = epochSeconds;
  }
  return { options };
}

interface BulkPair {
  key: string;
  value: string;
  options: KvPutOptions;
}

function parseBulkPairs(json: unknown): { pairs: BulkPair[] } | { error: string } {
  if (!Array.isArray(json) || json.length > 10_000) return { error: 'bulk write needs a JSON array of at most 10,000 { key, value } pairs' };
  const pairs: BulkPair[] = [];
  for (const [index, item] of json.entries()) {
    const pair = item as { key?: unknown; value?: unknown; base64?: unknown; expiration?: unknown; expiration_ttl?: unknown };
    if (typeof pair?.key !== 'string' || typeof pair.value !== 'string') {
      return { error: `bulk write item ${index} needs string "key" and "value"` };
    }
    const value = pair.base64 === true ? Buffer.from(pair.value, 'base64').toString('utf8') : pair.value;
    const options: KvPutOptions = {};
    if (typeof pair.expiration_ttl === 'number') options.expirationTtl = pair.expiration_ttl;
    else if (typeof pair.expiration === 'number') options.expiration = pair.expiration;
    pairs.push({ key: pair.key, value, options });
  }
  return { pairs };
}
