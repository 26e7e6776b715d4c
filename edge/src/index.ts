// The surge-fallback edge Worker. Routed only on the Messenger bootstrap, the support paths and the status JSON.
import { handleBootstrap, BOOTSTRAP_PREFIX } from './bootstrap';
import { EdgeConfigError, failSafeConfig, readEdgeConfig, type EdgeConfig } from './config';
import { createFlagReader, type FlagReader } from './flags';
import { fallbackPageIfActive, handleSupportStatus, isSupportNavigation, SUPPORT_STATUS_PATH } from './support';

export default {
  async fetch(request, env, ctx): Promise<Response> {
    // If anything below throws, Cloudflare sends the request to the origin: never a Worker error page.
    ctx.passThroughOnException();
    const { pathname } = new URL(request.url);
    let config: EdgeConfig;
    try {
      config = readEdgeConfig(env);
    } catch (error) {
      if (!(error instanceof EdgeConfigError)) throw error;
      console.error(`${error.message}; serving the real Messenger and passing everything else through`);
      // The origin has no /genesys-bootstrap/ files: falling through there would break Messenger for everyone.
      // Every flag reads as off, so a broken config never switches on a customer-facing tier.
      if (pathname.startsWith(BOOTSTRAP_PREFIX)) return handleBootstrap(request, { config: failSafeConfig(env), flags: ALL_OFF });
      throw error;
    }
    const flags = createFlagReader(env.SURGE_FLAGS, {
      cacheTtlSeconds: config.flagCacheTtlSeconds,
      timeoutMs: config.flagReadTimeoutMs,
      onError: (key, error) => console.error(`KV read of ${key} failed; failing open: ${error instanceof Error ? error.message : String(error)}`),
    });

    if (pathname.startsWith(BOOTSTRAP_PREFIX)) return handleBootstrap(request, { config, flags });
    if (pathname === SUPPORT_STATUS_PATH) return handleSupportStatus(flags);
    if (isSupportNavigation(request, config.supportPathPrefixes)) {
      const fallback = await fallbackPageIfActive(request, flags, env.ASSETS);
      if (fallback) return fallback;
    }
    return passThrough(request, config);
  },
} satisfies ExportedHandler<Env>;

const ALL_OFF: FlagReader = { isOn: () => Promise.resolve(false), readText: () => Promise.resolve(null) };

function passThrough(request: Request, config: EdgeConfig): Promise<Response> {
  if (!config.originOverride) return fetch(request);
  const url = new URL(request.url);
  return fetch(new Request(new URL(url.pathname + url.search, config.originOverride), request));
}
