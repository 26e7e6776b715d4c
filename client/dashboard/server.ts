// The ops dashboard's HTTP server: the page, a JSON API over SurgeClient (so every change is a Temporal
// Update and a refusal carries the workflow's own reason), and a Server-Sent Events stream of the status.
// node:http with a ten-line router: eight routes and SSE need no framework, and it adds no dependency.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SurgeClientError, type SurgeClient } from '../surge-client';
import { surgeEventWorkflowId } from '../../workflows/ids';
import type { SurgeStatus } from '../../workflows/messages';
import type { TierMode, TierNumber } from '../../workflows/types';
import { loadAssets, type Asset } from './assets';
import { createAuthenticator, checkOrigin, parseBasicAuth, parseTokens, SESSION_COOKIE, type BasicCredentials, type Operator, type OperatorToken } from './auth';
import { createThresholdSource, type ThresholdSource } from './event-thresholds';
import { HttpError, readForm, readJsonObject, sendError, sendJson, setSecurityHeaders } from './http-util';
import { loginPage } from './login-page';

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
}

const EVENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

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
  });
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
      handler: async ({ req, res, params }) => streamStatus(req, res, eventId(params[0])),
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
        if (operator.sessionId) auth.logout(operator.sessionId);
        res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
        sendJson(res, 200, { loggedOut: true });
      },
    },
  ];

  /** Pushes the status whenever it changes (checked every streamIntervalMs), until the browser goes away. */
  async function streamStatus(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const first = await surge.status(id); // unknown events answer 404 before the stream opens
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    let last = '';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const push = async (status: SurgeStatus) => {
      const data = JSON.stringify({ status, workflowUrl: workflowUrl(id), thresholds: await thresholds.get(id) });
      if (data !== last) res.write(`event: status\ndata: ${data}\n\n`);
      else res.write(': unchanged\n\n'); // keeps proxies from timing the stream out
      last = data;
    };
    const tick = async () => {
      try {
        await push(await surge.status(id));
      } catch (err) {
        res.write(`event: problem\ndata: ${JSON.stringify({ error: (err as Error).message })}\n\n`);
      }
      if (!closed) timer = setTimeout(() => void tick(), streamIntervalMs);
    };
    req.on('close', () => {
      closed = true;
      clearTimeout(timer);
    });
    res.write(`retry: ${Math.max(1000, streamIntervalMs)}\n\n`);
    await push(first);
    timer = setTimeout(() => void tick(), streamIntervalMs);
  }

  function sendUnauthorized(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (auth.basicAuthEnabled) res.setHeader('WWW-Authenticate', 'Basic realm="surge-fallback ops", charset="UTF-8"');
    if (path.startsWith('/api/')) return sendError(res, 401, 'authentication required: send Authorization: Bearer <operator token>, basic auth, or sign in at /login');
    if (auth.tokenEnabled) return sendHtml(res, 401, loginPage('required'));
    sendHtml(res, 401, '<!doctype html><title>401</title><p>Authentication required.</p>');
  }

  async function handleLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No session yet, so no CSRF token: the origin check alone stops a forged login.
    const originProblem = checkOrigin(req);
    if (originProblem) return sendError(res, 403, originProblem);
    const form = await readForm(req);
    const session = auth.login(form.get('token') ?? '');
    if (!session) return sendHtml(res, 401, loginPage('wrong'));
    const secure = (req.headers['x-forwarded-proto'] ?? '') === 'https' ? '; Secure' : '';
    res.writeHead(303, { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${session.sessionId}; HttpOnly; SameSite=Strict; Path=/${secure}` });
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

    const operator = auth.identify(req);
    if (!operator) return sendUnauthorized(req, res, path);

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
    const status = { 'not-found': 404, refused: 409, 'already-running': 409, timeout: 504, invalid: 400 }[err.kind];
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
