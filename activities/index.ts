// Every side effect of the controller. The workflow sees only these signatures (`import type`);
// the worker builds the real implementations from SDK clients, tests hand in fakes.
import type { Observation, ObserveInput } from '../workflows/observation';
import type { PollBatchInput, PollBatchResult } from '../workflows/poll-batch';
import type { AlertMessage, EdgeFlagKey, FlagsRow, LeadingSignals, QueueMetrics, SupportStatus } from '../workflows/types';
import type { LeadingSignalsInput } from './genesys-leading';

export interface QueueMetricsSample {
  at: string;
  waiting: number;
  agentsAvailable: number;
  perQueue: QueueMetrics[];
}

export interface SurgeActivities {
  /** Sums message-media metrics over the queues; throws (never returns zeros) when the platform can't say. */
  fetchQueueMetrics(input: { queueIds: string[] }): Promise<QueueMetricsSample>;
  /** Arrival rate into the queues, its trend and the bot's sessions (activities/genesys-leading.ts). */
  fetchLeadingSignals(input: LeadingSignalsInput): Promise<LeadingSignals>;
  /** The configured queue IDs that do not exist (or the OAuth client cannot see): the controller's mistake, by name. */
  verifyQueues(input: { queueIds: string[] }): Promise<{ unknown: string[] }>;
  /** Publishes `version` of a flow and follows the asynchronous operation; a no-op when it is already live. */
  publishFlowVersion(input: { flowId: string; version: string }): Promise<{ alreadyPublished: boolean }>;
  /** Creates or replaces the event's flags row in the Architect data table. */
  writeFlagsRow(input: { datatableId: string; row: FlagsRow }): Promise<void>;
  /** Points a Web Messaging deployment at another configuration version. */
  setMessengerDeploymentVersion(input: { deploymentId: string; configurationVersion: string }): Promise<{ alreadySet: boolean }>;
  /** Writes a KV flag the edge Worker reads and reads it back to confirm. */
  setEdgeFlag(input: { key: EdgeFlagKey; value: boolean }): Promise<void>;
  /** Publishes the status JSON shown on the static fallback page. */
  publishSupportStatus(input: { status: SupportStatus }): Promise<void>;
  /**
   * Fetches the Messenger bootstrap from the Genesys apps host; healthy or throws: MessengerUnavailable (platform,
   * counts toward tier 4) or ControllerMisconfigured (the URL reaches our edge's stub; never tier 4).
   */
  probeMessengerBootstrap(input: { url: string }): Promise<{ healthy: boolean; status: number | null; error?: string }>;
  /** One poll's observation: metrics, probe and actuator read-backs, each part succeeding or failing on its own. */
  observeWorld(input: ObserveInput): Promise<Observation>;
  /**
   * Polls at their slots until one would make the workflow act, the batch is full, or it is cancelled (then it
   * returns the polls it has). Read-only; decides nothing (workflows/poll-batch.ts).
   */
  pollBatch(input: PollBatchInput): Promise<PollBatchResult>;
  /** Emails operators. Failing here must never hold up a tier action (the workflow sends alerts apart). */
  sendAlert(input: AlertMessage): Promise<{ messageId: string }>;
}

// ---------------------------------------------------------------------------------------------

import { ApplicationFailure } from '@temporalio/common';
import { createCloudflareActivities, type CloudflareDeps } from './cloudflare';
import { createGenesysActivities, createGenesysReads } from './genesys';
import { createLeadingActivities } from './genesys-leading';
import { createObserveActivity } from './observe';
import { createPollBatchActivity } from './poll-batch';
import type { GenesysSession } from './genesys-client';
import { createNotifyActivities, type NotifyDeps } from './notify';
import { createDeflectionActivities, type DeflectionActivities, type DeflectionDeps } from './deflection';
import { createProbeActivities } from './probe';
import { createReadinessActivities } from './readiness';

export interface ActivityDeps {
  genesys: GenesysSession;
  cloudflare: CloudflareDeps;
  notify: NotifyDeps;
  /** Async deflection follow-ups; when absent (not configured), those activities fail saying why. */
  deflection?: DeflectionDeps | { notConfigured: string };
}

/** Every activity the worker registers, built from SDK clients (tests hand in clients aimed at the sandboxes). */
export function createActivities(deps: ActivityDeps) {
  const genesys = createGenesysActivities(deps.genesys);
  const cloudflare = createCloudflareActivities(deps.cloudflare);
  const probe = createProbeActivities();
  const leading = createLeadingActivities(deps.genesys);
  const observe = createObserveActivity({ ...genesys, ...probe, ...leading, readEdgeFlag: cloudflare.readEdgeFlag, genesys: createGenesysReads(deps.genesys) });
  return {
    ...genesys,
    ...leading,
    ...cloudflare,
    ...createNotifyActivities(deps.notify),
    ...probe,
    ...observe,
    ...createPollBatchActivity(observe),
    ...createReadinessActivities(deps),
    ...(deps.deflection && !('notConfigured' in deps.deflection) ? createDeflectionActivities(deps.deflection) : deflectionNotConfigured(deps.deflection?.notConfigured)),
  } satisfies SurgeActivities;
}

/** A promise nobody can keep must fail loudly, not be retried forever: non-retryable, with the missing setting. */
function deflectionNotConfigured(reason = 'deflections are not configured'): DeflectionActivities {
  const fail = async (): Promise<never> => {
    throw ApplicationFailure.nonRetryable(reason, 'DeflectionNotConfigured');
  };
  return { lookupDeflectionContent: fail, deliverDeflectionEmail: fail, deliverDeflectionSms: fail, sendDeflectionAlert: fail };
}

export type WorkerActivities = ReturnType<typeof createActivities>;
