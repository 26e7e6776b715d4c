// The contracts shared by the workflow, the pure policy, the activities and the clients.
// Deterministic and dependency-free: this module is bundled into the workflow sandbox.
import type { FailureClass } from './failure-classes';

export type TierNumber = 1 | 2 | 3 | 4;
export const TIERS: readonly TierNumber[] = [1, 2, 3, 4];

/** `auto`: the tier's rules decide. `on` / `off`: forced by an operator; rules are ignored. */
export type TierMode = 'auto' | 'on' | 'off';
export const TIER_MODES: readonly TierMode[] = ['auto', 'on', 'off'];

/**
 * `ending`: the end has begun (schedule or `endEvent`); overrides are refused and every actuator is being
 * restored. `ended`: every actuator observed normal. `ended-with-failures`: some could not be restored; the
 * final alert and the status name each one and the manual fix.
 */
export type EventPhase = 'scheduled' | 'active' | 'ending' | 'ended' | 'ended-with-failures';

// ---------------------------------------------------------------------------------------------
// Event configuration (the workflow input; never holds a secret)
// ---------------------------------------------------------------------------------------------

// The shape and every rule live in workflows/config-schema.ts (one zod schema); the types are inferred from it.
export type {
  ActuatorConfig,
  EventConfig,
  HealthTierConfig,
  LeadingCondition,
  LeadingConfig,
  LeadingRule,
  MetricCondition,
  MetricRule,
  MetricTierConfig,
} from './config-schema';

// ---------------------------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------------------------

export interface QueueMetrics {
  queueId: string;
  waiting: number;
  agentsAvailable: number;
  agentsOnQueue: number;
  interacting: number;
}

/** What activities/genesys-leading.ts reads each poll (workflows/forecast.ts turns it into forecasts). */
export interface LeadingSignals {
  /** Conversations offered to the event's queues per minute, over the arrival window (nOffered). */
  offeredPerMinute: number;
  /** How fast that rate is changing, per minute (least-squares slope over the window's minutes). */
  offeredTrendPerMinute: number;
  /** Conversations in the bot flow now (oFlow); absent without a bot flow. */
  botSessions?: number;
}

/** One poll of the platform. `ok: false` means the poll failed (no numbers to trust). */
export type Sample =
  | {
      ok: true;
      /** ISO instant the metrics were observed. */
      at: string;
      waiting: number;
      agentsAvailable: number;
      perQueue: QueueMetrics[];
      /** Messenger bootstrap probe, where configured; a failure counts toward tier 4. */
      messengerHealthy?: boolean;
      /** Signals that move before `waiting` does; absent when not configured or not readable this poll. */
      leading?: LeadingSignals;
    }
  | {
      ok: false;
      at: string;
      error: string;
      /** What the failure says about the platform (workflows/failure-classes.ts); absent in old histories (= platform). */
      failureClass?: FailureClass;
    };

// ---------------------------------------------------------------------------------------------
// Policy state (carried across continue-as-new; keep it small)
// ---------------------------------------------------------------------------------------------

/** An unbroken run of good samples meeting one rule's condition. */
export interface Streak {
  /** Time of the first sample in the run. */
  since: string;
  /** Time of the latest sample in the run. */
  lastAt: string;
  count: number;
}

export interface TierState {
  tier: TierNumber;
  /** The desired state decided by the policy or an operator. */
  active: boolean;
  mode: TierMode;
  /** When `active` last changed (or the event started). */
  since: string;
  reason: string;
  activateStreak: Streak | null;
  restoreStreak: Streak | null;
  /** A manual tier whose rule is met waits for an operator; set once until it clears. */
  recommendation: Recommendation | null;
  /** The run of samples meeting `activateEarly` (absent in state carried from before leading rules). */
  earlyStreak?: Streak | null;
  /** False from a restore until a sample fails to meet `activateEarly` (its hysteresis); absent counts as armed. */
  earlyArmed?: boolean;
}

export interface Recommendation {
  tier: TierNumber;
  action: 'activate' | 'restore';
  since: string;
  reason: string;
}

export interface HealthState {
  consecutiveFailures: number;
  consecutiveHealthy: number;
  lastError: string | null;
}

export type TransitionCause = 'rule' | 'operator' | 'event-end';

export interface Transition {
  at: string;
  tier: TierNumber;
  from: boolean;
  to: boolean;
  cause: TransitionCause;
  reason: string;
  by: string;
  waiting: number | null;
  agentsAvailable: number | null;
}

/** Alert conditions raised once and cleared once, so a persisting problem sends one email, not a storm. */
export type AlertCondition = 'metrics-unavailable' | 'controller-misconfigured' | `actuator-failed-tier-${TierNumber}` | `recommendation-tier-${TierNumber}`;

export interface PolicyState {
  tiers: Record<TierNumber, TierState>;
  health: HealthState;
  automationPaused: boolean;
  pausedReason: string | null;
  lastSample: Sample | null;
  transitions: Transition[];
  openAlerts: AlertCondition[];
  /** The latest forecast from the leading signals (absent when none was possible). */
  forecast?: Forecast | null;
}

/** What workflows/forecast.ts makes of a sample's leading signals. */
export interface Forecast {
  at: string;
  horizonSeconds: number;
  arrivalRate: number;
  /** Agent capacity in conversations per minute (agents on queue x concurrency / handle time). */
  capacityPerMinute: number;
  forecastWaiting: number;
  botLoad?: number;
  forecastBotLoad?: number;
}

export const MAX_TRANSITIONS_KEPT = 100;

// ---------------------------------------------------------------------------------------------
// Policy output
// ---------------------------------------------------------------------------------------------

export type PolicyAction =
  | { type: 'transition'; transition: Transition }
  | { type: 'recommend'; recommendation: Recommendation }
  | { type: 'alert'; condition: AlertCondition; raised: boolean; message: string };

// ---------------------------------------------------------------------------------------------
// Alerts (the payload the notify activity renders)
// ---------------------------------------------------------------------------------------------

export interface AlertMessage {
  eventId: string;
  eventName: string;
  kind: 'transition' | 'recommendation' | 'actuator-failure' | 'metrics' | 'event';
  subject: string;
  body: string;
  recipients: string[];
  dashboardUrl?: string;
  temporalUiUrl?: string;
}

// ---------------------------------------------------------------------------------------------
// Actuator payloads
// ---------------------------------------------------------------------------------------------

/** The event's row in the Architect data table that bot and inbound-message flows read. */
export interface FlagsRow {
  key: string;
  tier1Active: boolean;
  tier2Active: boolean;
  tier3Active: boolean;
  tier4Active: boolean;
  waiting: number;
  agentsAvailable: number;
  updatedAt: string;
}

export type EdgeFlagKey = 'chat_surge_active' | 'chat_fallback_active';

/** Shown on the static fallback page (KV key `support_status`); rendered as text, never as HTML. */
export interface SupportStatus {
  level: 'ok' | 'degraded' | 'outage';
  message: string;
  updatedAt: string;
}
