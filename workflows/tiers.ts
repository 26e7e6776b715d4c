// The four tiers in ONE table: each tier's name, customer impact, playbook defaults and default actuators.
// Every number is overridable per event; only the CLI's file schema (client/event-config.ts) applies these
// defaults. The workflow never does, so a changed default never changes how an old history replays.
import type { ActuatorConfig, HealthTierConfig, LeadingConfig, LeadingRule, MetricTierConfig, TierNumber } from './types';

export interface TierDescription {
  tier: TierNumber;
  name: string;
  customerImpact: string;
}

interface TierRow<C> extends TierDescription {
  defaults: C;
  /** Tiers 3 and 4 always have an edge flag; tiers 1 and 2 need the operator's flow IDs or data table. */
  actuators: ActuatorConfig[];
}

/**
 * issue 14 (leading): the playbook's leading rule (`activateEarly`) of a metric tier, applied only when the
 * event config has `leading` settings. With a bot flow the bot's load leads everything (it errors at its
 * limit long before the queue fills); without one the queue forecast does. Tuned with the drills (README,
 * "Leading rules").
 */
interface MetricTierRow extends TierRow<Omit<MetricTierConfig, 'activateEarly'>> {
  activateEarly: { withBot: LeadingRule; queueOnly: LeadingRule };
}

export const TIER_TABLE: { 1: MetricTierRow; 2: MetricTierRow; 3: MetricTierRow; 4: TierRow<HealthTierConfig> } = {
  /** Bots offer async answers (email/callback) for low-urgency intents before queueing. */
  1: {
    tier: 1,
    name: 'bot containment boost',
    customerImpact: 'more questions answered by the bot or by async email',
    defaults: { trigger: 'auto', activate: { waitingAbove: 50, sustainSeconds: 600 }, restore: { waitingBelow: 50, sustainSeconds: 300 } },
    activateEarly: { withBot: { forecastBotLoadAbove: 0.6, consecutivePolls: 1 }, queueOnly: { forecastWaitingAbove: 100, consecutivePolls: 2 } },
    actuators: [{ kind: 'dataTableFlag' }],
  },
  /** New chats are offered email/callback/FAQ before they reach the queue. */
  2: {
    tier: 2,
    name: 'queue capacity gate',
    customerImpact: 'new chats offered email/callback/FAQ before queueing',
    defaults: { trigger: 'auto', activate: { waitingAbove: 200, agentsAvailableBelow: 5, consecutivePolls: 3 }, restore: { waitingBelow: 50, sustainSeconds: 300 } },
    activateEarly: { withBot: { forecastBotLoadAbove: 0.7, consecutivePolls: 1 }, queueOnly: { forecastWaitingAbove: 250, consecutivePolls: 2 } },
    actuators: [{ kind: 'dataTableFlag' }],
  },
  /** The chat button is replaced at the edge. Manual by default: the rule only recommends it to operators. */
  3: {
    tier: 3,
    name: 'widget throttling',
    customerImpact: 'chat button replaced by an at-capacity notice; live chats go on',
    // issue 14 (leading): restore long and low. With tier 3 on, the queue is calm because of it, so the surge
    // must be over before it goes (the drills: with 200 / 5 min it came off mid-surge and the bot hit its limit).
    defaults: { trigger: 'manual', activate: { waitingAbove: 400, consecutivePolls: 3 }, restore: { waitingBelow: 50, sustainSeconds: 900 } },
    activateEarly: { withBot: { forecastBotLoadAbove: 0.9, consecutivePolls: 1 }, queueOnly: { forecastWaitingAbove: 450, consecutivePolls: 2 } },
    actuators: [{ kind: 'edgeFlag', key: 'chat_surge_active' }],
  },
  /** Support pages fall back to a static page served from the edge when the platform itself fails. */
  4: {
    tier: 4,
    name: 'static fallback',
    customerImpact: 'support pages served as a static self-service page',
    defaults: { trigger: 'auto', activate: { failedProbes: 3 }, restore: { healthyProbes: 5 } },
    actuators: [{ kind: 'edgeFlag', key: 'chat_fallback_active' }],
  },
};

/** issue 14 (leading): defaults of the `leading` settings the operator may leave out (concurrency and handle time are theirs to give). */
export const DEFAULT_LEADING: Pick<LeadingConfig, 'horizonSeconds' | 'arrivalWindowSeconds'> = {
  horizonSeconds: 120,
  arrivalWindowSeconds: 300,
};

// Views of the table for existing callers.
export const tier1BotContainment = TIER_TABLE[1].defaults;
export const tier2CapacityGate = TIER_TABLE[2].defaults;
export const tier3WidgetThrottle = TIER_TABLE[3].defaults;
export const tier4StaticFallback = TIER_TABLE[4].defaults;

export const DEFAULT_TIER_CONFIG = { 1: tier1BotContainment, 2: tier2CapacityGate, 3: tier3WidgetThrottle, 4: tier4StaticFallback } as const;

export const DEFAULT_EARLY_RULES: Record<'withBot' | 'queueOnly', Record<1 | 2 | 3, LeadingRule>> = {
  withBot: { 1: TIER_TABLE[1].activateEarly.withBot, 2: TIER_TABLE[2].activateEarly.withBot, 3: TIER_TABLE[3].activateEarly.withBot },
  queueOnly: { 1: TIER_TABLE[1].activateEarly.queueOnly, 2: TIER_TABLE[2].activateEarly.queueOnly, 3: TIER_TABLE[3].activateEarly.queueOnly },
};

/** A copy of the playbook's leading rule for a tier (callers may change it). */
export function defaultEarlyRule(tier: 1 | 2 | 3, withBot: boolean): LeadingRule {
  return { ...TIER_TABLE[tier].activateEarly[withBot ? 'withBot' : 'queueOnly'] };
}

export const DEFAULT_ACTUATORS: Record<TierNumber, ActuatorConfig[]> = {
  1: TIER_TABLE[1].actuators,
  2: TIER_TABLE[2].actuators,
  3: TIER_TABLE[3].actuators,
  4: TIER_TABLE[4].actuators,
};

const describe = ({ tier, name, customerImpact }: TierDescription): TierDescription => ({ tier, name, customerImpact });
export const TIER_DESCRIPTIONS: Record<TierNumber, TierDescription> = {
  1: describe(TIER_TABLE[1]),
  2: describe(TIER_TABLE[2]),
  3: describe(TIER_TABLE[3]),
  4: describe(TIER_TABLE[4]),
};
