// What operators can do to events, for the CLI and the dashboard alike: start, read, override, list.
// Every failure becomes a SurgeClientError whose message says what happened in operators' words.
import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import * as messages from '../workflows/messages';
import type { SurgeStatus } from '../workflows/messages';
import { SURGE_EVENT_ID, SURGE_PHASE, SURGE_TIER } from '../workflows/search-attributes';
import { surgeEvent } from '../workflows/surge-event';
import { preEventCheck, preEventCheckStartDelayMs, preEventCheckWorkflowId } from '../workflows/pre-event-check';
import { TASK_QUEUE, surgeEventWorkflowId } from '../workflows/ids';
import { claimActuators, giveBack } from './actuator-claims';
import type { EventConfig } from '../workflows/types';

export class SurgeClientError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'refused' | 'already-running' | 'actuator-owned' | 'timeout' | 'invalid',
  ) {
    super(message);
    this.name = 'SurgeClientError';
  }
}

export interface EventSummary {
  eventId: string;
  workflowId: string;
  runId: string;
  status: string;
  phase: string | null;
  highestTier: number | null;
  startTime: string;
}

export interface SurgeClientOptions {
  /** An Update waits for a worker; without one it would wait forever, so it is bounded. */
  updateTimeoutMs?: number;
  taskQueue?: string;
}

export class SurgeClient {
  private readonly updateTimeoutMs: number;
  private readonly taskQueue: string;

  constructor(
    readonly client: Client,
    options: SurgeClientOptions = {},
  ) {
    this.updateTimeoutMs = options.updateTimeoutMs ?? 30_000;
    this.taskQueue = options.taskQueue ?? TASK_QUEUE;
  }

