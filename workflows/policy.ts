// The tier state machine: a pure function of (state, sample, config, now) with no Temporal import,
// so every rule is tested table-driven without a server and replays deterministically.
import {
  MAX_TRANSITIONS_KEPT,
  TIERS,
  type AlertCondition,
  type EventConfig,
  type MetricCondition,
  type MetricRule,
  type PolicyAction,
  type PolicyState,
  type Recommendation,
  type Sample,
  type Streak,
  type TierMode,
  type TierNumber,
  type TierState,
  type Transition,
  type TransitionCause,
} from './types';
import { forecastFor } from './forecast';
import { describeForecast, describeLeadingRule, meetsLeading } from './leading-rules';

export { validateEventConfig } from './validate-config';

export interface PolicyResult {
  state: PolicyState;
  actions: PolicyAction[];
}

const METRIC_TIERS = [1, 2, 3] as const;

/**
 * A streak survives one missed poll (the samples either side both met the condition) but not two:
 * past that the window is no longer covered by samples and the streak starts again.
 */
const MAX_GAP_POLLS = 2.5;

export function initialPolicyState(config: EventConfig, now: string): PolicyState {
  const tier = (t: TierNumber): TierState => {
    const mode = config.modes?.[t] ?? 'auto';
    return {
      tier: t,
      active: mode === 'on',
      mode,
      since: now,
      reason: mode === 'auto' ? 'event created' : `mode ${mode} set in the event config`,
      activateStreak: null,
      restoreStreak: null,
      recommendation: null,
    };
  };
  return {
    tiers: { 1: tier(1), 2: tier(2), 3: tier(3), 4: tier(4) },
    health: { consecutiveFailures: 0, consecutiveHealthy: 0, lastError: null },
    automationPaused: false,
    pausedReason: null,
    lastSample: null,
    transitions: [],
    openAlerts: [],
  };
}

/** Feeds one poll's sample through every tier's rules. */
export function evaluate(prev: PolicyState, sample: Sample, config: EventConfig, now: string): PolicyResult {
  const state = cloneState(prev);
  const actions: PolicyAction[] = [];
  const usable = usableSample(sample, config, now);
  // Leading rules: the forecast needs the previous sample for the bot's trend, so it is taken before it goes.
  const pollMs = config.pollIntervalSeconds * 1000;
  const forecast = usable.ok ? forecastFor(sample, prev.lastSample, config.leading, MAX_GAP_POLLS * pollMs, pollMs / 2) : null;
  if (config.leading) state.forecast = forecast;
  state.lastSample = sample;

  // Only the platform's failures (or a failure from a history older than classes: platform) count
  // toward tier 4. The controller's own mistakes hold every counter and raise one alert naming the fix;
  // a rate limit holds everything and waits for the next poll (Temporal already waited Retry-After).
  const failureClass = sample.ok ? null : (sample.failureClass ?? 'platform');
  if (failureClass === 'controller') {
    state.health = { ...state.health, lastError: sample.ok ? null : sample.error };
    setAlert(state, actions, 'controller-misconfigured', true, `the controller cannot observe the platform because of its own setup; tiers are held, tier 4 is not counting: ${usable.ok ? '' : usable.error}`);
    return { state, actions };
  }
  if (failureClass === 'rate-limited') return { state, actions };
  if (sample.ok) setAlert(state, actions, 'controller-misconfigured', false, 'the controller observes the platform again');

  // Tier 4 and the metrics alert see every poll: failures are what they are about.
  const healthy = usable.ok && sample.ok && sample.messengerHealthy !== false;
  if (healthy) {
    state.health = { consecutiveFailures: 0, consecutiveHealthy: state.health.consecutiveHealthy + 1, lastError: null };
  } else {
    const error = usable.ok ? 'messenger bootstrap probe failed' : usable.error;
    state.health = { consecutiveFailures: state.health.consecutiveFailures + 1, consecutiveHealthy: 0, lastError: error };
  }
  setAlert(state, actions, 'metrics-unavailable', !usable.ok, usable.ok ? 'queue metrics are back' : `queue metrics unavailable: ${usable.error}; tiers 1-3 held`);

  // Tiers 1-3 hold on a failed or stale sample: no streak moves, no tier moves.
  if (usable.ok && sample.ok) {
    for (const t of METRIC_TIERS) {
      const tierState = state.tiers[t];
      const rules = config.tiers[t];
      tierState.activateStreak = extendStreak(tierState.activateStreak, meets(rules.activate, sample), sample.at, config);
      tierState.restoreStreak = extendStreak(tierState.restoreStreak, meets(rules.restore, sample), sample.at, config);
      const lagMet = satisfied(rules.activate, tierState.activateStreak);
      // Activate on the lagging rule OR the leading one; restore only on the lagging rule (leading-rules.ts).
      const early = rules.activateEarly;
      if (early) {
        // Edge-triggered: after a restore the forecast must first drop below the rule before it may count again,
        // so a forecast that stayed high can't switch the tier straight back on (the lagging rule still can).
        const met = meetsLeading(early, forecast);
        if (!met) tierState.earlyArmed = true;
        tierState.earlyStreak = extendStreak(tierState.earlyStreak ?? null, met && tierState.earlyArmed !== false, sample.at, config);
      }
      const earlyMet = !lagMet && early !== undefined && satisfied(early, tierState.earlyStreak ?? null);
      const activateMet = lagMet || earlyMet;
      // A tier with a leading rule restores top-down: while a higher tier sheds load the queue looks calm
      // because of it, so a lower tier's restore window only starts once the higher ones are off (a staircase,
      // not the whole load back at once).
      if (early && higherTierActive(state, t)) tierState.restoreStreak = null;
      const restoreMet = satisfied(rules.restore, tierState.restoreStreak);
      decide(state, actions, t, rules.trigger, activateMet, restoreMet, {
        activate: earlyMet && early && forecast
          ? `early: ${describeLeadingRule(early, forecast.horizonSeconds)} (${describeForecast(forecast)}; waiting ${sample.waiting})`
          : `${describeRule(rules.activate)} (waiting ${sample.waiting}, agents available ${sample.agentsAvailable})`,
        restore: `${describeRule(rules.restore)} (waiting ${sample.waiting}, agents available ${sample.agentsAvailable})`,
      }, now);
    }
  }

  const t4 = config.tiers[4];
  decide(state, actions, 4, t4.trigger, state.health.consecutiveFailures >= t4.activate.failedProbes,
    state.health.consecutiveHealthy >= t4.restore.healthyProbes, {
      activate: `${state.health.consecutiveFailures} consecutive failed probes (limit ${t4.activate.failedProbes}): ${state.health.lastError ?? ''}`,
      restore: `${state.health.consecutiveHealthy} consecutive healthy probes (needs ${t4.restore.healthyProbes})`,
    }, now);

  return { state, actions };
}

