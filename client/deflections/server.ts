// POST /deflections: the endpoint a Genesys Cloud Web Services Data Action calls when a customer accepts
// an async follow-up. Authenticates, validates field by field, starts (or finds) the promise's workflow and
// answers with the reference at once: the Data Action waits for this answer, the follow-up does not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { validateDeflectionRequest, type DeflectionResponse, type FieldError } from '../../workflows/deflection-types';
import { createDeflectionAuth, type DeflectionAuthOptions } from './auth';
import { startDeflection } from './start';

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
}

const MAX_BODY_BYTES = 16 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly fields?: FieldError[]) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\b/i.test(type)) throw new HttpError(415, `Content-Type must be application/json, got ${type}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not valid JSON', [{ field: '(body)', message: 'must be a JSON object' }]);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, `Temporal did not answer within ${ms} ms; retry`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createDeflectionServer(options: DeflectionServerOptions): Server {
  const authorized = createDeflectionAuth(options);
  const now = options.now ?? Date.now;
  const atRiskMarginMinutes = options.atRiskMarginMinutes ?? 30;
  const reportError = options.onError ?? ((err: Error) => console.error(`[deflections] ${err.message}`));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true });
    if (path !== '/deflections') throw new HttpError(404, `no route ${path}; POST /deflections`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new HttpError(405, 'use POST');
    }
    if (!authorized(req)) {
      req.resume(); // drain the body so a keep-alive connection stays usable
      const challenge: Record<string, string> = options.basic ? { 'www-authenticate': 'Basic realm="surge-fallback deflections", charset="UTF-8"' } : {};
      return send(res, 401, { error: 'unauthorized: send the X-Surge-Deflection-Secret header or basic auth' }, challenge);
    }
    const checked = validateDeflectionRequest(await readJson(req), now());
    if (!checked.ok) throw new HttpError(400, `invalid request: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, checked.errors);
    const answer: DeflectionResponse = await withTimeout(
      startDeflection(options.client, checked.value, { taskQueue: options.taskQueue, atRiskMarginMinutes, giveUpAfterMinutes: options.giveUpAfterMinutes }),
      options.startTimeoutMs ?? 5_000,
    );
    send(res, answer.created ? 201 : 200, answer);
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return send(res, err.status, { error: err.message, ...(err.fields ? { fields: err.fields } : {}) });
      const error = err instanceof Error ? err : new Error(String(err));
      reportError(error);
      send(res, 503, { error: `could not record the promise: ${error.message}` });
    });
  });
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

/** Settings from the environment: DEFLECTION_PORT (3001), DEFLECTION_SHARED_SECRET and/or DEFLECTION_BASIC_USER + DEFLECTION_BASIC_PASSWORD, DEFLECTION_AT_RISK_MARGIN_MINUTES (30). */
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
    ...(env.DEFLECTION_SHARED_SECRET ? { secret: env.DEFLECTION_SHARED_SECRET } : {}),
    ...(user && password ? { basic: { username: user, password } } : {}),
  };
}
