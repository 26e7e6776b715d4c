// Reads the Worker's vars into a typed config. Pure (no Workers APIs) so Node tests can import it.

/** The vars wrangler.toml declares; every value arrives as a string. */
export interface EdgeVars {
  MESSENGER_UPSTREAM?: string;
  BOOTSTRAP_CACHE_SECONDS?: string;
  FLAG_CACHE_TTL_SECONDS?: string;
  FLAG_READ_TIMEOUT_MS?: string;
  SUPPORT_PATH_PREFIXES?: string;
  NOTICE_TITLE?: string;
  NOTICE_TEXT?: string;
  NOTICE_EMAIL?: string;
  NOTICE_FAQ_URL?: string;
  NOTICE_STATUS_URL?: string;
  LAUNCHER_SELECTOR?: string;
  ORIGIN_OVERRIDE?: string;
}

/** What the stub shows. Text fields are rendered with textContent; links are validated here. */
export interface NoticeConfig {
  title: string;
  text: string;
  email: string | null;
  faqUrl: string | null;
  statusUrl: string | null;
  launcherSelector: string | null;
}

export interface EdgeConfig {
  messengerUpstream: string;
  bootstrapCacheSeconds: number;
  flagCacheTtlSeconds: number;
  flagReadTimeoutMs: number;
  supportPathPrefixes: string[];
  notice: NoticeConfig;
  /** Dev and tests only: origin for pass-through requests instead of the zone's origin. */
  originOverride: string | null;
}

export class EdgeConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`edge config: ${variable} ${problem}`);
    this.name = 'EdgeConfigError';
  }
}

/** The Genesys apps host of the default (US East) region: the bootstrap of last resort. */
export const DEFAULT_MESSENGER_UPSTREAM = 'https://apps.mypurecloud.com';

/** KV rejects a cacheTtl below 30 s (production and Miniflare 4). */
export const MIN_FLAG_CACHE_TTL_SECONDS = 30;

export function readEdgeConfig(vars: EdgeVars): EdgeConfig {
  return {
    messengerUpstream: httpOrigin('MESSENGER_UPSTREAM', vars.MESSENGER_UPSTREAM || DEFAULT_MESSENGER_UPSTREAM),
    bootstrapCacheSeconds: integer('BOOTSTRAP_CACHE_SECONDS', vars.BOOTSTRAP_CACHE_SECONDS, 300, 0),
    flagCacheTtlSeconds: integer('FLAG_CACHE_TTL_SECONDS', vars.FLAG_CACHE_TTL_SECONDS, 30, MIN_FLAG_CACHE_TTL_SECONDS),
    flagReadTimeoutMs: integer('FLAG_READ_TIMEOUT_MS', vars.FLAG_READ_TIMEOUT_MS, 500, 1),
    supportPathPrefixes: pathPrefixes('SUPPORT_PATH_PREFIXES', vars.SUPPORT_PATH_PREFIXES ?? '/support,/help'),
    notice: {
      title: plainText('NOTICE_TITLE', vars.NOTICE_TITLE, 'Chat is at capacity right now'),
      text: plainText('NOTICE_TEXT', vars.NOTICE_TEXT, 'You can still reach us by email or find answers in our help centre.'),
      email: optional(vars.NOTICE_EMAIL, (v) => email('NOTICE_EMAIL', v)),
      faqUrl: optional(vars.NOTICE_FAQ_URL, (v) => link('NOTICE_FAQ_URL', v)),
      statusUrl: optional(vars.NOTICE_STATUS_URL, (v) => link('NOTICE_STATUS_URL', v)),
      launcherSelector: optional(vars.LAUNCHER_SELECTOR, (v) => v),
    },
    originOverride: optional(vars.ORIGIN_OVERRIDE, (v) => httpOrigin('ORIGIN_OVERRIDE', v)),
  };
}

/**
 * Where to fetch the real Messenger when the config as a whole is invalid (any variable). The bootstrap must keep
 * working: the page's snippet loads it from this site, and the origin has no such file. MESSENGER_UPSTREAM is used
 * if it is itself valid, otherwise the built-in default. Never throws.
 */
export function fallbackMessengerUpstream(vars: EdgeVars): string {
  try {
    return httpOrigin('MESSENGER_UPSTREAM', vars.MESSENGER_UPSTREAM || DEFAULT_MESSENGER_UPSTREAM);
  } catch {
    return DEFAULT_MESSENGER_UPSTREAM;
  }
}

/**
 * The config used when readEdgeConfig fails: built-in defaults for everything, the notice never shown (a broken
 * config must not switch on a customer-facing tier), pass-through to the zone's origin.
 */
export function failSafeConfig(vars: EdgeVars): EdgeConfig {
  return { ...readEdgeConfig({}), messengerUpstream: fallbackMessengerUpstream(vars) };
}

function optional<T>(raw: string | undefined, parse: (value: string) => T): T | null {
  const value = raw?.trim();
  return value ? parse(value) : null;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new EdgeConfigError(name, `must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function httpOrigin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EdgeConfigError(name, `must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EdgeConfigError(name, `must use http or https, got ${JSON.stringify(raw)}`);
  }
  return url.origin;
}

function pathPrefixes(name: string, raw: string): string[] {
  const prefixes = raw.split(',').map((p) => p.trim()).filter(Boolean);
  for (const prefix of prefixes) {
    if (!prefix.startsWith('/') || prefix === '/' || /[\s?#*]/.test(prefix)) {
      throw new EdgeConfigError(name, `entries must be paths like /support (no '/', wildcards or queries), got ${JSON.stringify(prefix)}`);
    }
  }
  return prefixes.map((p) => p.replace(/\/+$/, ''));
}

function plainText(name: string, raw: string | undefined, fallback: string): string {
  const value = raw?.trim() || fallback;
  if (value.length > 500) throw new EdgeConfigError(name, `must be at most 500 characters, got ${value.length}`);
  return value;
}

function email(name: string, raw: string): string {
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(raw)) {
    throw new EdgeConfigError(name, `must be an email address, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/** A link the notice may show: https/http or a same-site path. Never `javascript:` or `data:`. */
function link(name: string, raw: string): string {
  if (raw.startsWith('/') && !raw.startsWith('//')) return raw;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  throw new EdgeConfigError(name, `must be an http(s) URL or a path starting with '/', got ${JSON.stringify(raw)}`);
}