/** An operator forces a tier on or off, or hands it back to its rules. Never moves another tier. */
export function applyTierMode(prev: PolicyState, tier: TierNumber, mode: TierMode, reason: string, by: string, now: string): PolicyResult {
  const state = cloneState(prev);
  const actions: PolicyAction[] = [];
  const tierState = state.tiers[tier];
  tierState.mode = mode;
  // `auto` keeps the tier where it is: the rules take it from here, with no jump on hand-back.
  if (mode !== 'auto') {
    clearRecommendation(state, actions, tier, `operator set tier ${tier} ${mode}`);
    const wanted = mode === 'on';
    if (tierState.active !== wanted) transition(state, actions, tier, wanted, 'operator', reason, by, now);
  }
  return { state, actions };
}

export function setAutomationPaused(prev: PolicyState, paused: boolean, reason: string | null): PolicyState {
  const state = cloneState(prev);
  state.automationPaused = paused;
  state.pausedReason = paused ? reason : null;
  return state;
}

/** The event is over: every tier is restored whatever its mode, and nothing is left pending. */
export function endOfEvent(prev: PolicyState, reason: string, by: string, now: string): PolicyResult {
  const state = cloneState(prev);
  const actions: PolicyAction[] = [];
  for (const t of TIERS) {
    clearRecommendation(state, actions, t, 'event ended');
    if (state.tiers[t].active) transition(state, actions, t, false, 'event-end', reason, by, now);
  }
  state.automationPaused = false;
  state.pausedReason = null;
  return { state, actions };
}

/** The highest active tier (0 when none): what the SurgeTier search attribute shows. */
export function highestActiveTier(state: PolicyState): number {
  return Math.max(0, ...TIERS.filter((t) => state.tiers[t].active));
}

// ---------------------------------------------------------------------------------------------

function usableSample(sample: Sample, config: EventConfig, now: string): { ok: true } | { ok: false; error: string } {
  if (!sample.ok) return { ok: false, error: sample.error };
  const ageSeconds = (Date.parse(now) - Date.parse(sample.at)) / 1000;
  if (ageSeconds > config.staleAfterSeconds) {
    return { ok: false, error: `stale sample: observed ${sample.at}, ${Math.round(ageSeconds)} s old (limit ${config.staleAfterSeconds} s)` };
  }
  return { ok: true };
}

export function meets(condition: MetricCondition, sample: { waiting: number; agentsAvailable: number }): boolean {
  const { waitingAbove, waitingBelow, agentsAvailableAbove, agentsAvailableBelow } = condition;
  return (
    (waitingAbove === undefined || sample.waiting > waitingAbove) &&
    (waitingBelow === undefined || sample.waiting < waitingBelow) &&
    (agentsAvailableAbove === undefined || sample.agentsAvailable > agentsAvailableAbove) &&
    (agentsAvailableBelow === undefined || sample.agentsAvailable < agentsAvailableBelow)
  );
}

function higherTierActive(state: PolicyState, tier: 1 | 2 | 3): boolean {
  return METRIC_TIERS.some((h) => h > tier && state.tiers[h].active);
}

