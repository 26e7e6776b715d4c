// Tier 4's second probe: fetch the Messenger bootstrap the way a customer's browser would.
import type { SurgeActivities } from './index';

export function createProbeActivities(deps: { timeoutMs?: number } = {}): Pick<SurgeActivities, 'probeMessengerBootstrap'> {
  const timeoutMs = deps.timeoutMs ?? 5_000;
  return {
    async probeMessengerBootstrap({ url }) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/javascript' } });
        const body = await response.text();
        // A 200 with an empty body is what a broken CDN often serves: the widget would not load either.
        const healthy = response.ok && body.length > 0;
        return { healthy, status: response.status, ...(healthy ? {} : { error: `HTTP ${response.status}, ${body.length} bytes` }) };
      } catch (err) {
        return { healthy: false, status: null, error: (err as Error).message };
      }
    },
  };
}
