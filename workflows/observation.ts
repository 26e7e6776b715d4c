// What one poll sees: queue metrics, the Messenger probe and the actuators' real values, each part with its
// own success or failure. Pure data shared by the observe activity, the reconciler and the workflow.
import type { FailureClass } from './failure-classes';
import type { EdgeFlagKey, LeadingSignals, QueueMetrics } from './types';

/** How to read one site-wide actuator. `id` is the reconciler's actuator ID (workflows/reconciler.ts). */
export type ActuatorRead =
  | { id: string; kind: 'kv'; key: EdgeFlagKey }
  | { id: string; kind: 'flags-row'; datatableId: string; rowKey: string }
  | { id: string; kind: 'flow'; flowId: string }
  | { id: string; kind: 'deployment'; deploymentId: string };

/** One part of an observation: its value, or why it could not be read (classified: failure-classes.ts). */
export type ObservationPart<T> =
  | { ok: true; value: T }
  /** `retryAfterSeconds`: the platform said when to ask again (a 429's Retry-After); the workflow keeps quiet till then. */
  | { ok: false; error: string; failureClass: FailureClass; retryAfterSeconds?: number };

/**
 * An actuator's observed value in the reconciler's canonical form, `null` when absent:
 * kv: the stored string ("true"/"false"); flags-row: the four tier flags as "0101"; flow: the published
 * version's ID; deployment: the configuration version it points at.
 */
export type ObservedValue = string | null;

export interface ObserveInput {
  /** Omitted: no metrics this time (an actuator-only re-check, or the end's restore loop). */
  queueIds?: string[];
  probeUrl?: string;
  /** The leading signals (arrival rate, its trend, bot sessions) beside the metrics, when the event has `leading`. */
  leading?: { windowSeconds: number; botFlowId?: string };
  /** The poll's instant on the workflow's clock: the end of the arrival window. */
  at?: string;
  reads: ActuatorRead[];
}

export interface ObservedMetrics {
  waiting: number;
  agentsAvailable: number;
  perQueue: QueueMetrics[];
}

export interface Observation {
  metrics?: ObservationPart<ObservedMetrics>;
  probe?: ObservationPart<{ healthy: boolean; error?: string }>;
  leading?: ObservationPart<LeadingSignals>;
  actuators: Record<string, ObservationPart<ObservedValue>>;
}

/** The flags row's canonical form: one digit per tier flag, so the numbers riding along never count as drift. */
export function flagsFingerprint(row: { tier1Active?: unknown; tier2Active?: unknown; tier3Active?: unknown; tier4Active?: unknown }): string {
  return [row.tier1Active, row.tier2Active, row.tier3Active, row.tier4Active].map((v) => (v === true ? '1' : '0')).join('');
}
