// The surge-fallback edge Worker. Routed only on the Messenger bootstrap, the support paths and the status JSON.
import { handleBootstrap, BOOTSTRAP_PREFIX } from './bootstrap';
import { readEdgeConfig, type EdgeConfig } from './config';
import { createFlagReader } from './flags';
import { fallbackPageIfActive, handleSupportStatus, isSupportNavigation, SUPPORT_STATUS_PATH } from './support';

export default {
  async fetch(request, env, ctx): Promise<Response> {
    // If anything below throws, Cloudflare sends the request to the origin: never a Worker error page.
    ctx.passThroughOnException();
    const config = readEdgeConfig(env);
    const flags = createFlagReader(env.SURGE_FLAGS, {
      cacheTtlSeconds: config.flagCacheTtlSeconds,
      timeoutMs: config.flagReadTimeoutMs,
      onError: (key, error) => console.error(`KV read of ${key} failed; failing open: ${error instanceof Error ? error.message : String(error)}`),
    });
    const { pathname } = new URL(request.url);

    if (pathname.startsWith(BOOTSTRAP_PREFIX)) return handleBootstrap(request, { config, flags });
    if (pathname === SUPPORT_STATUS_PATH) return handleSupportStatus(flags);
    if (isSupportNavigation(request, config.supportPathPrefixes)) {
      const fallback = await fallbackPageIfActive(request, flags, env.ASSETS);
      if (fallback) return fallback;
    }
    return passThrough(request, config);
  },
} satisfies ExportedHandler<Env>;

function passThrough(request: Request, config: EdgeConfig): Promise<Response> {
  if (!config.originOverride) return fetch(request);
  const url = new URL(request.url);
  return fetch(new Request(new URL(url.pathname + url.search, config.originOverride), request));
}
