// A scenario drilled over several seeds, so a change is judged on more than the one seed that passes: the
// mean and a 95% interval (Student's t over the seeds) of errored, dropped, abandoned and service level, with
// the baseline's, and the tier moves that matter (any move at all, flaps). Seeds run a few at a time, each
// on its own time-skipping server.
import type { EventConfig } from '../../workflows/types';
import { loadScenario, type Scenario } from '../contact-center';
import { runDrill, type DrillResult } from './run-drill';

export interface SeedsOptions {
  scenario: string | Scenario;
  seeds: number[];
  base?: EventConfig;
  preArm?: boolean;
  tier3Auto?: boolean;
  /** Drills in flight at once (default 2). */
  concurrency?: number;
}

export interface Interval {
  mean: number;
  /** Half-width of the 95% interval of the mean (0 with one seed). */
  halfWidth: number;
  min: number;
  max: number;
}

export interface SeedsSummary {
  scenario: string;
  seeds: number[];
  errored: Interval;
  dropped: Interval;
  abandoned: Interval;
  serviceLevel: Interval;
  baseline: { errored: Interval; dropped: Interval; abandoned: Interval; serviceLevel: Interval };
  /** (errored + dropped) with the controller over the baseline's, per seed, then summarised. */
  errorShareOfBaseline: Interval;
  /** Tier moves by rule or operator (the event's end excluded), summed over seeds. */
  tierMoves: number;
  flaps: number;
  /** Genesys API requests per simulated minute, the highest seed. */
  apiCallsPerMinute: number;
  wallSeconds: number;
  runs: DrillResult[];
}

/** Two-sided 95% Student's t quantiles for 1..10 degrees of freedom; 1.96 beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function interval(values: number[]): Interval {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, halfWidth: 0, min: mean, max: mean };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const t = T95[n - 2] ?? 1.96;
  return { mean, halfWidth: t * Math.sqrt(variance / n), min: Math.min(...values), max: Math.max(...values) };
}

export async function runDrillSeeds(options: SeedsOptions): Promise<SeedsSummary> {
  const started = performance.now();
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const queue = [...options.seeds];
  const runs: DrillResult[] = [];
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      runs.push(await runDrill({ scenario, seed, base: options.base, preArm: options.preArm, tier3Auto: options.tier3Auto, promises: false }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, options.seeds.length)) }, worker));
  runs.sort((a, b) => a.seed - b.seed);
  const of = (f: (r: DrillResult) => number) => interval(runs.map(f));
  return {
    scenario: scenario.name,
    seeds: runs.map((r) => r.seed),
    errored: of((r) => r.controller.outcomes.errored),
    dropped: of((r) => r.controller.outcomes.dropped),
    abandoned: of((r) => r.controller.outcomes.abandoned),
    serviceLevel: of((r) => r.controller.waits.serviceLevel),
    baseline: {
      errored: of((r) => r.baseline.outcomes.errored),
      dropped: of((r) => r.baseline.outcomes.dropped),
      abandoned: of((r) => r.baseline.outcomes.abandoned),
      serviceLevel: of((r) => r.baseline.waits.serviceLevel),
    },
    errorShareOfBaseline: of((r) => {
      const b = r.baseline.outcomes.errored + r.baseline.outcomes.dropped;
      return b === 0 ? 0 : r.customerFacingErrors / b;
    }),
    tierMoves: runs.reduce((s, r) => s + r.transitions.filter((t) => t.cause !== 'event-end').length, 0),
    flaps: runs.reduce((s, r) => s + r.tiers.reduce((f, t) => f + t.flaps, 0), 0),
    apiCallsPerMinute: Math.max(...runs.map((r) => r.genesysApiCalls.total / r.scenario.durationMinutes)),
    wallSeconds: (performance.now() - started) / 1000,
    runs,
  };
}

const fmt = (i: Interval, digits = 0, scale = 1) => `${(i.mean * scale).toFixed(digits)} ± ${(i.halfWidth * scale).toFixed(digits)}`;

/** One markdown table: a row per scenario, controller against baseline. */
export function renderSeedsTable(summaries: SeedsSummary[]): string {
  const lines = [
    '| scenario | seeds | errored | dropped | abandoned | service level | errored + dropped vs baseline | tier moves | flaps | API calls/min | wall |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    lines.push(
      `| ${s.scenario} | ${s.seeds.join(', ')} | ${fmt(s.errored)} (baseline ${fmt(s.baseline.errored)}) | ${fmt(s.dropped)} (${fmt(s.baseline.dropped)}) | ${fmt(s.abandoned)} (${fmt(s.baseline.abandoned)}) | ${fmt(s.serviceLevel, 1, 100)}% (${fmt(s.baseline.serviceLevel, 1, 100)}%) | ${fmt(s.errorShareOfBaseline, 1, 100)}% | ${s.tierMoves} | ${s.flaps} | ${s.apiCallsPerMinute.toFixed(1)} | ${s.wallSeconds.toFixed(0)} s |`,
    );
  }
  lines.push('', 'Mean ± half-width of the 95% interval of the mean over the seeds (Student\'s t); baseline = the same seed with no tiers.');
  return lines.join('\n');
}
