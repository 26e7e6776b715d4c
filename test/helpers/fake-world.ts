// Recording fakes for workflow tests (Temporal practice: the workflow is real, its activities are
// stand-ins). The fake flow store behaves like Genesys here: publishing the live version is a no-op.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { SurgeActivities } from '../../activities';
import { createObserveActivity, type ObserveDeps } from '../../activities/observe';
import { createPollBatchActivity } from '../../activities/poll-batch';
import { runPollBatch } from '../../workflows/poll-batch';
import type { AlertMessage, EdgeFlagKey, FlagsRow, LeadingSignals, SupportStatus } from '../../workflows/types';

export interface Metrics {
  waiting: number;
  agentsAvailable: number;
}

/**
 * Workflow time of an activity's schedule: the test server skips time, so the activity's own clock would lie.
 * Only for (remote) activities: a local activity's scheduled time is the worker's clock, so the observe step
 * is timed by the workflow's `at` in its input instead.
 */
function scheduledAt(): number {
  return Context.current().info.currentAttemptScheduledTimestampMs;
}

export class FakeWorld {
  /** Queue metrics as a function of (skipped) time in ms since the epoch; throw to simulate an outage. */
  metrics: (atMs: number) => Metrics = () => ({ waiting: 0, agentsAvailable: 20 });
  readonly publishedVersion = new Map<string, string>();
  readonly publishCalls: { flowId: string; version: string }[] = [];
  readonly edgeFlags = new Map<EdgeFlagKey, boolean>();
  readonly edgeFlagWrites: { key: EdgeFlagKey; value: boolean; atMs: number }[] = [];
  readonly flagRows: FlagsRow[] = [];
  readonly alerts: AlertMessage[] = [];
  readonly supportStatuses: SupportStatus[] = [];
  /** Web Messaging deployment -> configuration version it points at. */
  readonly deploymentVersions = new Map<string, string>();
  readonly deploymentWrites: { deploymentId: string; configurationVersion: string }[] = [];
  /** Every observe step the workflow made (what it asked to read). */
  readonly observeCalls: { metrics: boolean; reads: string[]; atMs: number }[] = [];
  /** The order side effects happened in (edge flags and support statuses), to check tier 4's order. */
  readonly sideEffects: string[] = [];
  metricCalls = 0;
  /** Leading signals as a function of (skipped) time; throw to simulate the read failing. */
  leading: (atMs: number) => LeadingSignals = () => ({ offeredPerMinute: 0, offeredTrendPerMinute: 0 });
  readonly leadingCalls: { at: string; windowSeconds: number; botFlowId?: string }[] = [];
  /** Queue IDs the fake org does not have (verifyQueues names them). */
  readonly unknownQueues = new Set<string>();
  verifyCalls = 0;
  /** The first metrics call at or after this (workflow) time answers 429 with Retry-After: 60. */
  rateLimitAt: number | null = null;
  rateLimitedCalls = 0;
  /** Set to make every publish fail (a flow that cannot be restored). */
  failPublishes = false;
  /** Set to make every alert fail (the mail server is down). */
  failAlerts = false;
  /** Set to make the next N edge-flag writes fail (an actuator outage). */
  failEdgeWrites = 0;
  /** When set, publishes wait for it (to hold one in flight). */
  publishGate: Promise<void> | null = null;
  /** When set, edge-flag writes wait for it before they land (a slow KV write still in flight). */
  edgeWriteGate: Promise<void> | null = null;
  /**
   * Batches of polls (pollBatch) wait for their slots on the real clock when set: only on a real-time (dev)
   * server. Off, a batch takes its first poll and hands back (a time-skipping server cannot skip an activity's
   * wait), so every poll still goes through the batch activity, one at a time.
   */
  batchWaits = false;
  /** Every batch the workflow started: its size limit, the polls it took and why it handed back. */
  readonly batches: { maxPolls: number; polls: number; handedBack: string }[] = [];

  /** The flags row as stored (the latest write), like the data table holds one row per key. */
  flagsRow(key: string): FlagsRow | undefined {
    return [...this.flagRows].reverse().find((r) => r.key === key);
  }

  /** Queue metrics at (skipped) workflow time `atMs`, with the 429 `rateLimitAt` asks for. */
  private async queueMetricsAt(queueIds: string[], atMs: number) {
    this.metricCalls++;
    if (this.rateLimitAt !== null && atMs >= this.rateLimitAt && this.rateLimitedCalls === 0) {
      this.rateLimitedCalls++;
      // As activities/genesys-client.ts throws a 429: retryable, with Retry-After (60 s) as nextRetryDelay.
      throw ApplicationFailure.create({ type: 'GenesysRateLimited', message: 'rate limited (fake), Retry-After: 60', nextRetryDelay: 60_000 });
    }
    const m = this.metrics(atMs);
    return {
      at: new Date(atMs).toISOString(),
      waiting: m.waiting,
      agentsAvailable: m.agentsAvailable,
      perQueue: queueIds.map((queueId, i) => ({
        queueId,
        waiting: i === 0 ? m.waiting : 0,
        agentsAvailable: i === 0 ? m.agentsAvailable : 0,
        agentsOnQueue: 0,
        interacting: 0,
      })),
    };
  }

