// POST /deflections: the endpoint a Genesys Cloud Web Services Data Action calls when a customer accepts
// an async follow-up. Authenticates, validates field by field, starts (or finds) the promise's workflow and
// answers with the reference at once: the Data Action waits for this answer, the follow-up does not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { validateDeflectionRequest, type DeflectionRequest, type DeflectionResponse, type FieldError } from '../../workflows/deflection-types';
import { clientAddress, trustedHopsFromEnv } from '../client-address';
import { createRateLimiter, rateLimitFromEnv, type RateLimit } from '../rate-limit';
import { createDeflectionAuth, type DeflectionAuthOptions } from './auth';
import { findDeflection, startDeflection } from './start';

export interface DeflectionServerOptions extends DeflectionAuthOptions {
  client: Client;
  taskQueue?: string;
  /** Operators are alerted when a follow-up is still undelivered this long before its deadline (default 30). */
  atRiskMarginMinutes?: number;
  giveUpAfterMinutes?: number;
  /** The clock deadlines given in minutes are measured on (tests hand in the test server's). */
  now?: () => number;
  /** A start slower than this answers 503, well inside the Data Action's own timeout. */
  startTimeoutMs?: number;
  /** Where failures to reach Temporal are reported; console.error by default. Never given secrets. */
  onError?: (err: Error) => void;
  /** New promises per recipient (email address or phone number): default 3 per hour. */
  recipientLimit?: RateLimit;
  /** Requests per client address (retries of a promise already made are not counted): default 3000 per minute. */
  callerLimit?: RateLimit;
  /** Proxy hops whose X-Forwarded-For is trusted to name the client (default 0: the socket's peer). */
  trustProxyHops?: number;
}