function extendStreak(streak: Streak | null, met: boolean, at: string, config: EventConfig): Streak | null {
  if (!met) return null;
  const maxGapMs = MAX_GAP_POLLS * config.pollIntervalSeconds * 1000;
  if (streak && Date.parse(at) - Date.parse(streak.lastAt) <= maxGapMs) {
    return { since: streak.since, lastAt: at, count: streak.count + 1 };
  }
  return { since: at, lastAt: at, count: 1 };
}

function satisfied(rule: Pick<MetricRule, 'sustainSeconds' | 'consecutivePolls'>, streak: Streak | null): boolean {
  if (!streak) return false;
  if (rule.consecutivePolls !== undefined) return streak.count >= rule.consecutivePolls;
  // Sustained: the samples in the run span the whole window (first to latest), all meeting the condition.
  return Date.parse(streak.lastAt) - Date.parse(streak.since) >= (rule.sustainSeconds ?? 0) * 1000;
}

function decide(
  state: PolicyState,
  actions: PolicyAction[],
  tier: TierNumber,
  trigger: 'auto' | 'manual',
  activateMet: boolean,
  restoreMet: boolean,
  why: { activate: string; restore: string },
  now: string,
): void {
  const tierState = state.tiers[tier];
  const wanted: 'activate' | 'restore' | null = !tierState.active && activateMet ? 'activate' : tierState.active && restoreMet ? 'restore' : null;
  // A recommendation lasts while its rule stays met; it clears when the condition breaks or an operator acts.
  if (tierState.recommendation && tierState.recommendation.action !== wanted) {
    clearRecommendation(state, actions, tier, `tier ${tier} rule no longer met`);
  }
  if (!wanted || tierState.mode !== 'auto' || state.automationPaused) return;
  const reason = why[wanted];
  if (trigger === 'auto') {
    transition(state, actions, tier, wanted === 'activate', 'rule', reason, 'policy', now);
  } else if (!tierState.recommendation) {
    const recommendation: Recommendation = { tier, action: wanted, since: now, reason };
    tierState.recommendation = recommendation;
    actions.push({ type: 'recommend', recommendation });
    setAlert(state, actions, `recommendation-tier-${tier}`, true, `operator decision needed: ${wanted} tier ${tier} (${reason})`);
  }
}

function transition(
  state: PolicyState,
  actions: PolicyAction[],
  tier: TierNumber,
  to: boolean,
  cause: TransitionCause,
  reason: string,
  by: string,
  now: string,
): void {
  const tierState = state.tiers[tier];
  const sample = state.lastSample?.ok ? state.lastSample : null;
  const record: Transition = {
    at: now,
    tier,
    from: tierState.active,
    to,
    cause,
    reason,
    by,
    waiting: sample ? sample.waiting : null,
    agentsAvailable: sample ? sample.agentsAvailable : null,
  };
  tierState.active = to;
  tierState.since = now;
  tierState.reason = reason;
  // Hysteresis: the opposite rule must be met afresh after every move.
  tierState.activateStreak = null;
  tierState.restoreStreak = null;
  if (tierState.earlyStreak !== undefined) {
    tierState.earlyStreak = null;
    if (!to) tierState.earlyArmed = false;
  }
  state.transitions = [...state.transitions, record].slice(-MAX_TRANSITIONS_KEPT);
  actions.push({ type: 'transition', transition: record });
}

function clearRecommendation(state: PolicyState, actions: PolicyAction[], tier: TierNumber, why: string): void {
  if (!state.tiers[tier].recommendation) return;
  state.tiers[tier].recommendation = null;
  setAlert(state, actions, `recommendation-tier-${tier}`, false, why);
}

/** Raises or clears a condition, emitting an alert only on a change, so a persisting problem mails once. */
export function setAlert(state: PolicyState, actions: PolicyAction[], condition: AlertCondition, raised: boolean, message: string): void {
  const open = state.openAlerts.includes(condition);
  if (open === raised) return;
  state.openAlerts = raised ? [...state.openAlerts, condition] : state.openAlerts.filter((c) => c !== condition);
  actions.push({ type: 'alert', condition, raised, message });
}

export function describeRule(rule: MetricRule): string {
  const parts: string[] = [];
  if (rule.waitingAbove !== undefined) parts.push(`waiting > ${rule.waitingAbove}`);
  if (rule.waitingBelow !== undefined) parts.push(`waiting < ${rule.waitingBelow}`);
  if (rule.agentsAvailableBelow !== undefined) parts.push(`agents available < ${rule.agentsAvailableBelow}`);
  if (rule.agentsAvailableAbove !== undefined) parts.push(`agents available > ${rule.agentsAvailableAbove}`);
  const hold = rule.consecutivePolls !== undefined ? `${rule.consecutivePolls} consecutive polls` : `sustained ${rule.sustainSeconds} s`;
  return `${parts.join(' and ')}, ${hold}`;
}

function cloneState(state: PolicyState): PolicyState {
  // Plain JSON data by construction (it is carried through continue-as-new), so a JSON copy is exact.
  return JSON.parse(JSON.stringify(state)) as PolicyState;
}
