// The four tiers, each with its playbook defaults. Every number here is overridable per event
// (client/event-config.ts applies these defaults to what the operator leaves out).
import type { ActuatorConfig, HealthTierConfig, LeadingConfig, LeadingRule, MetricTierConfig, TierNumber } from './types';

export interface TierDescription {
  tier: TierNumber;
  name: string;
  customerImpact: string;
}

/** Tier 1: bots offer async answers (email/callback) for low-urgency intents before queueing. */
export const tier1BotContainment: MetricTierConfig = {
  trigger: 'auto',
  activate: { waitingAbove: 50, sustainSeconds: 600 },
  restore: { waitingBelow: 50, sustainSeconds: 300 },
};

/** Tier 2: new chats are offered email/callback/FAQ before they reach the queue. */
export const tier2CapacityGate: MetricTierConfig = {
  trigger: 'auto',
  activate: { waitingAbove: 200, agentsAvailableBelow: 5, consecutivePolls: 3 },
  restore: { waitingBelow: 50, sustainSeconds: 300 },
};

/**
 * Tier 3: the chat button is replaced at the edge by a "chat at capacity" notice.
 * Manual by default: the rule only recommends it to operators, who approve by forcing it on.
 */
export const tier3WidgetThrottle: MetricTierConfig = {
  trigger: 'manual',
  activate: { waitingAbove: 400, consecutivePolls: 3 },
  // Long and low: with tier 3 on, the queue is calm because of it, so the surge must be over before it goes
  // (the drills: with 200 / 5 min it came off mid-surge and the bot hit its limit).
  restore: { waitingBelow: 50, sustainSeconds: 900 },
};

/** Tier 4: support pages fall back to a static page served from the edge when the platform itself fails. */
export const tier4StaticFallback: HealthTierConfig = {
  trigger: 'auto',
  activateAfterFailedProbes: 3,
  restoreAfterHealthyProbes: 5,
};

/** Defaults of the `leading` settings the operator may leave out (concurrency and handle time are theirs to give). */
export const DEFAULT_LEADING: Pick<LeadingConfig, 'horizonSeconds' | 'arrivalWindowSeconds'> = {
  horizonSeconds: 120,
  arrivalWindowSeconds: 300,
};

/**
 * The playbook's leading rules (`activateEarly`), tuned with the drills (README, "Leading rules"). With a bot
 * flow the bot's load leads everything (it errors at its limit long before the queue fills); without one the
 * queue forecast does. Applied only when the event config has `leading` settings.
 */
export const DEFAULT_EARLY_RULES: Record<'withBot' | 'queueOnly', Record<1 | 2 | 3, LeadingRule>> = {
  withBot: {
    1: { forecastBotLoadAbove: 0.6, consecutivePolls: 1 },
    2: { forecastBotLoadAbove: 0.7, consecutivePolls: 1 },
    3: { forecastBotLoadAbove: 0.9, consecutivePolls: 1 },
  },
  queueOnly: {
    1: { forecastWaitingAbove: 100, consecutivePolls: 2 },
    2: { forecastWaitingAbove: 250, consecutivePolls: 2 },
    3: { forecastWaitingAbove: 450, consecutivePolls: 2 },
  },
};

export function defaultEarlyRule(tier: 1 | 2 | 3, withBot: boolean): LeadingRule {
  return { ...DEFAULT_EARLY_RULES[withBot ? 'withBot' : 'queueOnly'][tier] };
}

export const DEFAULT_TIER_CONFIG = {
  1: tier1BotContainment,
  2: tier2CapacityGate,
  3: tier3WidgetThrottle,
  4: tier4StaticFallback,
} as const;

/** Tiers 3 and 4 always have an edge flag; tiers 1 and 2 need the operator's flow IDs or data table. */
export const DEFAULT_ACTUATORS: Record<TierNumber, ActuatorConfig[]> = {
  1: [{ kind: 'dataTableFlag' }],
  2: [{ kind: 'dataTableFlag' }],
  3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }],
  4: [{ kind: 'edgeFlag', key: 'chat_fallback_active' }],
};

export const TIER_DESCRIPTIONS: Record<TierNumber, TierDescription> = {
  1: { tier: 1, name: 'bot containment boost', customerImpact: 'more questions answered by the bot or by async email' },
  2: { tier: 2, name: 'queue capacity gate', customerImpact: 'new chats offered email/callback/FAQ before queueing' },
  3: { tier: 3, name: 'widget throttling', customerImpact: 'chat button replaced by an at-capacity notice; live chats go on' },
  4: { tier: 4, name: 'static fallback', customerImpact: 'support pages served as a static self-service page' },
};
