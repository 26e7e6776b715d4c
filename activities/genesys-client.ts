// One authenticated Genesys Cloud session over the real SDK: client-credentials login, token renewal,
// gateway routing and errors an operator can act on. It retries exactly one thing itself: a single
// re-login on 401. Everything else throws at once, typed (workflows/failure-classes.ts): Temporal's retry
// policy (workflows/activity-options.ts) is the one retry budget, visible in history, and a 429 carries
// `nextRetryDelay` from Retry-After so Temporal waits it out instead of the activity sleeping past its timeout.
// Each session owns its own ApiClient, so sessions (and tests) never share a token
// or a gateway through the SDK's process-wide singleton.
import * as platformClient from 'purecloud-platform-client-v2';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as delay } from 'node:timers/promises';

type ApiClient = platformClient.ApiClientClass;
const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => ApiClient }).ApiClientClass;

export interface GenesysSessionOptions {
  clientId: string;
  clientSecret: string;
  /** Region domain (`mypurecloud.ie`) or region key (`eu_west_1`); default `mypurecloud.com`. */
  region?: string;
  /** Routes login and API through `setGateway`, e.g. `http://127.0.0.1:8900` for the sandbox. */
  gatewayUrl?: string;
  /** Per-request HTTP timeout. */
  timeoutMs?: number;
  /** Renew the token this long before it expires (capped at half its lifetime). */
  renewBeforeMs?: number;
  /** Seams for tests: the clock the token lifetime is measured on, and how the session waits. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What a call does, for error messages: the permission it needs and the object it touches. */
export interface CallSpec {
  action: string;
  permission: string;
  resource: string;
}

/** Failure types callers (and workflow retry policies) can match on. */
export const GenesysFailure = {
  notFound: 'GenesysNotFound',
  permissionDenied: 'GenesysPermissionDenied',
  unauthorized: 'GenesysUnauthorized',
  loginFailed: 'GenesysLoginFailed',
  badRequest: 'GenesysBadRequest',
  conflict: 'GenesysConflict',
  rateLimited: 'GenesysRateLimited',
  unavailable: 'GenesysUnavailable',
  malformedResponse: 'GenesysMalformedResponse',
  publishFailed: 'GenesysPublishFailed',
  config: 'GenesysConfigError',
} as const;

/** A platform or transport failure, normalised from the several shapes the SDK rejects with. */
interface ApiFailure {
  status?: number;
  code?: string;
  message: string;
  headers: Record<string, string>;
  /** axios error code (ECONNREFUSED, ECONNABORTED, ...) when no HTTP answer came back. */
  transport?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headersOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(raw)) return out;
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

function describeBody(body: unknown): { code?: string; message: string } {
  if (isRecord(body)) {
    const message = body.message ?? body.error_description ?? body.description ?? body.error;
    return { code: typeof body.code === 'string' ? body.code : typeof body.error === 'string' ? body.error : undefined, message: typeof message === 'string' ? message : JSON.stringify(body) };
  }
  return { message: typeof body === 'string' && body !== '' ? body : 'no body' };
}

function toApiFailure(err: unknown): ApiFailure {
  // Missing required parameters are thrown synchronously as a plain string.
  if (typeof err === 'string') return { message: err, headers: {} };
  if (err instanceof Error) {
    const axiosLike = err as Error & { code?: string; response?: { status?: number; data?: unknown; headers?: unknown } };
    if (axiosLike.response?.status !== undefined) {
      return { status: axiosLike.response.status, ...describeBody(axiosLike.response.data), headers: headersOf(axiosLike.response.headers) };
    }
    return { message: err.message, headers: {}, transport: axiosLike.code ?? 'ERROR' };
  }
  if (isRecord(err) && typeof err.status === 'number') {
    // setReturnExtendedResponses(true): {status, headers, body, error}; otherwise the parsed body itself.
    const body = 'body' in err || 'headers' in err ? err.body : err;
    return { status: err.status, ...describeBody(body), headers: headersOf(err.headers) };
  }
  return { message: `unexpected rejection: ${JSON.stringify(err)}`, headers: {} };
}

const isTransient = (f: ApiFailure) => f.transport !== undefined || (f.status !== undefined && f.status >= 500);

/** Genesys sends Retry-After (seconds) on a 429 and inin-ratelimit-reset (seconds) on every answer (reference/genesys-cloud.md §7). */
function retryAfterMs(f: ApiFailure): number {
  for (const header of ['retry-after', 'inin-ratelimit-reset']) {
    const seconds = Number(f.headers[header]);
    if (f.headers[header] !== undefined && Number.isFinite(seconds) && seconds >= 0) return Math.max(seconds, 1) * 1000;
  }
  return 3000;
}

function describeFailure(f: ApiFailure): string {
  if (f.transport) return `${f.transport}: ${f.message}`;
  return `HTTP ${f.status ?? '?'}${f.code ? ` ${f.code}` : ''}: ${f.message}`;
}

/** The Temporal activity context when running inside one, for heartbeats and cancellable sleeps. */
export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

async function defaultSleep(ms: number): Promise<void> {
  const ctx = currentActivity();
  if (ctx) await ctx.sleep(ms);
  else await delay(ms);
}

function configureGateway(client: ApiClient, gatewayUrl: string): void {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw ApplicationFailure.nonRetryable(`GENESYS_GATEWAY_URL "${gatewayUrl}" is not a URL (expected e.g. http://127.0.0.1:8900)`, GenesysFailure.config);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw ApplicationFailure.nonRetryable(`GENESYS_GATEWAY_URL must use http or https, got ${url.protocol}`, GenesysFailure.config);
  }
  const path = url.pathname.replace(/\/+$/, '');
  client.setGateway({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    protocol: url.protocol.slice(0, -1),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(path ? { path_params_login: path, path_params_api: path } : {}),
  });
}

