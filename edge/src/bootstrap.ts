// /genesys-bootstrap/*: the real Messenger from the Genesys apps host, or the stub while chat is at capacity.
import type { EdgeConfig } from './config';
import { SURGE_FLAG, type FlagReader } from './flags';
import { hasLiveConversation } from './live-conversation';
import { renderStub } from './stub';

export const BOOTSTRAP_PREFIX = '/genesys-bootstrap/';
export const BOOTSTRAP_ENTRY = '/genesys-bootstrap/genesys.min.js';

// Browsers must ask again on every page load (a cheap 304 when unchanged): any lifetime would delay the flip
// for returning visitors, and the answer depends on the visitor's live-conversation cookie.
const ENTRY_BROWSER_CACHE = 'no-cache';
const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since'];

export interface BootstrapDeps {
  config: EdgeConfig;
  flags: FlagReader;
}

export async function handleBootstrap(request: Request, { config, flags }: BootstrapDeps): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  const url = new URL(request.url);
  const isEntry = url.pathname === BOOTSTRAP_ENTRY;
  // Only the entry point is swapped; a live conversation's own follow-up files always pass.
  if (isEntry && !hasLiveConversation(request) && (await flags.isOn(SURGE_FLAG))) {
    return stubResponse(request, config);
  }
  return fetchUpstream(request, url, isEntry, config);
}

function forwardedHeaders(request: Request): Headers {
  const headers = new Headers({ accept: request.headers.get('accept') ?? '*/*' });
  for (const name of CONDITIONAL_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

function stubResponse(request: Request, config: EdgeConfig): Response {
  return new Response(request.method === 'HEAD' ? null : renderStub(config.notice), {
    headers: {
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'no-store',
      'x-surge-mode': 'stub',
      'x-content-type-options': 'nosniff',
      vary: 'Cookie',
    },
  });
}

async function fetchUpstream(request: Request, url: URL, isEntry: boolean, config: EdgeConfig): Promise<Response> {
  const upstreamUrl = new URL(url.pathname + url.search, config.messengerUpstream);
  let upstream: Response;
  try {
    upstream = await fetch(upstreamUrl, {
      method: request.method,
      headers: forwardedHeaders(request),
      // Cloudflare's cache keeps good answers; errors are never cached so recovery is immediate.
      cf: { cacheEverything: true, cacheTtlByStatus: { '200-299': config.bootstrapCacheSeconds, '404': 30, '500-599': 0 } },
    });
  } catch (error) {
    console.error(`messenger upstream ${upstreamUrl.href} unreachable:`, error);
    return new Response('/* messenger upstream unreachable */\n', {
      status: 502,
      headers: { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  // Upstream errors pass through as they are; the page's Genesys queue keeps working either way.
  const response = new Response(upstream.body, upstream);
  response.headers.set('x-surge-mode', 'normal');
  if (isEntry) {
    response.headers.set('cache-control', upstream.ok || upstream.status === 304 ? ENTRY_BROWSER_CACHE : 'no-store');
    response.headers.append('vary', 'Cookie');
  }
  return response;
}
