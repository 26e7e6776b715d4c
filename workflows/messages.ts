// Every message the surgeEvent workflow understands, shared by the workflow, the CLI and the dashboard.
// Each override exists as an Update (validated, answers with the new status) and as a Signal of the
// same name (fire-and-forget, for tools that can only signal).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { TIER_MODES, type EventPhase, type Recommendation, type Sample, type TierMode, type TierNumber, type Transition } from './types';

export interface SetTierModeRequest {
  tier: TierNumber;
  mode: TierMode;
  reason: string;
  by: string;
}
export interface PauseAutomationRequest {
  reason: string;
  by: string;
}
export interface ResumeAutomationRequest {
  by: string;
}
export interface EndEventRequest {
  reason: string;
  by: string;
}

export interface TierStatus {
  tier: TierNumber;
  name: string;
  active: boolean;
  mode: TierMode;
  since: string;
  reason: string;
  /** What the actuators last confirmed: `true`/`false`, or `null` while a change is pending or failing. */
  applied: boolean | null;
  recommendation: Recommendation | null;
}

export interface ActuationRecord {
  at: string;
  tier: TierNumber;
  actuator: string;
  desired: boolean;
  outcome: 'applied' | 'already-applied' | 'dry-run' | 'failed' | 'busy' | 'drift';
  detail?: string;
}

/** One site-wide actuator as the controller sees it: what it should hold and what was last read there. */
export interface ActuatorStatus {
  id: string;
  /** The tier it serves; null for the flags row (every tier). */
  tier: TierNumber | null;
  desired: string;
  /** Last value read (null: absent), or undefined when never read. */
  observed?: string | null;
  observedAt?: string;
  /** Why the last read failed, when it did. */
  readError?: string;
  /** It holds the desired value as far as the controller knows (its read, or its own confirmed write). */
  inLine: boolean;
  /** Changed outside the controller and not yet seen corrected. */
  drift: boolean;
}

/** A value read on an actuator that differs from what the controller had set: someone else changed it. */
export interface DriftRecord {
  at: string;
  actuator: string;
  expected: string | null;
  observed: string | null;
}

export interface SurgeStatus {
  eventId: string;
  name: string;
  phase: EventPhase;
  startAt: string;
  endAt: string;
  dryRun: boolean;
  automationPaused: boolean;
  pausedReason: string | null;
  tiers: TierStatus[];
  lastSample: Sample | null;
  health: { consecutiveFailures: number; consecutiveHealthy: number; lastError: string | null };
  transitions: Transition[];
  actuations: ActuationRecord[];
  openAlerts: string[];
  /** Recent good samples for charts (bounded). */
  /** `forecastWaiting` / `botLoad`: the leading signals' forecast at that poll, when configured. */
  series: { at: string; waiting: number; agentsAvailable: number; forecastWaiting?: number; botLoad?: number }[];
  endedReason: string | null;
  /** Every site-wide actuator, desired beside observed (absent in statuses from before observed-state reconciliation). */
  actuators?: ActuatorStatus[];
  /** Recent drifts (bounded). */
  drifts?: DriftRecord[];
  /**
   * Filled in by SurgeClient, never by the workflow: the newest poll of a batch still under way (its last heartbeat,
   * activities/poll-batch.ts), newer than `lastSample` until the batch hands its polls back.
   */
  livePoll?: { polls: number; at: string; waiting?: number; agentsAvailable?: number };
  /** Phase `ended-with-failures`: each actuator left non-normal and the manual fix. */
  endingFailures?: { actuator: string; observed: string | null | undefined; fix: string; error?: string }[];
}

export const setTierModeUpdate = defineUpdate<SurgeStatus, [SetTierModeRequest]>('setTierMode');
export const pauseAutomationUpdate = defineUpdate<SurgeStatus, [PauseAutomationRequest]>('pauseAutomation');
export const resumeAutomationUpdate = defineUpdate<SurgeStatus, [ResumeAutomationRequest]>('resumeAutomation');
export const endEventUpdate = defineUpdate<SurgeStatus, [EndEventRequest]>('endEvent');

export const setTierModeSignal = defineSignal<[SetTierModeRequest]>('setTierMode');
export const pauseAutomationSignal = defineSignal<[PauseAutomationRequest]>('pauseAutomation');
export const resumeAutomationSignal = defineSignal<[ResumeAutomationRequest]>('resumeAutomation');
export const endEventSignal = defineSignal<[EndEventRequest]>('endEvent');

export const statusQuery = defineQuery<SurgeStatus>('status');

// Validation shared by the workflow's synchronous Update validators and the clients, so a request the
// workflow would refuse is refused with the same words before it is even sent.

function who(by: unknown, path = 'by'): string | null {
  return typeof by === 'string' && by.trim() !== '' ? null : `${path}: say who is acting (a non-empty name)`;
}
function why(reason: unknown): string | null {
  return typeof reason === 'string' && reason.trim() !== '' ? null : 'reason: a non-empty reason is required (it goes in the audit log)';
}

export function checkSetTierMode(req: SetTierModeRequest | undefined): string | null {
  if (!req || typeof req !== 'object') return 'request: expected {tier, mode, reason, by}';
  if (![1, 2, 3, 4].includes(req.tier)) return `tier: must be 1, 2, 3 or 4, got ${JSON.stringify(req.tier)}`;
  if (!TIER_MODES.includes(req.mode)) return `mode: must be auto, on or off, got ${JSON.stringify(req.mode)}`;
  return why(req.reason) ?? who(req.by);
}
export function checkPauseAutomation(req: PauseAutomationRequest | undefined): string | null {
  if (!req || typeof req !== 'object') return 'request: expected {reason, by}';
  return why(req.reason) ?? who(req.by);
}
export function checkResumeAutomation(req: ResumeAutomationRequest | undefined): string | null {
  if (!req || typeof req !== 'object') return 'request: expected {by}';
  return who(req.by);
}
export function checkEndEvent(req: EndEventRequest | undefined): string | null {
  if (!req || typeof req !== 'object') return 'request: expected {reason, by}';
  return why(req.reason) ?? who(req.by);
}