export class GenesysSession {
  readonly client: ApiClient;
  readonly analytics: platformClient.AnalyticsApi;
  readonly architect: platformClient.ArchitectApi;
  readonly routing: platformClient.RoutingApi;
  readonly webDeployments: platformClient.WebDeploymentsApi;
  readonly conversations: platformClient.ConversationsApi;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly opts: Required<Pick<GenesysSessionOptions, 'renewBeforeMs'>>;
  private expiresAt: number | undefined;
  private renewAt = 0;
  private tokenGeneration = 0;
  private loginInFlight: Promise<void> | undefined;

  constructor(private readonly options: GenesysSessionOptions) {
    if (!options.clientId) throw ApplicationFailure.nonRetryable('GENESYS_CLIENT_ID is empty', GenesysFailure.config);
    if (!options.clientSecret) throw ApplicationFailure.nonRetryable('GENESYS_CLIENT_SECRET is empty', GenesysFailure.config);
    this.client = new ApiClientClass();
    // The SDK reads and watches ~/.genesyscloudjavascript/config; a change to that file without a [gateway]
    // section calls setGateway() and would silently send us to the real cloud. Stop watching it before
    // configuring anything.
    this.client.config.live_reload_config = false;
    this.client.config.setConfigPath('');
    // Not in the typings, but every request copies it (and the lazily created HTTP client reads it).
    (this.client as unknown as { timeout: number }).timeout = options.timeoutMs ?? 10_000;
    // Rejections then carry status and headers (Retry-After, inin-ratelimit-*), not just the body.
    this.client.setReturnExtendedResponses(true);
    if (options.gatewayUrl) {
      configureGateway(this.client, options.gatewayUrl);
    } else {
      const region = options.region ?? 'mypurecloud.com';
      this.client.setEnvironment(platformClient.PureCloudRegionHosts[region] ?? region);
    }
    this.analytics = new platformClient.AnalyticsApi(this.client);
    this.architect = new platformClient.ArchitectApi(this.client);
    this.routing = new platformClient.RoutingApi(this.client);
    this.webDeployments = new platformClient.WebDeploymentsApi(this.client);
    this.conversations = new platformClient.ConversationsApi(this.client);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.opts = {
      renewBeforeMs: options.renewBeforeMs ?? 5 * 60_000,
    };
  }

  /** Logs in when there is no token or it is about to expire; concurrent callers share one login. */
  async ensureToken(): Promise<void> {
    if (this.expiresAt !== undefined && this.now() < this.renewAt) return;
    this.loginInFlight ??= this.login().finally(() => (this.loginInFlight = undefined));
    await this.loginInFlight;
  }

  private async login(): Promise<void> {
    try {
      const auth = await this.client.loginClientCredentialsGrant(this.options.clientId, this.options.clientSecret);
      // The SDK measures expiry on the wall clock; keep the lifetime and measure it on ours.
      const ttlMs = Math.max(0, auth.tokenExpiryTime - Date.now());
      this.expiresAt = this.now() + ttlMs;
      this.renewAt = this.expiresAt - Math.min(this.opts.renewBeforeMs, ttlMs / 2);
      this.tokenGeneration++;
    } catch (err) {
      const f = toApiFailure(err);
      if (f.status === 429) throw rateLimited(f, 'log in');
      if (isTransient(f)) throw unavailable(f, 'log in');
      throw ApplicationFailure.nonRetryable(
        `Genesys Cloud login failed (${describeFailure(f)}): check GENESYS_CLIENT_ID (${this.options.clientId}) and GENESYS_CLIENT_SECRET, ` +
          'and that the OAuth client uses the client-credentials grant and is active',
        GenesysFailure.loginFailed,
      );
    }
  }

