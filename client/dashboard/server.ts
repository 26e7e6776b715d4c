// The ops dashboard's HTTP server: the page, a JSON API over SurgeClient (so every change is a Temporal
// Update and a refusal carries the workflow's own reason), and a Server-Sent Events stream of the status.
// node:http with a ten-line router: eight routes and SSE need no framework, and it adds no dependency.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SurgeClientError, type SurgeClient } from '../surge-client';
import { EVENT_ID_PATTERN, surgeEventWorkflowId } from '../../workflows/ids';
import type { SurgeStatus } from '../../workflows/messages';
import type { TierMode, TierNumber } from '../../workflows/types';
import { loadAssets, type Asset } from './assets';
import { createAuthenticator, checkOrigin, parseBasicAuth, parseTokens, SESSION_COOKIE, type BasicCredentials, type Operator, type OperatorToken } from './auth';
import { createThresholdSource, type ThresholdSource } from './event-thresholds';
import { HttpError, readForm, readJsonObject, sendError, sendJson, setSecurityHeaders } from './http-util';
import { loginPage } from './login-page';
import { clientAddress } from '../client-address';
import { createRateLimiter, type RateLimit } from '../rate-limit';

export interface DashboardOptions {
  surge: SurgeClient;
  /** Operator tokens: `secret`, `name:secret`, comma-separated, or already parsed. */
  token?: string | OperatorToken[];
  /** `user:password` or parsed. */
  basicAuth?: string | BasicCredentials;
  /** Base URL of the Temporal Web UI, for links to each event's workflow. */
  temporalUiUrl: string;
  /** How often the live stream re-reads the status. */
  streamIntervalMs?: number;
  thresholds?: ThresholdSource;
  /** Where request failures are reported (never with credentials). */
  log?: (line: string) => void;
  /** The address operators open (DASHBOARD_PUBLIC_URL): https makes the session cookie `Secure`. */
  publicUrl?: string;
  /** Proxy hops whose X-Forwarded-For is trusted to name the client (default 0: the socket's peer). */
  trustProxyHops?: number;
  /** Failed sign-ins and bearer/basic attempts per client: default 10, earned back over 15 minutes. */
  authFailureLimit?: RateLimit;
  /** How long a sign-in lasts (default 12 h). */
  sessionTtlMs?: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimit = { limit: 10, windowMs: 15 * 60_000 };

const EVENT_ID = EVENT_ID_PATTERN;

type Handler = (ctx: { req: IncomingMessage; res: ServerResponse; params: string[]; operator: Operator }) => Promise<void>;
interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** State-changing routes are checked for forgery before they run. */
  changesState: boolean;
  handler: Handler;
}

