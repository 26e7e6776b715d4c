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

/**
 * A condition on one queue sample. Every bound given must hold (AND); at least one is required.
 * Bounds are strict: `waitingAbove: 50` is met by 51, not by 50.
 */
export interface MetricCondition {
  waitingAbove?: number;
  waitingBelow?: number;
  agentsAvailableBelow?: number;
  agentsAvailableAbove?: number;
}

/**
 * How long a condition must hold before the rule fires. Exactly one of:
 * - `sustainSeconds`: every sample in a window this long meets the condition, and samples cover the window;
 * - `consecutivePolls`: this many successive good samples meet the condition.
 */
export interface MetricRule extends MetricCondition {
  sustainSeconds?: number;
  consecutivePolls?: number;
}

/**
 * A condition on the leading signals (workflows/forecast.ts). Every bound given must hold (AND); at least one
 * is required; bounds are strict. A sample without leading signals (old histories, a failed leading read)
 * never meets one.
 */
export interface LeadingCondition {
  /** Waiting expected `leading.horizonSeconds` ahead (queue arrival rate and trend against agent capacity). */
  forecastWaitingAbove?: number;
  /** Conversations offered to the event's queues per minute (nOffered over `leading.arrivalWindowSeconds`). */
  arrivalRateAbove?: number;
  /** Bot sessions now (oFlow) over `leading.botConcurrencyLimit`: 0.9 is 90% of the limit. */
  botLoadAbove?: number;
  /** Bot sessions expected `leading.horizonSeconds` ahead (their trend since the last poll) over the limit. */
  forecastBotLoadAbove?: number;
}

/** A leading condition held for `sustainSeconds` or `consecutivePolls` (exactly one), as for a MetricRule. */
export interface LeadingRule extends LeadingCondition {
  sustainSeconds?: number;
  consecutivePolls?: number;
}

/** Tiers 1-3 act on queue metrics. */
export interface MetricTierConfig {
  /** `auto` lets the rules move the tier; `manual` only recommends (tier 3's default). */
  trigger: 'auto' | 'manual';
  activate: MetricRule;
  restore: MetricRule;
  /**
   * A second way in: the tier activates when `activate` OR `activateEarly` is met, and restores only on
   * `restore`, so a forecast can bring a tier on early but never hold it on by itself.
   */
  activateEarly?: LeadingRule;
}

/** How the leading signals are read and turned into a forecast (needed by any `activateEarly` rule). */
export interface LeadingConfig {
  /** Seconds ahead the forecasts look. */
  horizonSeconds: number;
  /** The arrival rate is the conversations offered over this many seconds (whole minutes, 2 to 15). */
  arrivalWindowSeconds: number;
  /** Messaging conversations an agent takes at once (the queues' utilization setting). */
  agentConcurrency: number;
  /** Mean handle time of a messaging conversation. */
  handleTimeSeconds: number;
  /** Mean time a customer waits in queue before abandoning; absent: nobody abandons (a pessimistic forecast). */
  patienceSeconds?: number;
  /** The bot flow whose sessions (oFlow) count against its concurrency limit; both or neither. */
  botFlowId?: string;
  botConcurrencyLimit?: number;
}

/** Tier 4 acts on the health of the platform itself (failed metric polls or messenger probes). */
export interface HealthTierConfig {
  trigger: 'auto' | 'manual';
  activateAfterFailedProbes: number;
  restoreAfterHealthyProbes: number;
}

/** How a tier reaches the customer. Several actuators may serve one tier. */
export type ActuatorConfig =
  /** Publish `surgeVersion` of an Architect flow on activate, `normalVersion` on restore. */
  | { kind: 'flowVersion'; flowId: string; surgeVersion: string; normalVersion: string }
  /** The tier's boolean column in the event's data-table flags row (read by bot and inbound flows). */
  | { kind: 'dataTableFlag' }
  /** A Cloudflare KV key the edge Worker reads ("true"/"false"). */
  | { kind: 'edgeFlag'; key: 'chat_surge_active' | 'chat_fallback_active' }
  /** Repoint a Web Messaging deployment to another configuration version (reaches mobile SDK users). */
  | { kind: 'messengerDeployment'; deploymentId: string; surgeConfigurationVersion: string; normalConfigurationVersion: string };

export interface EventConfig {
  /** Lowercase letters, digits and dashes; the workflow ID is `surge-event-<eventId>`. */
  eventId: string;
  name: string;
  /** ISO 8601 instants. */
  startAt: string;
  endAt: string;
  /** Genesys queue IDs whose message-media metrics are summed. */
  queueIds: string[];
  pollIntervalSeconds: number;
  /** A sample older than this when it is evaluated counts as failed. */
  staleAfterSeconds: number;
  dryRun: boolean;
  tiers: {
    1: MetricTierConfig;
    2: MetricTierConfig;
    3: MetricTierConfig;
    4: HealthTierConfig;
  };
  actuators: {
    1: ActuatorConfig[];
    2: ActuatorConfig[];
    3: ActuatorConfig[];
    4: ActuatorConfig[];
  };
  /** A URL serving the Messenger bootstrap (through the edge) probed each poll; failures count toward tier 4. */
  messengerProbeUrl?: string;
  /** The Architect data table that holds the flags row; required when any tier uses `dataTableFlag`. */
  dataTable?: { datatableId: string; rowKey: string };
  alerts: { recipients: string[]; dashboardUrl?: string; temporalUiUrl?: string };
  /** Initial per-tier operator modes (default all `auto`). */
  modes?: Partial<Record<TierNumber, TierMode>>;
  /** Leading signals: absent, nothing extra is read and no `activateEarly` rule may be set. */
  leading?: LeadingConfig;
}

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
export type AlertCondition = 'metrics-unavailable' | `actuator-failed-tier-${TierNumber}` | `recommendation-tier-${TierNumber}`;

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
