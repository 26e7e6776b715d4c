// Who is asking, and may they change anything. Operators authenticate with a named token (Bearer header,
// or once through the login form, which then rides in an HttpOnly SameSite=Strict session cookie) or with
// basic auth. Browsers attach cookies and basic credentials on their own, so every state-changing request
// must also come from our own origin AND carry the session's CSRF token (double defence).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface OperatorToken {
  /** Recorded as `by` in the workflow's audit log. */
  name: string;
  secret: string;
}
export interface BasicCredentials {
  user: string;
  password: string;
}

export interface Operator {
  name: string;
  via: 'bearer' | 'session' | 'basic';
  csrfToken: string;
  sessionId?: string;
}

export const SESSION_COOKIE = 'surge_session';

/** `DASHBOARD_TOKEN`: `secret`, or `name:secret`, or several of those separated by commas. */
export function parseTokens(value: string | undefined): OperatorToken[] {
  if (!value || value.trim() === '') return [];
  return value.split(',').map((entry, i) => {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    const [name, secret] = colon < 0 ? ['operator', trimmed] : [trimmed.slice(0, colon), trimmed.slice(colon + 1)];
    if (name === '' || secret.length < 8) {
      throw new Error(`DASHBOARD_TOKEN entry ${i + 1}: expected "secret" or "name:secret" with a secret of at least 8 characters`);
    }
    return { name, secret };
  });
}

/** `DASHBOARD_BASIC_AUTH`: `user:password`. */
export function parseBasicAuth(value: string | undefined): BasicCredentials | undefined {
  if (!value || value.trim() === '') return undefined;
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) throw new Error('DASHBOARD_BASIC_AUTH: expected "user:password"');
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

function sameSecret(given: string, expected: string): boolean {
  // Compare digests so neither the length nor the content leaks through timing.
  const a = createHmac('sha256', 'cmp').update(given).digest();
  const b = createHmac('sha256', 'cmp').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The request's cookies. One that can't be decoded (`foo=%`) is skipped, not fatal: cookies on one host are
 * shared across ports, so another app's cookie must not lock an operator out. The first of a name wins.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // malformed percent-encoding: not ours, ignored
    }
  }
  return cookies;
}

export interface AuthOptions {
  tokens: OperatorToken[];
  basicAuth?: BasicCredentials;
  sessionTtlMs?: number;
}

export interface Authenticator {
  /** The operator behind the request, or null (the caller answers 401 without any data). */
  identify(req: IncomingMessage): Operator | null;
  /** Checks a token typed into the login form; on success a new session and its cookie value. */
  login(secret: string): { sessionId: string; operator: string } | null;
  logout(sessionId: string): void;
  /** Whether a session is still signed in and unexpired (live streams end when it is not). */
  sessionActive(sessionId: string): boolean;
  /** Why a state-changing request must be refused, or null when it comes from our page. */
  forgeryProblem(req: IncomingMessage, operator: Operator): string | null;
  readonly basicAuthEnabled: boolean;
  readonly tokenEnabled: boolean;
}

export function createAuthenticator(options: AuthOptions): Authenticator {
  if (options.tokens.length === 0 && !options.basicAuth) throw new Error('the dashboard needs an operator token or basic auth: refusing to run open');
  const ttl = options.sessionTtlMs ?? 12 * 3600_000;
  const sessions = new Map<string, { operator: string; csrfToken: string; expiresAt: number }>();
  // Header-authenticated callers have no session: their CSRF token is derived from a per-process key.
  const csrfKey = randomBytes(32);
  const derivedCsrf = (who: string) => createHmac('sha256', csrfKey).update(who).digest('base64url');

  function fromHeader(req: IncomingMessage): Operator | null {
    const header = req.headers.authorization ?? '';
    const [scheme, value] = [header.slice(0, header.indexOf(' ')).toLowerCase(), header.slice(header.indexOf(' ') + 1).trim()];
    if (scheme === 'bearer') {
      const token = options.tokens.find((t) => sameSecret(value, t.secret));
      return token ? { name: token.name, via: 'bearer', csrfToken: derivedCsrf(`bearer:${token.name}`) } : null;
    }
    if (scheme === 'basic' && options.basicAuth) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      const ok = colon > 0 && sameSecret(user, options.basicAuth.user) && sameSecret(decoded.slice(colon + 1), options.basicAuth.password);
      return ok ? { name: user, via: 'basic', csrfToken: derivedCsrf(`basic:${user}`) } : null;
    }
    return null;
  }

  return {
    basicAuthEnabled: options.basicAuth !== undefined,
    tokenEnabled: options.tokens.length > 0,
    identify(req) {
      if (req.headers.authorization) return fromHeader(req);
      const sessionId = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      const session = sessionId ? sessions.get(sessionId) : undefined;
      if (!sessionId || !session) return null;
      if (session.expiresAt < Date.now()) {
        sessions.delete(sessionId);
        return null;
      }
      return { name: session.operator, via: 'session', csrfToken: session.csrfToken, sessionId };
    },
    login(secret) {
      const token = options.tokens.find((t) => sameSecret(secret, t.secret));
      if (!token) return null;
      const sessionId = randomBytes(32).toString('base64url');
      sessions.set(sessionId, { operator: token.name, csrfToken: randomBytes(32).toString('base64url'), expiresAt: Date.now() + ttl });
      return { sessionId, operator: token.name };
    },
    logout(sessionId) {
      sessions.delete(sessionId);
    },
    sessionActive(sessionId) {
      const session = sessions.get(sessionId);
      if (session && session.expiresAt < Date.now()) sessions.delete(sessionId);
      return session !== undefined && session.expiresAt >= Date.now();
    },
    forgeryProblem(req, operator) {
      const fetchSite = req.headers['sec-fetch-site'];
      if (fetchSite !== undefined && fetchSite !== 'same-origin') {
        return `cross-site request refused: Sec-Fetch-Site is "${String(fetchSite)}", expected "same-origin"`;
      }
      const originProblem = checkOrigin(req);
      if (originProblem) return originProblem;
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || given === '') return 'CSRF token missing: send the X-CSRF-Token header (GET /api/session gives it)';
      if (!sameSecret(given, operator.csrfToken)) return 'CSRF token does not match this session';
      return null;
    },
  };
}

/** The Origin (or, failing that, Referer) must name this very host. */
export function checkOrigin(req: IncomingMessage): string | null {
  const host = req.headers.host;
  const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
  if (!origin) return 'cross-site protection: the request has no Origin header, so it cannot be shown to come from this dashboard';
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `cross-site request refused: Origin "${origin}" is not a URL`;
  }
  if (!host || originHost !== host) return `cross-site request refused: Origin "${origin}" is not this dashboard (${host ?? 'no Host header'})`;
  return null;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