  /**
   * Runs one SDK call with a valid token: re-logs in once on a 401 (a revoked or expired token) and
   * otherwise throws at once, typed, for Temporal's retry policy to handle (or not, for what no retry fixes).
   */
  async call<T>(spec: CallSpec, fn: () => Promise<T>): Promise<T> {
    let reloggedIn = false;
    for (;;) {
      await this.ensureToken();
      const generation = this.tokenGeneration;
      let f: ApiFailure;
      try {
        const res = (await fn()) as unknown;
        return (isRecord(res) && 'body' in res && 'status' in res ? res.body : res) as T;
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        f = toApiFailure(err);
      }
      const what = `${spec.action} (${spec.resource})`;
      if (f.status === 401) {
        if (reloggedIn) {
          throw ApplicationFailure.nonRetryable(
            `Genesys Cloud rejected a fresh token while trying to ${what} (${describeFailure(f)}): check that OAuth client ${this.options.clientId} is active and its token is not revoked`,
            GenesysFailure.unauthorized,
          );
        }
        reloggedIn = true;
        if (generation === this.tokenGeneration) this.expiresAt = undefined;
        continue;
      }
      if (f.status === 429) throw rateLimited(f, what);
      if (isTransient(f)) throw unavailable(f, what);
      throw failureFor(spec, f);
    }
  }
}

/** 429: retryable, and Temporal's next attempt waits what the platform asked (Retry-After / inin-ratelimit-reset). */
function rateLimited(f: ApiFailure, what: string): ApplicationFailure {
  const usage = f.headers['inin-ratelimit-allowed'] ? ` (${f.headers['inin-ratelimit-count'] ?? '?'}/${f.headers['inin-ratelimit-allowed']} per minute)` : '';
  const delayMs = retryAfterMs(f);
  return ApplicationFailure.create({
    type: GenesysFailure.rateLimited,
    message: `Genesys Cloud rate-limited the attempt to ${what}${usage}; retrying in ${Math.round(delayMs / 1000)} s`,
    nonRetryable: false,
    nextRetryDelay: delayMs,
    details: [{ status: 429, retryAfterMs: delayMs }],
  });
}

/** 5xx, a timeout or no connection: what an outage looks like from here (platform class). */
function unavailable(f: ApiFailure, what: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: GenesysFailure.unavailable,
    message: `Genesys Cloud unavailable while trying to ${what} (${describeFailure(f)})`,
    nonRetryable: false,
    details: [{ status: f.status, transport: f.transport }],
  });
}

function failureFor(spec: CallSpec, f: ApiFailure): ApplicationFailure {
  const details = { status: f.status, code: f.code };
  const create = (type: string, message: string, nonRetryable = true) => ApplicationFailure.create({ type, message, nonRetryable, details: [details] });
  switch (f.status) {
    case 403:
      return create(
        GenesysFailure.permissionDenied,
        `Genesys Cloud refused to ${spec.action} (${spec.resource}): the OAuth client's role needs permission ${spec.permission} (${describeFailure(f)})`,
      );
    case 404:
      return create(GenesysFailure.notFound, `Genesys Cloud has no ${spec.resource} (${describeFailure(f)} while trying to ${spec.action}): check the ID in the event configuration`);
    case 409:
      return create(GenesysFailure.conflict, `Genesys Cloud reported a conflict while trying to ${spec.action} (${spec.resource}): ${describeFailure(f)}`, false);
    default:
      return create(GenesysFailure.badRequest, `Genesys Cloud rejected the request to ${spec.action} (${spec.resource}): ${describeFailure(f)}`);
  }
}

/** Builds a session from `GENESYS_CLIENT_ID`, `GENESYS_CLIENT_SECRET` and `GENESYS_REGION` or `GENESYS_GATEWAY_URL`. */
export function createGenesysSession(env: NodeJS.ProcessEnv = process.env, overrides: Partial<GenesysSessionOptions> = {}): GenesysSession {
  const missing = ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`Genesys Cloud is not configured: set ${missing.join(' and ')}`);
  if (!env.GENESYS_REGION && !env.GENESYS_GATEWAY_URL) {
    throw new Error('Genesys Cloud is not configured: set GENESYS_REGION (e.g. mypurecloud.com) or GENESYS_GATEWAY_URL (e.g. http://127.0.0.1:8900)');
  }
  return new GenesysSession({
    clientId: env.GENESYS_CLIENT_ID!,
    clientSecret: env.GENESYS_CLIENT_SECRET!,
    region: env.GENESYS_REGION || undefined,
    gatewayUrl: env.GENESYS_GATEWAY_URL || undefined,
    ...overrides,
  });
}