export async function createDashboardServer(options: DashboardOptions): Promise<Server> {
  const auth = createAuthenticator({
    tokens: typeof options.token === 'string' ? parseTokens(options.token) : (options.token ?? []),
    ...(() => {
      const basic = typeof options.basicAuth === 'string' ? parseBasicAuth(options.basicAuth) : options.basicAuth;
      return basic ? { basicAuth: basic } : {};
    })(),
    ...(options.sessionTtlMs !== undefined ? { sessionTtlMs: options.sessionTtlMs } : {}),
  });
  // Decided by configuration, never by a header the client sends (X-Forwarded-Proto can be forged).
  const secureCookie = options.publicUrl !== undefined && new URL(options.publicUrl).protocol === 'https:' ? '; Secure' : '';
  const authFailures = createRateLimiter(options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT);
  const trustProxyHops = options.trustProxyHops ?? 0;
  // Live streams by session, so signing out ends them at once.
  const streamsBySession = new Map<string, Set<() => void>>();
  const assets = await loadAssets();
  const surge = options.surge;
  const namespace = surge.client.options.namespace;
  const temporalUiUrl = options.temporalUiUrl.replace(/\/+$/, '');
  const thresholds = options.thresholds ?? createThresholdSource(surge.client);
  const streamIntervalMs = options.streamIntervalMs ?? 1500;
  const log = options.log ?? ((line: string) => console.error(line));
  const workflowUrl = (eventId: string) => `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(surgeEventWorkflowId(eventId))}`;

  const eventId = (raw: string | undefined): string => {
    const id = decodeURIComponent(raw ?? '');
    if (!EVENT_ID.test(id)) throw new HttpError(400, `eventId: must be lowercase letters, digits and dashes, got ${JSON.stringify(id.slice(0, 80))}`, 'eventId');
    return id;
  };
  const reasonOf = (body: Record<string, unknown>): string => {
    if (typeof body.reason !== 'string' || body.reason.trim() === '') throw new HttpError(400, 'reason: a non-empty reason is required (it goes in the audit log)', 'reason');
    return body.reason.trim();
  };
  const answerWithStatus = async (res: ServerResponse, id: string, status: SurgeStatus) =>
    sendJson(res, 200, { status, workflowUrl: workflowUrl(id), thresholds: await thresholds.get(id) });

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/api\/session$/,
      changesState: false,
      handler: async ({ res, operator }) =>
        sendJson(res, 200, { operator: operator.name, csrfToken: operator.csrfToken, namespace, temporalUiUrl, canLogout: operator.via === 'session' }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/events$/,
      changesState: false,
      handler: async ({ res }) => {
        const events = await surge.listEvents();
        sendJson(res, 200, { events: events.map((e) => ({ ...e, workflowUrl: workflowUrl(e.eventId) })) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/events\/([^/]+)$/,
      changesState: false,
      handler: async ({ res, params }) => {
        const id = eventId(params[0]);
        await answerWithStatus(res, id, await surge.status(id));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/events\/([^/]+)\/stream$/,
      changesState: false,
      handler: async ({ req, res, params, operator }) => streamStatus(req, res, eventId(params[0]), operator),
    },
    {
      method: 'POST',
      pattern: /^\/api\/events\/([^/]+)\/tiers\/([^/]+)$/,
      changesState: true,
      handler: async ({ req, res, params, operator }) => {
        const id = eventId(params[0]);
        const tier = Number(params[1]);
        if (![1, 2, 3, 4].includes(tier)) throw new HttpError(400, `tier: must be 1, 2, 3 or 4, got ${JSON.stringify(params[1])}`, 'tier');
        const body = await readJsonObject(req);
        if (!['auto', 'on', 'off'].includes(body.mode as string)) throw new HttpError(400, `mode: must be auto, on or off, got ${JSON.stringify(body.mode ?? null)}`, 'mode');
        const status = await surge.setTierMode(id, { tier: tier as TierNumber, mode: body.mode as TierMode, reason: reasonOf(body), by: operator.name });
        await answerWithStatus(res, id, status);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/events\/([^/]+)\/pause$/,
      changesState: true,
      handler: async ({ req, res, params, operator }) => {
        const id = eventId(params[0]);
        const body = await readJsonObject(req);
        await answerWithStatus(res, id, await surge.pauseAutomation(id, { reason: reasonOf(body), by: operator.name }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/events\/([^/]+)\/resume$/,
      changesState: true,
      handler: async ({ req, res, params, operator }) => {
        const id = eventId(params[0]);
        await readJsonObject(req);
        await answerWithStatus(res, id, await surge.resumeAutomation(id, { by: operator.name }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/events\/([^/]+)\/end$/,
      changesState: true,
      handler: async ({ req, res, params, operator }) => {
        const id = eventId(params[0]);
        const body = await readJsonObject(req);
        await answerWithStatus(res, id, await surge.endEvent(id, { reason: reasonOf(body), by: operator.name }));
      },
    },
    {
      method: 'POST',
      pattern: /^\/logout$/,
      changesState: true,
      handler: async ({ res, operator }) => {
        if (operator.sessionId) {
          auth.logout(operator.sessionId);
          for (const end of streamsBySession.get(operator.sessionId) ?? []) end();
        }
        res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secureCookie}`);
        sendJson(res, 200, { loggedOut: true });
      },
    },
  ];

  /**
   * Pushes the status whenever it changes (checked every streamIntervalMs), until the browser goes away or
   * the session behind it ends (signed out or expired: `event: signed-out`, then the stream closes).
   */
  async function streamStatus(req: IncomingMessage, res: ServerResponse, id: string, operator: Operator): Promise<void> {
    const first = await surge.status(id); // unknown events answer 404 before the stream opens
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    let last = '';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const sessionId = operator.sessionId;
    const stop = () => {
      closed = true;
      clearTimeout(timer);
      const set = sessionId ? streamsBySession.get(sessionId) : undefined;
      if (set?.delete(end) && set.size === 0) streamsBySession.delete(sessionId!);
    };
    const end = () => {
      if (closed) return;
      stop();
      res.end('event: signed-out\ndata: {}\n\n');
    };
    if (sessionId) {
      const set = streamsBySession.get(sessionId) ?? new Set();
      streamsBySession.set(sessionId, set.add(end));
    }
    const push = async (status: SurgeStatus) => {
      const data = JSON.stringify({ status, workflowUrl: workflowUrl(id), thresholds: await thresholds.get(id) });
      if (closed) return;
      if (data !== last) res.write(`event: status\ndata: ${data}\n\n`);
      else res.write(': unchanged\n\n'); // keeps proxies from timing the stream out
      last = data;
    };
    const tick = async () => {
      if (sessionId && !auth.sessionActive(sessionId)) return end();
      try {
        await push(await surge.status(id));
      } catch (err) {
        if (!closed) res.write(`event: problem\ndata: ${JSON.stringify({ error: (err as Error).message })}\n\n`);
      }
      if (!closed) timer = setTimeout(() => void tick(), streamIntervalMs);
    };
    req.on('close', stop);
    res.write(`retry: ${Math.max(1000, streamIntervalMs)}\n\n`);
    await push(first);
    if (!closed) timer = setTimeout(() => void tick(), streamIntervalMs);
  }

  /** 429 with Retry-After when this client has used up its failed attempts; true when answered. */
  function throttled(req: IncomingMessage, res: ServerResponse, client: string, path: string): boolean {
    const wait = authFailures.wait(client);
    if (wait === 0) return false;
    res.setHeader('Retry-After', String(wait));
    res.setHeader('Connection', 'close'); // the body stays unread: closed, not drained
    if (path === '/login') sendHtml(res, 429, loginPage('throttled'));
    else sendError(res, 429, `too many failed sign-in attempts from this client; retry after ${wait} s`, { retryAfterSeconds: wait });
    return true;
  }

  function sendUnauthorized(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (!req.complete) res.setHeader('Connection', 'close'); // a stranger's body is closed on, never drained
    if (auth.basicAuthEnabled) res.setHeader('WWW-Authenticate', 'Basic realm="surge-fallback ops", charset="UTF-8"');
    if (path.startsWith('/api/')) return sendError(res, 401, 'authentication required: send Authorization: Bearer <operator token>, basic auth, or sign in at /login');
    if (auth.tokenEnabled) return sendHtml(res, 401, loginPage('required'));
    sendHtml(res, 401, '<!doctype html><title>401</title><p>Authentication required.</p>');
  }

  async function handleLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No session yet, so no CSRF token: the origin check alone stops a forged login.
    const originProblem = checkOrigin(req);
    if (originProblem) return sendError(res, 403, originProblem);
    const client = clientAddress(req, trustProxyHops);
    if (throttled(req, res, client, '/login')) return;
    const form = await readForm(req);
    const session = auth.login(form.get('token') ?? '');
    if (!session) {
      authFailures.take(client);
      return sendHtml(res, 401, loginPage('wrong'));
    }
    res.writeHead(303, { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${session.sessionId}; HttpOnly; SameSite=Strict; Path=/${secureCookie}` });
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
    const method = req.method ?? 'GET';

    // Files that hold no data are public, so the login page can be styled.
    const publicAsset = path === '/favicon.svg' ? 'favicon.svg' : path === '/assets/style.css' ? 'style.css' : path === '/assets/app.js' ? 'app.js' : null;
    if (publicAsset && method === 'GET') return sendAsset(res, assets.get(publicAsset)!);
    if (path === '/login' && method === 'GET') return sendHtml(res, 200, loginPage('none'));
    if (path === '/login' && method === 'POST') {
      if (!auth.tokenEnabled) return sendError(res, 404, 'token login is not enabled (basic auth is)');
      return handleLogin(req, res);
    }

    // Bearer and basic credentials are guessed one request at a time: counted like sign-ins.
    const client = clientAddress(req, trustProxyHops);
    const triesCredentials = req.headers.authorization !== undefined;
    if (triesCredentials && throttled(req, res, client, path)) return;
    const operator = auth.identify(req);
    if (!operator) {
      if (triesCredentials) authFailures.take(client);
      return sendUnauthorized(req, res, path);
    }

    if (path === '/' && method === 'GET') return sendAsset(res, assets.get('index.html')!);
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.method !== method) {
        res.setHeader('Allow', route.method);
        return sendError(res, 405, `method ${method} not allowed on ${path}: use ${route.method}`);
      }
      if (route.changesState) {
        const problem = auth.forgeryProblem(req, operator);
        if (problem) return sendError(res, 403, problem);
      }
      return route.handler({ req, res, params: match.slice(1), operator });
    }
    sendError(res, 404, `no such page or API route: ${method} ${path}`);
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const answer = errorAnswer(err);
      if (answer.status >= 500) log(`dashboard: ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (res.headersSent) return res.end();
      sendError(res, answer.status, answer.error, answer.field ? { field: answer.field } : {});
    });
  });
}

function errorAnswer(err: unknown): { status: number; error: string; field?: string } {
  if (err instanceof HttpError) return { status: err.status, error: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof SurgeClientError) {
    const status = { 'not-found': 404, refused: 409, 'already-running': 409, 'actuator-owned': 409, timeout: 504, invalid: 400 }[err.kind];
    const field = err.kind === 'invalid' ? /^refused: (\w+):/.exec(err.message)?.[1] : undefined;
    return { status, error: err.message, ...(field ? { field } : {}) };
  }
  return { status: 502, error: `the dashboard could not reach Temporal: ${(err as Error)?.message ?? String(err)}` };
}

function sendAsset(res: ServerResponse, asset: Asset): void {
  res.writeHead(200, { 'Content-Type': asset.contentType, 'Content-Length': asset.body.length, 'Cache-Control': 'no-cache' });
  res.end(asset.body);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

export interface StartDashboardOptions extends DashboardOptions {
  /** Default: env DASHBOARD_PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the dashboard is not meant to face the internet without a proxy in front. */
  host?: string;
}

export interface RunningDashboard {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const port = options.port ?? Number(process.env.DASHBOARD_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`DASHBOARD_PORT: must be a port number 0-65535, got ${JSON.stringify(process.env.DASHBOARD_PORT)}`);
  const host = options.host ?? '127.0.0.1';
  const server = await createDashboardServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`dashboard: port ${port} on ${host} is already in use (set DASHBOARD_PORT to use another)`) : err),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // live streams never end on their own
        server.close(() => resolve());
      }),
  };
}
