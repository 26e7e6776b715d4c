// Applies a scenario's `apiFaults` windows to the Genesys sandbox as simulated time passes. The sandbox's own
// fault switches are global (`outage`, `latencyMs`, `fail5xxNext`); faults scoped to analytics are served by
// the world's MetricsSource instead, so only the observations query fails and flows and data tables still work.
import { activeApiFaults, type ApiFault, type Scenario } from '../contact-center';
import { createRandom, deriveSeed, type Random } from '../contact-center/random';
import type { GenesysSandboxState } from '../genesys';
import { GenesysHttpError } from '../genesys/http';

export interface ApiFaultApplier {
  /** Puts the faults in force at this simulated time into the sandbox. */
  apply(simMs: number): void;
  /** Called by the MetricsSource before each queue is observed: throws a 5xx when analytics is failing. */
  checkAnalytics(): void;
  /** The windows in force at the last `apply`, for reports. */
  active(): ApiFault[];
}

export interface ApiFaultOptions {
  /** Multiplies injected latency: a drill on a compressed clock scales 8 s of slowness down with it. */
  latencyScale?: number;
  seed?: number;
}

const inScope = (f: ApiFault, ...scopes: ApiFault['scope'][]) => scopes.includes(f.scope);

export function createApiFaultApplier(scenario: Scenario, genesys: GenesysSandboxState, options: ApiFaultOptions = {}): ApiFaultApplier {
  const latencyScale = options.latencyScale ?? 1;
  const random: Random = createRandom(deriveSeed(options.seed ?? scenario.seed, 101));
  let current: ApiFault[] = [];
  let analyticsOutage = false;
  let analyticsErrorRate = 0;
  // Without fault windows the world never touches the sandbox's switches (a test may be driving them).
  const managed = scenario.apiFaults.length > 0;

  return {
    apply(simMs) {
      if (!managed) return;
      current = activeApiFaults(scenario, simMs / 60_000);
      const outage = current.some((f) => f.kind === 'outage' && inScope(f, 'all', 'login'));
      analyticsOutage = current.some((f) => f.kind === 'outage' && inScope(f, 'analytics'));
      const latencyMs = Math.max(0, ...current.flatMap((f) => (f.kind === 'latency' ? [Math.round(f.latencyMs * latencyScale)] : [])));
      analyticsErrorRate = Math.max(0, ...current.flatMap((f) => (f.kind === '5xx' && inScope(f, 'analytics') ? [f.errorRate] : [])));
      // The sandbox can only fail "the next N requests": each application arms the next one with the
      // window's probability, so roughly that share of requests fails while the window lasts.
      const globalRate = Math.max(0, ...current.flatMap((f) => (f.kind === '5xx' && !inScope(f, 'analytics') ? [f.errorRate] : [])));
      genesys.setFaults({ outage, latencyMs, fail5xxNext: globalRate > 0 && random.next() < globalRate ? 1 : 0 });
    },
    checkAnalytics() {
      if (analyticsOutage || (analyticsErrorRate > 0 && random.next() < analyticsErrorRate)) {
        throw new GenesysHttpError(503, 'service.unavailable', 'The service is currently unavailable (analytics outage, scenario fault)');
      }
    },
    active: () => current,
  };
}
