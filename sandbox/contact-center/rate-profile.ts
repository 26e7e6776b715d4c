// The scenario's arrival-rate profile compiled into contiguous segments, each with a rate function and an
// upper bound, which is what thinning (Lewis & Shedler) needs to draw a non-homogeneous Poisson process.
import type { RatePhase, Scenario } from '../scenarios/schema';

export interface RateSegment {
  startMs: number;
  endMs: number;
  /** Arrivals per millisecond at an instant inside the segment. */
  rateAt(tMs: number): number;
  /** An upper bound of rateAt over the segment. */
  maxRate: number;
}

const MINUTE_MS = 60_000;

function multiplierOf(phase: RatePhase): { at: (minutesIn: number) => number; max: number } {
  const length = phase.toMinute - phase.fromMinute;
  switch (phase.shape) {
    case 'constant':
      return { at: () => phase.multiplier, max: phase.multiplier };
    case 'linear':
      return { at: (m) => phase.from + ((phase.to - phase.from) * m) / length, max: Math.max(phase.from, phase.to) };
    case 'exponential':
      return {
        at: (m) => phase.from + (phase.to - phase.from) * (1 - Math.exp(-m / phase.timeConstantMinutes)),
        max: Math.max(phase.from, phase.to),
      };
    case 'sine':
      return { at: (m) => phase.mean + phase.amplitude * Math.sin((2 * Math.PI * m) / phase.periodMinutes), max: phase.mean + phase.amplitude };
  }
}

export function compileRateProfile(scenario: Pick<Scenario, 'arrivals' | 'durationMinutes'>): RateSegment[] {
  const perMs = scenario.arrivals.baselinePerMinute / MINUTE_MS;
  const segments: RateSegment[] = [];
  const baseline = (fromMin: number, toMin: number) => {
    if (toMin > fromMin) segments.push({ startMs: fromMin * MINUTE_MS, endMs: toMin * MINUTE_MS, rateAt: () => perMs, maxRate: perMs });
  };
  let cursor = 0;
  for (const phase of scenario.arrivals.profile) {
    baseline(cursor, phase.fromMinute);
    const m = multiplierOf(phase);
    const startMs = phase.fromMinute * MINUTE_MS;
    segments.push({
      startMs,
      endMs: phase.toMinute * MINUTE_MS,
      rateAt: (t) => perMs * Math.max(0, m.at((t - startMs) / MINUTE_MS)),
      maxRate: perMs * m.max,
    });
    cursor = phase.toMinute;
  }
  baseline(cursor, scenario.durationMinutes);
  return segments;
}

/** Expected arrivals per minute at a simulated minute (for reports and tuning, not used by the draw). */
export function expectedRatePerMinute(segments: RateSegment[], atMinute: number): number {
  const t = atMinute * MINUTE_MS;
  const seg = segments.find((s) => t >= s.startMs && t < s.endMs);
  return seg ? seg.rateAt(t) * MINUTE_MS : 0;
}
