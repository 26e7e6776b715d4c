// Feeds a series of queue samples through the pure policy (`evaluate`), touching nothing: when each tier
// would have moved. Used by `surge replay` on a recorded spike and by drills for "when was the rule first met".
import { evaluate, initialPolicyState } from '../../workflows/policy';
import type { EventConfig, Forecast, LeadingSignals, Recommendation, Sample, TierNumber, Transition } from '../../workflows/types';

export interface ReplaySample {
  atMs: number;
  ok: boolean;
  waiting?: number;
  agentsAvailable?: number;
  error?: string;
  /** Optional, for the leading rules' forecast: agents on queue and conversations with them. */
  agentsOnQueue?: number;
  interacting?: number;
  /** Optional: the leading signals of the poll (absent: leading rules not met, as in old histories). */
  leading?: LeadingSignals;
}

export interface ReplayMove {
  atMs: number;
  tier: TierNumber;
  to: boolean;
  reason: string;
  waiting: number | null;
  agentsAvailable: number | null;
}

export interface ReplayResult {
  moves: ReplayMove[];
  /** Manual tiers whose rule was met: an operator would have been asked. */
  recommendations: (Recommendation & { atMs: number })[];
  samples: number;
  failedSamples: number;
  /** The forecast at each sample that had leading signals (config with `leading` only). */
  forecasts: (Forecast & { atMs: number })[];
}

export interface ReplayOptions {
  /**
   * Judge the rules alone: every tier `auto` with an `auto` trigger, no forced modes. What a drill compares
   * a tier's actual moves against ("when was its rule first met").
   */
  rulesOnly?: boolean;
}

export function replaySamples(samples: readonly ReplaySample[], config: EventConfig, options: ReplayOptions = {}): ReplayResult {
  const cfg: EventConfig = options.rulesOnly
    ? {
        ...config,
        modes: undefined,
        tiers: {
          1: { ...config.tiers[1], trigger: 'auto' },
          2: { ...config.tiers[2], trigger: 'auto' },
          3: { ...config.tiers[3], trigger: 'auto' },
          4: { ...config.tiers[4], trigger: 'auto' },
        },
      }
    : config;
  const ordered = [...samples].sort((a, b) => a.atMs - b.atMs);
  const startIso = new Date(ordered[0]?.atMs ?? 0).toISOString();
  let state = initialPolicyState(cfg, startIso);
  const moves: ReplayMove[] = [];
  const recommendations: ReplayResult['recommendations'] = [];
  const forecasts: ReplayResult['forecasts'] = [];
  for (const s of ordered) {
    const at = new Date(s.atMs).toISOString();
    const sample: Sample = s.ok
      ? {
          ok: true,
          at,
          waiting: s.waiting ?? 0,
          agentsAvailable: s.agentsAvailable ?? 0,
          // One aggregate "queue" carries the staffing the forecast needs.
          perQueue: s.agentsOnQueue === undefined ? [] : [{ queueId: 'all', waiting: s.waiting ?? 0, agentsAvailable: s.agentsAvailable ?? 0, agentsOnQueue: s.agentsOnQueue, interacting: s.interacting ?? 0 }],
          ...(s.leading ? { leading: s.leading } : {}),
        }
      : { ok: false, at, error: s.error ?? 'sample failed' };
    const result = evaluate(state, sample, cfg, at);
    state = result.state;
    if (state.forecast && state.forecast.at === at) forecasts.push({ ...state.forecast, atMs: s.atMs });
    for (const action of result.actions) {
      if (action.type === 'transition') moves.push(toMove(action.transition, s.atMs));
      if (action.type === 'recommend') recommendations.push({ ...action.recommendation, atMs: s.atMs });
    }
  }
  return { moves, recommendations, samples: ordered.length, failedSamples: ordered.filter((s) => !s.ok).length, forecasts };
}

function toMove(t: Transition, atMs: number): ReplayMove {
  return { atMs, tier: t.tier, to: t.to, reason: t.reason, waiting: t.waiting, agentsAvailable: t.agentsAvailable };
}