  /**
   * Starts the event's workflow; a running one is refused unless `attach` (then its handle is returned). First it
   * claims every site-wide actuator the event drives (client/actuator-claims.ts): one owned by another running or
   * scheduled event refuses the start, naming that event and the actuator, and nothing is started.
   */
  async startEvent(
    config: EventConfig,
    options: { attach?: boolean; checkLeadTimeMs?: number; fallbackPageUrl?: string } = {},
  ): Promise<{ workflowId: string; runId: string; attached: boolean; readinessCheckAt: string | null }> {
    const workflowId = surgeEventWorkflowId(config.eventId);
    // The client does not say whether USE_EXISTING started a run or found one, so look first.
    if (options.attach) {
      const running = await this.client.workflow
        .getHandle(workflowId)
        .describe()
        .catch(() => null);
      if (running?.status.name === 'RUNNING') return { workflowId, runId: running.runId, attached: true, readinessCheckAt: null };
    }
    const claimed = await claimActuators(this.client, this.taskQueue, config);
    if (!claimed.ok) throw new SurgeClientError(`refused: ${claimed.refusal}`, 'actuator-owned');
    let runId: string;
    try {
      const handle = await this.client.workflow.start(surgeEvent, {
        taskQueue: this.taskQueue,
        workflowId,
        // The event releases these at its end (workflows/surge-event.ts).
        args: [{ config, ...(claimed.claims.length > 0 ? { claims: claimed.claims } : {}) }],
        workflowIdConflictPolicy: options.attach ? 'USE_EXISTING' : 'FAIL',
        typedSearchAttributes: [
          { key: SURGE_EVENT_ID, value: config.eventId },
          { key: SURGE_PHASE, value: 'scheduled' },
          { key: SURGE_TIER, value: 0 },
        ],
        staticSummary: `${config.name}: ${config.startAt} → ${config.endAt}${config.dryRun ? ' (dry run)' : ''}`,
      });
      runId = handle.firstExecutionRunId;
    } catch (err) {
      // Claims already ours (a running event of this ID) are not given back; only this call's are.
      await giveBack(this.client, claimed.taken, `start of event ${config.eventId} failed: ${(err as Error).message}`);
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new SurgeClientError(`event "${config.eventId}" is already running (workflow ${workflowId}); use --attach to attach to it, or end it first`, 'already-running');
      }
      throw err;
    }
    const readinessCheckAt = await this.scheduleReadinessCheck(config, options);
    return { workflowId, runId, attached: false, readinessCheckAt };
  }

  /**
   * Every lever exercised harmlessly some time before the event (default 24 h): a preEventCheck workflow held
   * back with startDelay, so it is visible in the UI from now on. Skipped when that moment has passed.
   */
  private async scheduleReadinessCheck(config: EventConfig, options: { checkLeadTimeMs?: number; fallbackPageUrl?: string }): Promise<string | null> {
    const delayMs = preEventCheckStartDelayMs(config, Date.now(), options.checkLeadTimeMs);
    if (delayMs === null) return null;
    await this.client.workflow.start(preEventCheck, {
      taskQueue: this.taskQueue,
      workflowId: preEventCheckWorkflowId(config.eventId),
      args: [{ config, ...(options.fallbackPageUrl ? { fallbackPageUrl: options.fallbackPageUrl } : {}) }],
      startDelay: delayMs,
      // A restarted event replaces its pending check with one for the new config.
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      staticSummary: `readiness check for ${config.name} (event starts ${config.startAt})`,
    });
    return new Date(Date.now() + delayMs).toISOString();
  }

  async status(eventId: string): Promise<SurgeStatus> {
    return this.call(eventId, async (h) => {
      const [status, livePoll] = await Promise.all([h.query(messages.statusQuery), this.livePoll(h)]);
      if (!livePoll) return status;
      // A run's first batch is set up before the start and records its polls (and the phase) when it hands back:
      // once it has polled, the event has started whatever the record says yet.
      return { ...status, livePoll, ...(status.phase === 'scheduled' ? { phase: 'active' as const } : {}) };
    });
  }

  /**
   * The latest poll of a batch still under way (workflows/poll-batch.ts): the workflow records a batch's polls when
   * it hands them back, so between times the newest reading is the batch's last heartbeat. Best effort: anything
   * unreadable here leaves it out; the recorded status stands on its own.
   */
  private async livePoll(h: ReturnType<Client['workflow']['getHandle']>): Promise<SurgeStatus['livePoll']> {
    try {
      const pending = (await h.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'pollBatch');
      const payload = pending?.heartbeatDetails?.payloads?.[0];
      if (!payload) return undefined;
      const { payloadCodecs, payloadConverter } = this.client.options.loadedDataConverter;
      let decoded = [payload];
      for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
      const p = payloadConverter.fromPayload<NonNullable<SurgeStatus['livePoll']>>(decoded[0]!);
      return typeof p?.at === 'string' ? p : undefined;
    } catch {
      return undefined;
    }
  }

  setTierMode(eventId: string, request: messages.SetTierModeRequest): Promise<SurgeStatus> {
    return this.update(eventId, messages.setTierModeUpdate, request, messages.checkSetTierMode);
  }
  pauseAutomation(eventId: string, request: messages.PauseAutomationRequest): Promise<SurgeStatus> {
    return this.update(eventId, messages.pauseAutomationUpdate, request, messages.checkPauseAutomation);
  }
  resumeAutomation(eventId: string, request: messages.ResumeAutomationRequest): Promise<SurgeStatus> {
    return this.update(eventId, messages.resumeAutomationUpdate, request, messages.checkResumeAutomation);
  }
  endEvent(eventId: string, request: messages.EndEventRequest): Promise<SurgeStatus> {
    return this.update(eventId, messages.endEventUpdate, request, messages.checkEndEvent);
  }

  /** Recent events, newest first (needs the search attributes registered on the namespace). */
  async listEvents(limit = 50): Promise<EventSummary[]> {
    const events: EventSummary[] = [];
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = 'surgeEvent'`, pageSize: limit })) {
      events.push({
        eventId: (wf.typedSearchAttributes.get(SURGE_EVENT_ID) as string | undefined) ?? wf.workflowId.replace(/^surge-event-/, ''),
        workflowId: wf.workflowId,
        runId: wf.runId,
        status: wf.status.name,
        phase: (wf.typedSearchAttributes.get(SURGE_PHASE) as string | undefined) ?? null,
        highestTier: (wf.typedSearchAttributes.get(SURGE_TIER) as number | undefined) ?? null,
        startTime: wf.startTime.toISOString(),
      });
      if (events.length >= limit) break;
    }
    return events;
  }

  private async update<Req>(
    eventId: string,
    def: UpdateDefinition<SurgeStatus, [Req]>,
    request: Req,
    check: (req: Req) => string | null,
  ): Promise<SurgeStatus> {
    // Same words as the workflow's validator, without a round trip.
    const problem = check(request);
    if (problem) throw new SurgeClientError(`refused: ${problem}`, 'invalid');
    return this.call(eventId, (h) =>
      this.client.withDeadline(Date.now() + this.updateTimeoutMs, () => h.executeUpdate(def, { args: [request] })),
    );
  }

  private async call<T>(eventId: string, fn: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<T>): Promise<T> {
    const workflowId = surgeEventWorkflowId(eventId);
    try {
      return await fn(this.client.workflow.getHandle(workflowId));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new SurgeClientError(`no event "${eventId}" (workflow ${workflowId} not found in namespace ${this.client.options.namespace})`, 'not-found');
      }
      if (err instanceof WorkflowUpdateFailedError) {
        const reason = err.cause instanceof Error ? err.cause.message : String(err.cause ?? err.message);
        throw new SurgeClientError(`refused: ${reason}`, 'refused');
      }
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (err as { code?: number }).code === 4 /* DEADLINE_EXCEEDED */) {
        throw new SurgeClientError(
          `no answer from event "${eventId}" within ${this.updateTimeoutMs / 1000} s: is a worker polling task queue ${this.taskQueue}? (the request may still be applied)`,
          'timeout',
        );
      }
      throw err;
    }
  }
}
