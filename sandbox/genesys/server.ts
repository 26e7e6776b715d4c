// The local Genesys Cloud: login, the platform API routes the controller uses, and the admin API.
// Every API request passes the same gates as the real platform, in order: outage, bearer token, per-token
// rate limit, injected 5xx, permission, latency; then the route answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GenesysHttpError, Router, parseJson, readBody, sendJson } from './http';
import { GenesysSandboxState, type SandboxStateOptions, type TokenRecord } from './state';
import { tokenGrant } from './oauth';
import { adminRouter, isLoopback } from './admin';
import type { ApiRoute } from './routes/context';
import { analyticsRoutes } from './routes/analytics';
import { leadingAnalyticsRoutes } from './routes/analytics-leading';
import { routingRoutes } from './routes/routing';
import { dataTableRoutes } from './routes/datatables';
import { flowRoutes } from './routes/flows';
import { conversationRoutes } from './routes/conversations';
import { webDeploymentRoutes } from './routes/webdeployments';

export interface GenesysSandboxOptions extends SandboxStateOptions {
  port?: number;
  host?: string;
}

export interface GenesysSandbox {
  url: string;
  port: number;
  state: GenesysSandboxState;
  close(): Promise<void>;
}

export const DEFAULT_GENESYS_SANDBOX_PORT = 8900;
const WINDOW_MS = 60_000;

// Data-table routes come before flow routes: `/api/v2/flows/datatables` would otherwise read as a flow ID.
const apiRouter = [...analyticsRoutes, ...leadingAnalyticsRoutes, ...routingRoutes, ...dataTableRoutes, ...flowRoutes, ...conversationRoutes, ...webDeploymentRoutes].reduce(
  (r, route) => r.add(route.method, route.pattern, route),
  new Router<ApiRoute>(),
);

function errorBody(err: GenesysHttpError): Record<string, unknown> {
  return { message: err.message, code: err.code, status: err.status, contextId: randomUUID(), details: [], errors: [], ...err.extra };
}

const unavailable = () => new GenesysHttpError(503, 'service.unavailable', 'The service is currently unavailable');

function authenticate(state: GenesysSandboxState, req: IncomingMessage): TokenRecord {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new GenesysHttpError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.');
  const token = state.tokens.get(match[1]);
  if (!token) throw new GenesysHttpError(401, 'bad.credentials', 'Invalid login credentials.');
  if (state.clock() >= token.expiresAt) throw new GenesysHttpError(401, 'authentication.required', 'Access token has expired.');
  return token;
}

/** Fixed one-minute window per token; a refused request does not use up the budget. */
function rateLimit(state: GenesysSandboxState, token: TokenRecord): Record<string, string> {
  const now = state.clock();
  if (now - token.windowStart >= WINDOW_MS) {
    token.windowStart = now;
    token.windowCount = 0;
  }
  const resetSeconds = Math.max(1, Math.ceil((token.windowStart + WINDOW_MS - now) / 1000));
  const headers = () => ({
    'inin-ratelimit-allowed': String(state.rateLimitPerMinute),
    'inin-ratelimit-count': String(token.windowCount),
    'inin-ratelimit-reset': String(resetSeconds),
  });
  if (token.windowCount >= state.rateLimitPerMinute) {
    throw new GenesysHttpError(429, 'too.many.requests', `Rate limit exceeded the maximum. [${state.rateLimitPerMinute}] requests for [60] seconds`, {
      ...headers(),
      'retry-after': String(resetSeconds),
    });
  }
  token.windowCount++;
  return headers();
}

async function handleApi(state: GenesysSandboxState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const match = apiRouter.match(req.method ?? 'GET', url.pathname);
  const routeName = typeof match === 'object' ? match.name : `${req.method ?? 'GET'} (unmatched)`;
  let token: TokenRecord | undefined;
  let headers: Record<string, string> = { 'inin-correlation-id': randomUUID() };
  let status = 500;
  try {
    if (state.faults.outage) throw unavailable();
    if (match === undefined) throw new GenesysHttpError(404, 'not.found', `No resource at ${url.pathname}`);
    if (match === 'method') throw new GenesysHttpError(405, 'method.not.allowed', `${req.method ?? ''} is not allowed on ${url.pathname}`);
    token = authenticate(state, req);
    headers = { ...headers, ...rateLimit(state, token) };
    if (state.faults.fail5xxNext > 0) {
      state.faults.fail5xxNext--;
      throw unavailable();
    }
    const permission = match.handler.permission;
    if (state.faults.deniedPermissions.includes(permission)) {
      throw new GenesysHttpError(403, 'missing.any.permissions', `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`, {}, { messageParams: { permissions: permission } });
    }
    if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
    const body = parseJson(await readBody(req));
    const reply = match.handler.handler({ state, params: match.params, query: url.searchParams, body, token });
    status = reply.status ?? 200;
    sendJson(res, status, reply.body ?? {}, headers);
  } catch (err) {
    const e = err instanceof GenesysHttpError ? err : new GenesysHttpError(500, 'internal.server.error', `Sandbox error: ${(err as Error).message}`);
    status = e.status;
    sendJson(res, status, errorBody(e), { ...headers, ...e.headers });
  } finally {
    state.countRequest(routeName, token?.token, status);
  }
}

async function handleAdmin(state: GenesysSandboxState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, errorBody(new GenesysHttpError(403, 'forbidden', 'The admin API answers loopback clients only')));
    return;
  }
  const match = adminRouter.match(req.method ?? 'GET', url.pathname);
  if (typeof match !== 'object') {
    sendJson(res, 404, errorBody(new GenesysHttpError(404, 'not.found', `No admin route ${req.method ?? ''} ${url.pathname}`)));
    return;
  }
  const reply = match.handler(state, match.params, parseJson(await readBody(req)));
  sendJson(res, reply.status ?? 200, reply.body ?? {});
}

async function handle(state: GenesysSandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  try {
    if (url.pathname.startsWith('/__admin/')) return await handleAdmin(state, req, res, url);
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      if (state.faults.outage) throw unavailable();
      const reply = tokenGrant(state, req, await readBody(req));
      state.countRequest('POST /oauth/token', undefined, reply.status);
      sendJson(res, reply.status, reply.body, { 'cache-control': 'no-store' });
      return;
    }
    await handleApi(state, req, res, url);
  } catch (err) {
    const e = err instanceof GenesysHttpError ? err : new GenesysHttpError(500, 'internal.server.error', `Sandbox error: ${(err as Error).message}`);
    if (!res.headersSent) sendJson(res, e.status, errorBody(e), e.headers);
  }
}

export async function startGenesysSandbox(opts: GenesysSandboxOptions = {}): Promise<GenesysSandbox> {
  const state = new GenesysSandboxState(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => void handle(state, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_GENESYS_SANDBOX_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