  /**
   * The activities, fake throughout unless `real` hands in real ones: those replace the fakes both as
   * activities and inside the observe step (an end-to-end test reads back the real KV and probes the real host).
   */
  activities(real: Partial<Pick<SurgeActivities, 'setEdgeFlag' | 'publishSupportStatus' | 'probeMessengerBootstrap'>> & { readEdgeFlag?: ObserveDeps['readEdgeFlag'] } = {}): SurgeActivities {
    const acts: Omit<SurgeActivities, 'observeWorld' | 'pollBatch'> = {
      fetchQueueMetrics: async ({ queueIds }) => this.queueMetricsAt(queueIds, scheduledAt()),
      fetchLeadingSignals: async ({ at, windowSeconds, botFlowId }) => {
        this.leadingCalls.push({ at, windowSeconds, ...(botFlowId ? { botFlowId } : {}) });
        return this.leading(Date.parse(at));
      },
      verifyQueues: async ({ queueIds }) => {
        this.verifyCalls++;
        return { unknown: queueIds.filter((id) => this.unknownQueues.has(id)) };
      },
      publishFlowVersion: async ({ flowId, version }) => {
        if ((this.publishedVersion.get(flowId) ?? '1.0') === version) return { alreadyPublished: true };
        if (this.failPublishes) throw ApplicationFailure.nonRetryable(`publish of ${flowId} ${version} refused (fake)`, 'GenesysPublishFailed');
        this.publishCalls.push({ flowId, version });
        if (this.publishGate) await this.publishGate;
        this.publishedVersion.set(flowId, version);
        return { alreadyPublished: false };
      },
      writeFlagsRow: async ({ row }) => {
        this.flagRows.push(row);
      },
      setMessengerDeploymentVersion: async ({ deploymentId, configurationVersion }) => {
        const alreadySet = this.deploymentVersions.get(deploymentId) === configurationVersion;
        this.deploymentVersions.set(deploymentId, configurationVersion);
        if (!alreadySet) this.deploymentWrites.push({ deploymentId, configurationVersion });
        return { alreadySet };
      },
      setEdgeFlag: async ({ key, value }) => {
        if (this.failEdgeWrites > 0) {
          this.failEdgeWrites--;
          throw ApplicationFailure.retryable(`KV write refused (fake outage) for ${key}`);
        }
        if (this.edgeWriteGate) await this.edgeWriteGate;
        this.edgeFlags.set(key, value);
        this.edgeFlagWrites.push({ key, value, atMs: scheduledAt() });
        this.sideEffects.push(`${key}=${value}`);
      },
      publishSupportStatus: async ({ status }) => {
        this.supportStatuses.push(status);
        this.sideEffects.push(`support_status=${status.level}`);
      },
      probeMessengerBootstrap: async () => ({ healthy: true, status: 200 }),
      sendAlert: async (alert) => {
        if (this.failAlerts) throw ApplicationFailure.retryable('SMTP server unreachable (fake)');
        this.alerts.push(alert);
        return { messageId: `fake-${this.alerts.length}` };
      },
    };
    const { readEdgeFlag, ...realActivities } = real;
    Object.assign(acts, realActivities);
    // The real observe activity over fake reads: what the workflow sees is what this world holds, at the
    // workflow's time (`at`).
    const observeAt = (atMs: number) =>
      createObserveActivity({
      fetchQueueMetrics: async ({ queueIds }) => this.queueMetricsAt(queueIds, atMs),
      probeMessengerBootstrap: acts.probeMessengerBootstrap,
      fetchLeadingSignals: acts.fetchLeadingSignals,
      readEdgeFlag: readEdgeFlag ?? (async ({ key }) => (this.edgeFlags.has(key) ? String(this.edgeFlags.get(key)) : null)),
      genesys: {
        readFlagsRow: async ({ rowKey }) => (this.flagsRow(rowKey) as unknown as Record<string, unknown>) ?? null,
        readFlowPublishedVersion: async ({ flowId }) => this.publishedVersion.get(flowId) ?? '1.0',
        readDeploymentConfigurationVersion: async ({ deploymentId }) => this.deploymentVersions.get(deploymentId) ?? 'unknown',
      },
    });
    const observeWorld: SurgeActivities['observeWorld'] = async (input) => {
      if (!input.at) throw new Error('observeWorld without `at`: the fakes need the workflow time');
      const atMs = Date.parse(input.at);
      this.observeCalls.push({ metrics: input.queueIds !== undefined, reads: input.reads.map((r) => r.id), atMs });
      return observeAt(atMs).observeWorld(input);
    };
    // The real batch activity over the fake observe step; without `batchWaits` its waits say "cannot wait". Its
    // clock is the server's (skipped) time the batch was scheduled at, but never past its first slot: a batch
    // scheduled at its slot takes that poll at once (lateness 0), one scheduled ahead of it (first-batch-ahead)
    // cannot wait for it and takes nothing, as the real activity would if it could not sleep.
    const { pollBatch } = createPollBatchActivity({ observeWorld });
    return {
      ...acts,
      observeWorld,
      pollBatch: async (input) => {
        const scheduledMs = Context.current().info.scheduledTimestampMs;
        const nowMs = () => Math.min(input.firstSlotMs, scheduledMs);
        const result = this.batchWaits ? await pollBatch(input) : await runPollBatch(input, { observe: observeWorld, nowMs, waitUntil: async () => false, progress: () => undefined });
        this.batches.push({ maxPolls: input.maxPolls, polls: result.polls.length, handedBack: result.handedBack });
        return result;
      },
    };
  }
}