export const DEFAULT_RECIPIENT_LIMIT: RateLimit = { limit: 3, windowMs: 3600_000 };
// 50/s: six times the 10x flash sale's opening burst (bench/deflections.ts, ~8/s), which Genesys sends from a few addresses.
export const DEFAULT_CALLER_LIMIT: RateLimit = { limit: 3000, windowMs: 60_000 };
const MAX_BODY_BYTES = 16 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields?: FieldError[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

/**
 * The raw body, at most MAX_BODY_BYTES, read before the caller is authenticated (so a stranger's body costs
 * at most that much). Over the limit the rest is left unread and the answer closes the connection.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.pause();
      req.off('data', onData);
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tooLarge(): HttpError {
  return new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes: send only the fields of the deflection request`, [{ field: '(body)', message: `must be at most ${MAX_BODY_BYTES} bytes` }]);
}

function parseJson(req: IncomingMessage, body: Buffer): unknown {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\b/i.test(type)) {
    throw new HttpError(415, `Content-Type must be application/json, got ${JSON.stringify(type.slice(0, 80))}`, [{ field: 'Content-Type', message: 'must be application/json' }]);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON: send one JSON object with the deflection fields', [{ field: '(body)', message: 'must be a JSON object' }]);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, `the promise could not be recorded within ${ms} ms; retry with the same conversationId`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One key per inbox or phone: case and plus-tags (a+1@x, a+2@x reach the same person) and Gmail's dots
 * do not make a new recipient.
 */
export function recipientKey(request: Pick<DeflectionRequest, 'channel' | 'customerEmail' | 'customerPhone'>): string {
  if (request.channel === 'sms') return `sms:${request.customerPhone ?? ''}`;
  const address = (request.customerEmail ?? '').trim().toLowerCase();
  const at = address.lastIndexOf('@');
  let local = address.slice(0, at).replace(/\+.*$/, '');
  const domain = address.slice(at + 1);
  if (domain === 'gmail.com' || domain === 'googlemail.com') local = local.replace(/\./g, '');
  return `email:${local}@${domain}`;
}

export function createDeflectionServer(options: DeflectionServerOptions): Server {
  const authorized = createDeflectionAuth(options);
  const now = options.now ?? Date.now;
  const atRiskMarginMinutes = options.atRiskMarginMinutes ?? 30;
  const reportError = options.onError ?? ((err: Error) => console.error(`[deflections] ${err.message}`));
  const recipients = createRateLimiter(options.recipientLimit ?? DEFAULT_RECIPIENT_LIMIT);
  const callers = createRateLimiter(options.callerLimit ?? DEFAULT_CALLER_LIMIT);
  const trustProxyHops = options.trustProxyHops ?? 0;
  // Concurrent calls for one conversation share one answer, so a burst of retries counts (and starts) once.
  const pending = new Map<string, Promise<DeflectionResponse>>();

  /** Makes the promise, or finds the one an earlier call made; only a new promise counts against its recipient. */
  async function promise(request: DeflectionRequest & { promisedBy: string }): Promise<DeflectionResponse> {
    const key = recipientKey(request);
    const wait = recipients.take(key);
    if (wait > 0) {
      // A retry of a promise already made always gets its reference, whatever the recipient's count.
      const existing = await withTimeout(findDeflection(options.client, request.conversationId), options.startTimeoutMs ?? 5_000);
      if (existing) return existing;
      const field = request.channel === 'sms' ? 'customerPhone' : 'customerEmail';
      const what = request.channel === 'sms' ? 'phone number' : 'email address';
      throw new HttpError(
        429,
        `too many follow-ups promised to this ${what}: at most ${recipients.limit} per ${recipients.windowMs / 60_000} minutes; retry after ${wait} s or let the customer wait in queue`,
        [{ field, message: `has had ${recipients.limit} follow-ups promised recently` }],
        wait,
      );
    }
    let answer: DeflectionResponse;
    try {
      answer = await withTimeout(
        startDeflection(options.client, request, { taskQueue: options.taskQueue, atRiskMarginMinutes, giveUpAfterMinutes: options.giveUpAfterMinutes }),
        options.startTimeoutMs ?? 5_000,
      );
    } catch (err) {
      recipients.refund(key);
      throw err;
    }
    if (!answer.created) recipients.refund(key); // another call (or replica) made it: it counted there
    return answer;
  }

  function sharedPromise(request: DeflectionRequest & { promisedBy: string }): Promise<DeflectionResponse> {
    const inFlight = pending.get(request.conversationId);
    if (inFlight) return inFlight.then((answer) => ({ ...answer, created: false }));
    const made = promise(request).finally(() => pending.delete(request.conversationId));
    pending.set(request.conversationId, made);
    return made;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true });
    if (path !== '/deflections') throw new HttpError(404, `no route ${path.slice(0, 80)}; POST /deflections`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new HttpError(405, 'use POST');
    }
    // Counted before anything is read: a flood is turned away for the price of its headers.
    const caller = clientAddress(req, trustProxyHops);
    const callerWait = callers.take(caller);
    if (callerWait > 0) throw new HttpError(429, `too many requests from this client: at most ${callers.limit} per ${callers.windowMs / 1000} s; retry after ${callerWait} s`, undefined, callerWait);
    const body = await readBody(req);
    if (!authorized(req)) {
      const challenge: Record<string, string> = options.basic ? { 'www-authenticate': 'Basic realm="surge-fallback deflections", charset="UTF-8"' } : {};
      return send(res, 401, { error: 'unauthorized: send the X-Surge-Deflection-Secret header or basic auth' }, challenge);
    }
    const checked = validateDeflectionRequest(parseJson(req, body), now());
    if (!checked.ok) throw new HttpError(400, `invalid request: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, checked.errors);
    const answer = await sharedPromise(checked.value);
    if (!answer.created) callers.refund(caller); // a retry: the first call was counted
    send(res, answer.created ? 201 : 200, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) {
        const headers: Record<string, string> = {};
        if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
        // The body was not read (to the end): close rather than drain it for keep-alive.
        if (err.status === 413 || (err.status === 429 && !req.complete)) headers.connection = 'close';
        return send(res, err.status, { error: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}) }, headers);
      }
      // Temporal's own words stay in our log; the caller learns only what to do.
      const error = err instanceof Error ? err : new Error(String(err));
      reportError(new Error(`could not record a promise: ${error.name}: ${error.message}`));
      send(res, 503, { error: 'the promise could not be recorded right now; retry with the same conversationId' });
    });
  });
  // A slow sender does not hold a connection open for the default five minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  return server;
}

export interface RunningDeflectionServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startDeflectionServer(options: DeflectionServerOptions & { port?: number; host?: string }): Promise<RunningDeflectionServer> {
  const server = createDeflectionServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3001, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Settings from the environment: DEFLECTION_PORT (3001), DEFLECTION_SHARED_SECRET and/or DEFLECTION_BASIC_USER +
 * DEFLECTION_BASIC_PASSWORD, DEFLECTION_AT_RISK_MARGIN_MINUTES (30), DEFLECTION_RECIPIENT_LIMIT (3) per
 * DEFLECTION_RECIPIENT_WINDOW_SECONDS (3600), DEFLECTION_CALLER_LIMIT (3000) per DEFLECTION_CALLER_WINDOW_SECONDS
 * (60), DEFLECTION_TRUST_PROXY (false).
 */
export function deflectionServerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<DeflectionServerOptions, 'client'> & { port: number } {
  const port = Number(env.DEFLECTION_PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`DEFLECTION_PORT must be a port number, got ${JSON.stringify(env.DEFLECTION_PORT)}`);
  const margin = Number(env.DEFLECTION_AT_RISK_MARGIN_MINUTES ?? 30);
  if (!Number.isFinite(margin) || margin <= 0) throw new Error(`DEFLECTION_AT_RISK_MARGIN_MINUTES must be a positive number, got ${JSON.stringify(env.DEFLECTION_AT_RISK_MARGIN_MINUTES)}`);
  const user = env.DEFLECTION_BASIC_USER;
  const password = env.DEFLECTION_BASIC_PASSWORD;
  if (Boolean(user) !== Boolean(password)) throw new Error('set both DEFLECTION_BASIC_USER and DEFLECTION_BASIC_PASSWORD, or neither');
  return {
    port,
    atRiskMarginMinutes: margin,
    recipientLimit: rateLimitFromEnv(env, 'DEFLECTION_RECIPIENT', { limit: DEFAULT_RECIPIENT_LIMIT.limit, windowSeconds: DEFAULT_RECIPIENT_LIMIT.windowMs / 1000 }),
    callerLimit: rateLimitFromEnv(env, 'DEFLECTION_CALLER', { limit: DEFAULT_CALLER_LIMIT.limit, windowSeconds: DEFAULT_CALLER_LIMIT.windowMs / 1000 }),
    trustProxyHops: trustedHopsFromEnv(env, 'DEFLECTION_TRUST_PROXY'),
    ...(env.DEFLECTION_SHARED_SECRET ? { secret: env.DEFLECTION_SHARED_SECRET } : {}),
    ...(user && password ? { basic: { username: user, password } } : {}),
  };
}
