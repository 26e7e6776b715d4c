// The contact centre's public shapes. `QueueObservation`/`MetricsSource` are the interface the Genesys sandbox
// reads, `ControlsSource` is how the simulator learns which tiers are live, since that state belongs to other
// sandboxes (data table, KV, flow versions).

// The seam is owned by the Genesys sandbox, which reads it; the simulator implements it.
export type { MetricsSource, QueueObservation } from '../genesys/types';

export interface TierControls {
  tier1: boolean;
  tier2: boolean;
  tier3: boolean;
  tier4: boolean;
}

export interface ControlsSource {
  /** Read on a fixed simulated cadence; `simTimeMs` lets scripted sources follow the scenario's clock. */
  controls(simTimeMs: number): TierControls;
}

export const NO_TIERS: TierControls = Object.freeze({ tier1: false, tier2: false, tier3: false, tier4: false });

/** Where a customer went instead of chat: tier 2 offers (email/callback/faq), tier 3 notice, tier 4 page. */
export type DeflectionChannel = 'email' | 'callback' | 'faq' | 'notice' | 'fallback-page';
export const DEFLECTION_CHANNELS: readonly DeflectionChannel[] = ['email', 'callback', 'faq', 'notice', 'fallback-page'];

export interface Outcomes {
  /** Customers who wanted to chat (every arrival, whatever happened next). */
  arrivals: number;
  served: number;
  containedByBot: number;
  deflected: Record<DeflectionChannel, number>;
  abandoned: number;
  /** Bot at its concurrency limit: the customer saw "something went wrong". */
  errored: number;
  /** Platform above its connection limit: an open conversation was cut mid-session. */
  dropped: number;
  /** Still with the bot, waiting or with an agent. */
  open: number;
}

export interface WaitStats {
  /** Conversations that reached an agent queue. */
  queued: number;
  /** Of those, how many found no free agent (the Erlang "probability of waiting" numerator). */
  delayed: number;
  /** Mean time in queue over every queued conversation (0 for immediate service, time to abandon for abandons). */
  meanWaitSeconds: number;
  /** Percentiles of the wait of served conversations. */
  p50Seconds: number;
  p90Seconds: number;
  p99Seconds: number;
  /** Served within the target / (served + abandoned): the "80/20" service level. */
  serviceLevel: number;
  serviceLevelTargetSeconds: number;
}

/** The state at a minute boundary; `arrivals`..`dropped` count what happened during the minute before. */
export interface MinuteSample {
  minute: number;
  waiting: number;
  agentsIdle: number;
  interacting: number;
  botSessions: number;
  openConversations: number;
  arrivals: number;
  abandoned: number;
  errored: number;
  dropped: number;
  deflected: number;
  activeTiers: number[];
}
