// Tier 4: support navigations get the static fallback page; /support-status.json feeds it.
import { FALLBACK_FLAG, SUPPORT_STATUS_KEY, type FlagReader } from './flags';

export const SUPPORT_STATUS_PATH = '/support-status.json';
const FALLBACK_ASSET = '/support-fallback.html';

export function isSupportNavigation(request: Request, prefixes: string[]): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.get('accept') ?? '').includes('text/html')) return false;
  const path = new URL(request.url).pathname;
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}.`));
}

/** The fallback page while tier 4 is on, or null to let the request through to the site. */
export async function fallbackPageIfActive(request: Request, flags: FlagReader, assets: Fetcher): Promise<Response | null> {
  if (!(await flags.isOn(FALLBACK_FLAG))) return null;
  const asset = await assets.fetch(new Request(new URL(FALLBACK_ASSET, request.url), { method: 'GET' }));
  if (!asset.ok) {
    console.error(`fallback asset ${FALLBACK_ASSET} answered ${asset.status}; passing the request through`);
    return null;
  }
  return new Response(request.method === 'HEAD' ? null : asset.body, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // Short-lived so support pages come back within seconds of the flag clearing.
      'cache-control': 'no-store',
      'x-surge-mode': 'fallback',
      'x-content-type-options': 'nosniff',
    },
  });
}

export interface SupportStatusBody {
  level: string;
  message: string;
  updatedAt: string | null;
}

/** Shown when nothing (or nothing readable) has been published: neither alarming nor reassuring. */
export const NEUTRAL_STATUS: SupportStatusBody = { level: 'unknown', message: '', updatedAt: null };

export async function handleSupportStatus(flags: FlagReader): Promise<Response> {
  const raw = await flags.readText(SUPPORT_STATUS_KEY);
  return new Response(JSON.stringify(parseSupportStatus(raw)), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'public, max-age=15',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Keeps only the known fields with the right types; anything else falls back to the neutral status. */
export function parseSupportStatus(raw: string | null): SupportStatusBody {
  if (raw === null) return NEUTRAL_STATUS;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    console.error(`KV ${SUPPORT_STATUS_KEY} is not JSON; serving the neutral status`);
    return NEUTRAL_STATUS;
  }
  if (typeof value !== 'object' || value === null) return NEUTRAL_STATUS;
  const { level, message, updatedAt } = value as Record<string, unknown>;
  if (!['ok', 'degraded', 'outage'].includes(level as string) || typeof message !== 'string') {
    console.error(`KV ${SUPPORT_STATUS_KEY} lacks a valid level/message; serving the neutral status`);
    return NEUTRAL_STATUS;
  }
  return {
    level: level as string,
    message: message.slice(0, 2000),
    updatedAt: typeof updatedAt === 'string' ? updatedAt : null,
  };
}
