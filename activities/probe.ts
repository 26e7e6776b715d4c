// Tier 4's second probe: fetch the Messenger bootstrap straight from the Genesys apps host, the upstream a
// customer's browser ultimately depends on. Point `messengerProbeUrl` at
//   https://apps.<region domain>/genesys-bootstrap/genesys.min.js   (e.g. apps.mypurecloud.com, apps.mypurecloud.de)
// (the snippet's script URL: /work/shared/reference/genesys-cloud.md, "Bootstrap script URL"), never at our
// own edge: with tier 3 on the edge answers its stub (200), and its 2xx answers are cached for minutes, so a
// Messenger outage would be invisible through it. An answer marked `x-surge-mode: stub` (edge/src/bootstrap.ts)
// is therefore never healthy: it is the controller's misconfiguration, reported as such (never tier 4).
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../workflows/failure-classes';
import type { SurgeActivities } from './index';

/** Our edge's marker on its stand-in bootstrap (edge/src/bootstrap.ts stubResponse). */
export const STUB_MODE_HEADER = 'x-surge-mode';

/** The Messenger bootstrap did not load from the apps host: what an outage looks like (platform class). */
export const MessengerFailure = { unavailable: 'MessengerUnavailable' } as const;

export function createProbeActivities(deps: { timeoutMs?: number } = {}): Pick<SurgeActivities, 'probeMessengerBootstrap'> {
  const timeoutMs = deps.timeoutMs ?? 5_000;
  return {
    async probeMessengerBootstrap({ url }) {
      let response: Response;
      let body: string;
      try {
        // no-store + no-cache: a cached copy would say "healthy" for as long as it lives.
        response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store', headers: { accept: 'application/javascript', 'cache-control': 'no-cache' } });
        body = await response.text();
      } catch (err) {
        throw unavailable(`Messenger bootstrap ${url} did not answer: ${(err as Error).message}`);
      }
      if (response.headers.get(STUB_MODE_HEADER) === 'stub') {
        throw ApplicationFailure.create({
          type: FailureType.controllerMisconfigured,
          nonRetryable: true,
          message:
            `messengerProbeUrl ${url} answered with our edge's stub (${STUB_MODE_HEADER}: stub), so it cannot see Messenger: ` +
            'point it at the Genesys apps host, https://apps.<region>/genesys-bootstrap/genesys.min.js',
        });
      }
      // A 200 with an empty body is what a broken CDN often serves: the widget would not load either.
      if (!response.ok || body.length === 0) throw unavailable(`Messenger bootstrap ${url} answered HTTP ${response.status}, ${body.length} bytes`);
      return { healthy: true, status: response.status };
    },
  };
}

function unavailable(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: MessengerFailure.unavailable, nonRetryable: false, message });
}
