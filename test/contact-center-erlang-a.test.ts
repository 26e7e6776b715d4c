// Validates the simulator against the exact M/M/c+M (Erlang-A) formulas.
//
// Setting: c = 5 agents, concurrency 1, exponential handle time (mean 6 s) and patience (mean 12 s), no bot,
// no tiers, constant arrivals at occupancy lambda / (c mu) in {0.7, 0.85, 1.0, 1.15, 1.3}. Seconds rather than
// minutes only to keep the per-minute bookkeeping small; the model is scale-free.
// Run length: 5 simulated minutes of warm-up (25 mean patiences, far beyond the chain's relaxation time),
// then 400,000 arrivals per occupancy, cut into 20 batches. The batch-means standard error of every measure is
// asserted to be under a third of the 5% tolerance (measured: 0.2-1.0% of the value, so 5% is 5+ standard
// errors), so a pass is not luck and a 5% modelling error could not hide in the noise. c = 5 rather than a
// larger pool keeps P(wait) and P(abandon) big enough at occupancy 0.7 for that precision. Seed fixed (the
// outcome is reproducible); about 1 M events and ~1 s per occupancy.
import { strict as assert } from 'node:assert';
import { erlangA } from '../sandbox/contact-center/erlang-a';
import { createContactCenter } from '../sandbox/contact-center/simulator';
import { parseScenario } from '../sandbox/scenarios/load';

const AGENTS = 5;
const HANDLE_SECONDS = 6;
const PATIENCE_SECONDS = 12;
const WARMUP_MINUTES = 5;
const ARRIVALS_MEASURED = 400_000;
const BATCHES = 20;
const TOLERANCE = 0.05;

function batchMean(values: number[]): { mean: number; standardError: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, standardError: Math.sqrt(variance / values.length) };
}

describe('contact-center: Erlang-A exact formulas', () => {
  it('match known closed forms (Erlang C and the M/M/infinity Poisson tail)', () => {
    // Erlang C, c = 2, a = 1: P(wait) = 1/3, Lq = 1/3.
    const c = erlangA({ arrivalRate: 1, serviceRate: 1, abandonRate: 0, agents: 2 });
    assert.ok(Math.abs(c.probWait - 1 / 3) < 1e-12);
    assert.ok(Math.abs(c.meanQueueLength - 1 / 3) < 1e-12);
    // theta = mu: every customer leaves at rate mu whether served or not, so N ~ Poisson(a), P(wait) = P(N >= c).
    const a = 7;
    const agents = 5;
    let cdf = 0;
    let term = Math.exp(-a);
    for (let n = 0; n < agents; n++) {
      cdf += term;
      term *= a / (n + 1);
    }
    const r = erlangA({ arrivalRate: a, serviceRate: 1, abandonRate: 1, agents });
    assert.ok(Math.abs(r.probWait - (1 - cdf)) < 1e-12, `P(wait) ${r.probWait} vs ${1 - cdf}`);
    assert.throws(() => erlangA({ arrivalRate: 3, serviceRate: 1, abandonRate: 0, agents: 2 }), /unstable/);
  });

  for (const occupancy of [0.7, 0.85, 1.0, 1.15, 1.3]) {
    it(`simulation matches P(wait), E[W] and P(abandon) within 5% at occupancy ${occupancy}`, () => {
      const arrivalsPerSecond = (occupancy * AGENTS) / HANDLE_SECONDS;
      const measuredMinutes = ARRIVALS_MEASURED / arrivalsPerSecond / 60;
      const scenario = parseScenario({
        name: 'erlang-a',
        durationMinutes: WARMUP_MINUTES + measuredMinutes,
        arrivals: { baselinePerMinute: arrivalsPerSecond * 60 },
        queues: [{ id: 'q', share: 1, agents: { count: AGENTS } }],
        service: {
          concurrency: 1,
          handleTime: { distribution: 'exponential', meanSeconds: HANDLE_SECONDS },
          patience: { meanSeconds: PATIENCE_SECONDS },
        },
      });
      const sim = createContactCenter({ scenario, seed: 20260101 });
      sim.advanceTo(WARMUP_MINUTES * 60_000);
      sim.resetStats();

      const probWait: number[] = [];
      const probAbandon: number[] = [];
      const meanWait: number[] = [];
      let before = { queued: 0, delayed: 0, abandoned: 0, totalWaitSeconds: 0 };
      for (let b = 1; b <= BATCHES; b++) {
        sim.advanceTo((WARMUP_MINUTES + (measuredMinutes * b) / BATCHES) * 60_000);
        const now = sim.waitCounts();
        const n = now.queued - before.queued;
        probWait.push((now.delayed - before.delayed) / n);
        probAbandon.push((now.abandoned - before.abandoned) / n);
        meanWait.push((now.totalWaitSeconds - before.totalWaitSeconds) / n);
        before = now;
      }

      const exact = erlangA({ arrivalRate: arrivalsPerSecond, serviceRate: 1 / HANDLE_SECONDS, abandonRate: 1 / PATIENCE_SECONDS, agents: AGENTS });
      const checks: [string, number[], number][] = [
        ['P(wait)', probWait, exact.probWait],
        ['E[W] (s)', meanWait, exact.meanWait],
        ['P(abandon)', probAbandon, exact.probAbandon],
      ];
      for (const [name, values, expected] of checks) {
        const { mean, standardError } = batchMean(values);
        const relative = Math.abs(mean / expected - 1);
        assert.ok(standardError / expected < TOLERANCE / 3, `${name}: run too short, standard error ${(standardError / expected * 100).toFixed(2)}% of the value`);
        assert.ok(relative < TOLERANCE, `${name} at occupancy ${occupancy}: simulated ${mean.toFixed(5)}, exact ${expected.toFixed(5)} (${(relative * 100).toFixed(2)}% off)`);
      }
      assert.ok(sim.outcomes().arrivals >= ARRIVALS_MEASURED * 0.98);
    });
  }
});
