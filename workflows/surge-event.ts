// surgeEvent: one durable execution per planned event (ID `surge-event-<eventId>`). It waits for the
// event's start; then each poll it OBSERVES (metrics, Messenger probe, every actuator's real value, one
// activity), lets the pure policy decide the tiers and the pure reconciler decide the writes, and writes only
// where what is there differs from what should be. At the end (`ending`) it restores every actuator until each
// is observed normal (`ended`) or gives up loudly after bounded attempts (`ended-with-failures`).
// Its history is the audit log. Lifecycle and message handlers live here; the decisions are in policy.ts and
// reconciler.ts, the wording in alert-wording.ts, the rendering in status-view.ts.
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SurgeActivities } from '../activities';
import { driftAlert, endedWithFailuresAlert, policyActionAlert, type AlertText } from './alert-wording';
import { releaseClaimSignal } from './actuator-claim';
import { ACTUATE_OPTIONS, ALERT_OPTIONS, OBSERVE_LOCAL_OPTIONS, OBSERVE_OPTIONS, pollBatchOptions } from './activity-options';
import { parseResolvedEventConfig } from './config-schema';
import { failureClassOf } from './failure-classes';
import { unknownQueuesSample } from './queue-check';
import { flowPublish, flowPublishWorkflowId } from './flow-publish';
import * as messages from './messages';
import type { ActuationRecord, DriftRecord, SurgeStatus } from './messages';
import type { Observation, ObservedValue } from './observation';
import { applyTierMode, endOfEvent, evaluate, highestActiveTier, initialPolicyState, setAlert, setAutomationPaused, type PolicyResult } from './policy';
import { confirmWrite, desiredActuators, isCheapRead, manualFix, notNormal, reconcile, type DesiredActuator } from './reconciler';
import { pollBatchPhase, pollPhaseOffsetMs, pollSlotAtOrAfter, pollSlotIndex } from './poll-phase';
import { fullPollBatch, judgedAt, newestReads, pollBatchSize, pollObserveInput, sampleOf, type BatchedPoll, type PollBatchResult } from './poll-batch';
import { SURGE_EVENT_ID, SURGE_PHASE, SURGE_TIER } from './search-attributes';
import { buildStatus, currentDetails, type LastRead, type StatusView } from './status-view';
import { legacySurgeEvent, type LegacyCarriedState } from './surge-event-legacy';
import type { AlertMessage, EventConfig, EventPhase, PolicyAction, PolicyState, Sample, SupportStatus } from './types';

// The one retry budget lives in workflows/activity-options.ts (issue 11).
const { verifyQueues } = proxyActivities<SurgeActivities>(OBSERVE_OPTIONS);
// Local: the poll's short read-only step runs in the workflow task that asked for it (one task per poll).
const { observeWorld } = proxyLocalActivities<SurgeActivities>(OBSERVE_LOCAL_OPTIONS);
// A short read-only call like the observe step: in the first poll's own workflow task (`poll-spread`).
const { verifyQueues: verifyQueuesLocal } = proxyLocalActivities<SurgeActivities>(OBSERVE_LOCAL_OPTIONS);
const { writeFlagsRow, setEdgeFlag, setMessengerDeploymentVersion, publishSupportStatus } = proxyActivities<SurgeActivities>(ACTUATE_OPTIONS);
const { sendAlert } = proxyActivities<SurgeActivities>({
  ...ALERT_OPTIONS,
  // At continue-as-new alerts in flight are cancelled; waiting for the server to confirm takes no longer than the
  // attempt under way (an attempt in retry back-off is cancelled at once) and leaves no activity behind a closed run.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

export interface SurgeEventInput {
  config: EventConfig;
  /** Present when the event continues as new: everything the previous run knew (or a legacy run's state). */
  carried?: CarriedState | LegacyCarriedState;
  /** Continue as new once history passes this many events (default 3,900; tests set it low). */
  continueAsNewAfterEvents?: number;
  /**
   * Workflow IDs of the actuator claims the client took for this event (client/actuator-claims.ts): released at
   * the end. Absent when started without claims (directly, a dry run, bench/scale.ts).
   */
  claims?: string[];
}

export interface CarriedState {
  phase: EventPhase;
  policy: PolicyState;
  actuations: ActuationRecord[];
  series: SurgeStatus['series'];
  endRequest: messages.EndEventRequest | null;
  runs: number;
  /** What the controller last confirmed on each actuator (read, or its own write that succeeded). */
  known: Record<string, ObservedValue>;
  lastReads: Record<string, LastRead>;
  openDrifts: string[];
  drifts: DriftRecord[];
  polls: number;
  /** Alerts still undelivered at continue-as-new: sent again by the next run instead of awaited. */
  undeliveredAlerts: AlertMessage[];
  /** The restore loop's progress, carried so `ending` survives continue-as-new. */
  ending: { since: string; attempts: number } | null;
  endingFailures: NonNullable<SurgeStatus['endingFailures']>;
}

export interface SurgeEventResult {
  eventId: string;
  endedReason: string;
  transitions: number;
  runs: number;
  /** `ended` or `ended-with-failures` (absent from legacy runs). */
  phase?: EventPhase;
}

const MAX_ACTUATIONS_KEPT = 50;
const MAX_DRIFTS_KEPT = 50;
const CONTINUE_AS_NEW_AFTER_EVENTS = 3_900;
const MAX_SERIES_KEPT = 360;
/**
 * Genesys read-backs run at most once a minute (every poll at 60 s polls, every 2nd at 30 s), plus right after
 * our own Genesys write and on an operator's re-check. Their cost per event is 1 (flags row) + flows +
 * deployments calls a minute against 300/min per OAuth client (bench/genesys-budget.ts). KV reads run every poll.
 */
const GENESYS_READ_INTERVAL_SECONDS = 60;
/** The end's restore loop: attempts before giving up, and the cap of its doubling back-off. */
const ENDING_MAX_ATTEMPTS = 8;
const ENDING_MAX_BACKOFF_MS = 10 * 60_000;
/** At continue-as-new, how long to wait for the server to confirm cancelled alerts before going on anyway. */
const ALERT_CANCEL_WAIT_MS = 5_000;

const isLegacyCarried = (c: CarriedState | LegacyCarriedState): c is LegacyCarriedState => !('known' in c);

export async function surgeEvent(input: SurgeEventInput): Promise<SurgeEventResult> {
  // Runs recorded before observed-state reconciliation (no marker in their history) replay the frozen loop.
  if (!patched('observed-state')) return legacySurgeEvent(input as Parameters<typeof legacySurgeEvent>[0]);

  // The one schema validates (and reads an old tier-4 shape as today's), applying no defaults.
  const parsed = parseResolvedEventConfig(input.config);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid event config: ${parsed.problems.join('; ')}`, 'InvalidEventConfig');
  const { config } = parsed;
  const startMs = Date.parse(config.startAt);
  const endMs = Date.parse(config.endAt);
  const now = () => new Date().toISOString();

  const fresh = (): CarriedState => ({
    phase: 'scheduled',
    policy: initialPolicyState(config, now()),
    actuations: [],
    series: [],
    endRequest: null,
    runs: 0,
    known: {},
    lastReads: {},
    openDrifts: [],
    drifts: [],
    polls: 0,
    undeliveredAlerts: [],
    ending: null,
    endingFailures: [],
  });
  // A legacy run continuing as new hands over its policy; actuators are read afresh (its memory is not trusted).
  const carried: CarriedState = !input.carried ? fresh() : isLegacyCarried(input.carried) ? { ...fresh(), ...pick(input.carried) } : input.carried;
  // The series grows in place (a point a poll); everything else is replaced as it changes.
  const { series } = carried;
  let { phase, policy, actuations, endRequest, known, lastReads, openDrifts, drifts, polls, ending, endingFailures } = carried;
  const runs = carried.runs + 1;
  /**
   * Events started together spread their work (issue 15): the scheduled wait ends at the event's first poll slot
   * (not at the start, where every event would take a task only to set a timer), the queue check is a local
   * activity in the first poll's task, and batches of polls begin on the event's own batch phase. Runs recorded
   * before (no marker) keep the old steps.
   */
  const spread = patched('poll-spread');
  /**
   * The run's first batch of polls is set up one poll interval before its first slot (issue 15): the queue check
   * and the batch's start run there, and the batch waits for the slot itself. A thousand events starting on the
   * hour then take their setup tasks in the interval before their first polls, and a backlog of those tasks delays
   * no poll; no task runs at the slot. Runs recorded before (no marker) set up at the slot.
   */
  const firstBatchAhead = spread && patched('first-batch-ahead');
  // Polls fall on this event's own phase of the interval (workflows/poll-phase.ts). After a continue-as-new the
  // next slot follows the last sample, so the grid holds and no poll is doubled.
  const phaseOffsetMs = pollPhaseOffsetMs(config.eventId, config.pollIntervalSeconds);
  const nextPollSlot = (atMs: number) => pollSlotAtOrAfter(atMs, startMs, phaseOffsetMs, config.pollIntervalSeconds * 1000);
  /** How many polls a batch from this slot takes: to the event's next batch boundary (`poll-spread`), the end, or a full batch. */
  const batchPhase = pollBatchPhase(config.eventId, fullPollBatch(config.pollIntervalSeconds, config.simulatedTimeScale ?? 1));
  function batchSizeFrom(firstSlotMs: number): number {
    const phase = spread ? { slotIndex: pollSlotIndex(firstSlotMs, startMs, phaseOffsetMs, config.pollIntervalSeconds * 1000), phase: batchPhase } : undefined;
    return pollBatchSize(config.pollIntervalSeconds, config.simulatedTimeScale ?? 1, firstSlotMs, endMs, phase);
  }

  /** Set by any message so the loop reconciles at once instead of at the next poll. */
  let wake = false;
  /** Read every actuator (Genesys too) before the next decision: after our own Genesys write, or an operator's re-check. */
  let readAllNext = false;
  /** An operator re-check: observe the actuators now, without waiting for the poll. */
  let recheck = false;
  /** Operators' messages applied so far (a batch of polls follows another only if none came meanwhile). */
  let messagesApplied = 0;
  const pendingAlerts = new Map<Promise<unknown>, AlertMessage>();
  /** Alerts in flight, cancelled at continue-as-new (their messages travel to the next run as data). */
  const alertScope = new CancellationScope();
  const genesysEvery = Math.max(1, Math.ceil(GENESYS_READ_INTERVAL_SECONDS / config.pollIntervalSeconds));

  // ------------------------------------------------------------------ messages

  const view = (): StatusView => ({
    config,
    phase,
    policy,
    actuators: desiredActuators(config, policy),
    known,
    lastReads,
    openDrifts,
    drifts,
    actuations,
    series,
    endRequest,
    endingFailures,
  });

  const isOver = () => phase === 'ended' || phase === 'ended-with-failures';
  const notEnding = () =>
    isOver()
      ? 'the event has ended'
      : phase === 'ending' || endRequest
        ? `the event is ending${ending ? ` (since ${ending.since})` : ''}: every actuator is being restored to normal, so overrides are refused`
        : null;
  // With `poll-spread` the phase turns active at the first poll, up to one interval after the start: an operator
  // may act from the start itself.
  const notScheduled = () =>
    phase === 'scheduled' && !(spread && Date.now() >= startMs) ? `the event has not started yet (it starts at ${config.startAt}); set initial modes in the event config` : null;

  const applySetTierMode = (req: messages.SetTierModeRequest) => {
    messagesApplied++;
    // Forcing a tier to the state it already has still re-checks and re-asserts its actuators (issue 10, item 2).
    recheck = req.mode !== 'auto';
    act(applyTierMode(policy, req.tier, req.mode, req.reason, req.by, now()));
  };
  const applyPause = (req: messages.PauseAutomationRequest) => {
    messagesApplied++;
    policy = setAutomationPaused(policy, true, `${req.reason} (${req.by})`);
    log.info('automation paused', { by: req.by, reason: req.reason });
    wake = true;
  };
  const applyResume = (req: messages.ResumeAutomationRequest) => {
    messagesApplied++;
    policy = setAutomationPaused(policy, false, null);
    log.info('automation resumed', { by: req.by });
    wake = true;
  };
  const applyEnd = (req: messages.EndEventRequest) => {
    messagesApplied++;
    endRequest = req;
    wake = true;
  };

  const checks = {
    setTierMode: (req: messages.SetTierModeRequest) => messages.checkSetTierMode(req) ?? notEnding() ?? notScheduled(),
    pauseAutomation: (req: messages.PauseAutomationRequest) =>
      messages.checkPauseAutomation(req) ?? notEnding() ?? (policy.automationPaused ? `automation is already paused: ${policy.pausedReason}` : null),
    resumeAutomation: (req: messages.ResumeAutomationRequest) =>
      messages.checkResumeAutomation(req) ?? notEnding() ?? (policy.automationPaused ? null : 'automation is not paused'),
    endEvent: (req: messages.EndEventRequest) => messages.checkEndEvent(req) ?? (isOver() ? 'the event has ended' : phase === 'ending' || endRequest ? 'the event is already ending' : null),
  };
  // Validators must be synchronous and throw to reject: a rejected Update leaves no trace in history.
  const validator =
    <T>(check: (req: T) => string | null) =>
    (req: T): void => {
      const problem = check(req);
      if (problem) throw new Error(problem);
    };
  // Signals cannot be refused, so an invalid one is logged and dropped rather than half-applied.
  const signalHandler =
    <T>(name: string, check: (req: T) => string | null, apply: (req: T) => void) =>
    (req: T): void => {
      const problem = check(req);
      if (problem) log.warn(`ignored ${name} signal: ${problem}`, { request: req as unknown as Record<string, unknown> });
      else apply(req);
    };

  setHandler(messages.statusQuery, () => buildStatus(view()));
  setHandler(messages.setTierModeUpdate, (req) => (applySetTierMode(req), buildStatus(view())), { validator: validator(checks.setTierMode) });
  setHandler(messages.pauseAutomationUpdate, (req) => (applyPause(req), buildStatus(view())), { validator: validator(checks.pauseAutomation) });
  setHandler(messages.resumeAutomationUpdate, (req) => (applyResume(req), buildStatus(view())), { validator: validator(checks.resumeAutomation) });
  setHandler(messages.endEventUpdate, (req) => (applyEnd(req), buildStatus(view())), { validator: validator(checks.endEvent) });
  setHandler(messages.setTierModeSignal, signalHandler('setTierMode', checks.setTierMode, applySetTierMode));
  setHandler(messages.pauseAutomationSignal, signalHandler('pauseAutomation', checks.pauseAutomation, applyPause));
  setHandler(messages.resumeAutomationSignal, signalHandler('resumeAutomation', checks.resumeAutomation, applyResume));
  setHandler(messages.endEventSignal, signalHandler('endEvent', checks.endEvent, applyEnd));

  // ------------------------------------------------------------------ policy actions and alerts

  function act(result: PolicyResult): void {
    policy = result.state;
    for (const action of result.actions) alertFor(action);
    wake = true;
  }

  function alertFor(action: PolicyAction): void {
    const text = policyActionAlert(action, config.dryRun);
    if (text) queueAlert(text);
  }

  function queueAlert(text: AlertText): void {
    if (config.alerts.recipients.length === 0) return;
    send({
      eventId: config.eventId,
      eventName: config.name,
      ...text,
      recipients: config.alerts.recipients,
      dashboardUrl: config.alerts.dashboardUrl,
      temporalUiUrl: config.alerts.temporalUiUrl,
    });
  }

  function send(alert: AlertMessage): void {
    // Alerts run beside the loop: a down mail server never holds up a poll, a tier or a continue-as-new.
    const sent = alertScope.run(() => sendAlert(alert)).catch((err: unknown) => log.warn('alert not delivered', { subject: alert.subject, error: String(err) }));
    pendingAlerts.set(sent, alert);
    void sent.finally(() => pendingAlerts.delete(sent));
  }

  // Alerts the previous run could not deliver before it continued as new (at-least-once: one may arrive twice).
  carried.undeliveredAlerts.forEach(send);

  // ------------------------------------------------------------------ observe

  /**
   * One observe step. Its time is the workflow's, never a worker's clock: a poll's is its slot on the event's
   * grid (a few ms of task latency must not decide whether a 600 s window has passed), anything else's is now.
   */
  async function observe(opts: { metrics: boolean; genesys: boolean; slotMs?: number }): Promise<{ observation: Observation; at: string }> {
    const at = opts.slotMs === undefined ? now() : new Date(opts.slotMs).toISOString();
    const observeInput = pollObserveInput(config, policy, { metrics: opts.metrics, genesys: opts.genesys, at });
    const { reads } = observeInput;
    try {
      const observation = await observeWorld(observeInput);
      return { observation, at };
    } catch (err) {
      // The whole step failed (a timeout, a dead worker): every part failed alike.
      const failed = { ok: false as const, error: failureMessage(err), failureClass: failureClassOf(failureType(err)) };
      return { observation: { ...(opts.metrics ? { metrics: failed } : {}), actuators: Object.fromEntries(reads.map((r) => [r.id, failed])) }, at };
    }
  }

  let queuesVerified = false;
  /**
   * Genesys asked us to wait (a 429's Retry-After): until then no Genesys call is made, and each poll is a
   * `rate-limited` sample that holds every tier. Workflow time, so the wait is exact and in history.
   */
  let genesysQuietUntilMs = 0;
  function noteRateLimits(observation: Observation, atMs: number): void {
    const parts = [observation.metrics, ...Object.values(observation.actuators)];
    for (const p of parts) {
      if (p && !p.ok && p.failureClass === 'rate-limited') genesysQuietUntilMs = Math.max(genesysQuietUntilMs, atMs + (p.retryAfterSeconds ?? config.pollIntervalSeconds) * 1000);
    }
  }
  const rateLimitedSample = (at: string): Sample => ({
    ok: false,
    at,
    failureClass: 'rate-limited',
    error: `Genesys Cloud asked us to wait (rate limit) until ${new Date(genesysQuietUntilMs).toISOString()}: not calling it until then; tiers held`,
  });
  /**
   * The first poll of each run checks every queue ID exists: an unknown one is the controller's mistake (a
   * `controller` sample naming it: tiers held, never tier 4), not an outage. Null once verified.
   */
  async function queueProblem(at: string): Promise<Sample | null> {
    if (queuesVerified) return null;
    try {
      const { unknown } = await (spread ? verifyQueuesLocal : verifyQueues)({ queueIds: config.queueIds });
      if (unknown.length > 0) return unknownQueuesSample(unknown, at);
      queuesVerified = true;
      return null;
    } catch (err) {
      return { ok: false, at, error: `verifying queue IDs: ${failureMessage(err)}`, failureClass: failureClassOf(failureType(err)) };
    }
  }

  // ------------------------------------------------------------------ reconcile and write

  const record = (a: DesiredActuator, outcome: ActuationRecord['outcome'], detail?: string) => {
    actuations = [...actuations, { at: now(), tier: a.tier ?? 1, actuator: a.id, desired: a.desired === a.normal ? false : true, outcome, ...(detail ? { detail } : {}) }].slice(-MAX_ACTUATIONS_KEPT);
  };
  const dryRunPlanned: Record<string, string> = {};

  async function reconcileWith(observed: Observation['actuators'], at: string, recordReads = true): Promise<void> {
    const actuators = desiredActuators(config, policy);
    if (recordReads) for (const [id, part] of Object.entries(observed)) lastReads = { ...lastReads, [id]: { at, part } };
    const plan = reconcile({ actuators, known, observed, openDrifts });
    known = plan.known;
    openDrifts = plan.openDrifts;
    for (const d of plan.drifts) {
      // The record in history is the observeWorld result holding the value; this log line and the status's
      // drifts say what it means.
      log.warn('actuator changed outside the controller', { actuator: d.id, expected: d.expected, observed: d.observed });
      drifts = [...drifts, { at, actuator: d.id, expected: d.expected, observed: d.observed }].slice(-MAX_DRIFTS_KEPT);
      const a = actuators.find((x) => x.id === d.id)!;
      record(a, 'drift', `read ${JSON.stringify(d.observed)}, had set ${JSON.stringify(d.expected)}`);
    }
    for (const d of plan.alertDrifts) queueAlert(driftAlert(d, actuators.find((x) => x.id === d.id)!.desired, config.dryRun, at));
    if (config.dryRun) {
      for (const a of plan.writes) {
        if (dryRunPlanned[a.id] === a.desired) continue;
        dryRunPlanned[a.id] = a.desired;
        record(a, 'dry-run', 'dry run: decided and recorded, not called');
      }
      return;
    }
    await Promise.all(plan.writes.map(writeOne));
  }

  async function writeOne(a: DesiredActuator): Promise<void> {
    const condition = `actuator-failed-tier-${a.tier ?? 1}` as const;
    try {
      const outcome = await callActuator(a);
      known = confirmWrite(known, a);
      // A Genesys write is verified by reading it back on the next observe step.
      if (!isCheapRead(a.read)) readAllNext = true;
      record(a, outcome);
      const result: PolicyAction[] = [];
      setAlert(policy, result, condition, false, `${a.id} applied`);
      result.forEach(alertFor);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError || (err instanceof ChildWorkflowFailure && err.cause instanceof WorkflowExecutionAlreadyStartedError)) {
        // Another publish of this flow is in flight; it is not ours to wait for. The next read decides.
        return record(a, 'busy', `another publish of this flow is in flight (${a.read.kind === 'flow' ? flowPublishWorkflowId(a.read.flowId) : a.id})`);
      }
      const message = failureMessage(err);
      record(a, 'failed', message);
      log.warn('actuator failed; will retry on the next poll', { actuator: a.id, error: message });
      const result: PolicyAction[] = [];
      setAlert(policy, result, condition, true, `${a.id} failed: ${message}. Retrying every poll.`);
      result.forEach(alertFor);
    }
  }

  async function callActuator(d: DesiredActuator): Promise<ActuationRecord['outcome']> {
    const target = d.target;
    if (target.tier === null) {
      await writeFlagsRow({ datatableId: target.datatableId, row: { ...target.row, updatedAt: now() } });
      return 'applied';
    }
    const a = target.actuator;
    switch (a.kind) {
      case 'edgeFlag':
        if (a.key !== 'chat_fallback_active') {
          await setEdgeFlag({ key: a.key, value: target.desired });
        } else if (target.desired) {
          // The fallback page shows this status: publish it before the page goes live, so nobody sees a stale one.
          await publishSupportStatus({ status: supportStatus(true, now()) });
          await setEdgeFlag({ key: a.key, value: true });
        } else {
          // Restore in the opposite order: the page goes away first, then the status says all is well.
          await setEdgeFlag({ key: a.key, value: false });
          await publishSupportStatus({ status: supportStatus(false, now()) });
        }
        return 'applied';
      case 'messengerDeployment': {
        const { alreadySet } = await setMessengerDeploymentVersion({ deploymentId: a.deploymentId, configurationVersion: d.desired });
        return alreadySet ? 'already-applied' : 'applied';
      }
      case 'flowVersion': {
        const result = await executeChild(flowPublish, {
          workflowId: flowPublishWorkflowId(a.flowId),
          args: [{ flowId: a.flowId, version: d.desired, requestedBy: workflowInfo().workflowId }],
          // A later publish of the same flow is a new execution; only a concurrent one is refused.
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
          // A publish under way finishes even if this event is terminated mid-flight.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        return result.alreadyPublished ? 'already-applied' : 'applied';
      }
      case 'dataTableFlag':
        return 'applied';
    }
  }

  // ------------------------------------------------------------------ UI

  let shownPhase: EventPhase | null = null;
  let shownTier = -1;
  function publishVisibility(): void {
    const tier = highestActiveTier(policy);
    if (shownPhase !== phase || shownTier !== tier) {
      upsertSearchAttributes([
        { key: SURGE_EVENT_ID, value: config.eventId },
        { key: SURGE_PHASE, value: phase },
        { key: SURGE_TIER, value: tier },
      ]);
      shownPhase = phase;
      shownTier = tier;
    }
    setCurrentDetails(currentDetails(view()));
  }

  // ------------------------------------------------------------------ lifecycle

  const timeLeft = (untilMs: number) => Math.max(0, untilMs - Date.now());
  // The server suggests continuing at 4,096 events, but only tells us on the next task; our own threshold,
  // a busy iteration's worth below it, keeps every run under 4,096.
  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS);

  async function continueAsNewNow(): Promise<never> {
    // Handlers only change state; wait for them so nothing is lost. Alerts are NOT awaited (a down mail
    // server would stop polling for their whole retry budget): undelivered ones travel as data.
    await condition(allHandlersFinished);
    // Alerts usually land within milliseconds: let them (bounded) before cancelling the rest. Cancelling one the
    // server is just starting is a race the time-skipping test server answers with ACTIVITY_UNKNOWN, failing the task.
    if (patched('alerts-settle-before-continue')) await condition(() => pendingAlerts.size === 0, ALERT_CANCEL_WAIT_MS);
    const undeliveredAlerts = [...pendingAlerts.values()];
    // Cancelled, not abandoned: a closed run's activity would otherwise run out its retries for nothing.
    alertScope.cancel();
    // Bounded: an attempt stuck on a hung SMTP connection is abandoned after a few seconds, not awaited.
    await condition(() => pendingAlerts.size === 0, ALERT_CANCEL_WAIT_MS);
    return continueAsNew<typeof surgeEvent>({
      config,
      continueAsNewAfterEvents: input.continueAsNewAfterEvents,
      ...(input.claims ? { claims: input.claims } : {}),
      carried: {
        phase,
        policy,
        actuations,
        series,
        endRequest,
        runs,
        known,
        lastReads,
        openDrifts,
        drifts,
        polls,
        undeliveredAlerts,
        ending,
        endingFailures,
      },
    });
  }

  publishVisibility();

  /** When this run began: before the start, the first slot is the first poll (the wait below ends a little after it). */
  const runBeganMs = Date.now();
  /** first-batch-ahead: the run's first batch, started before its first slot; the loop takes its polls. */
  let aheadBatch: StartedBatch | null = null;
  if (phase === 'scheduled') {
    const activeFromMs = spread ? nextPollSlot(startMs) : startMs;
    // An operator's message after the start (a forced tier) starts the event at once: it polls before deciding.
    const startedEarly = () => endRequest !== null || (spread && wake && Date.now() >= startMs);
    if (firstBatchAhead && timeLeft(activeFromMs) > 0) {
      // One interval ahead of the first slot (always before `startAt`: the slot is less than an interval after it).
      const setupAtMs = activeFromMs - config.pollIntervalSeconds * 1000;
      if (timeLeft(setupAtMs) > 0) await condition(startedEarly, timeLeft(setupAtMs));
      // Only a calm start is set up ahead: unknown queue IDs, a failed check or a batch too short for the event's
      // end leave the first poll to the loop, which checks again at the slot and records what it finds.
      const maxPolls = batchSizeFrom(activeFromMs);
      if (!startedEarly() && maxPolls >= 2 && (await queueProblem(new Date(setupAtMs).toISOString())) === null && !startedEarly()) {
        const batch = startBatch(activeFromMs, maxPolls);
        aheadBatch = batch;
        // No timer at the first slot: the batch takes that poll itself, and the phase turns active when it hands back
        // its polls (or a message starts the event). A workflow task at every event's first slot was most of the cost
        // of 1,000 events starting together. Until then `surge status` shows the batch's live poll (and `active`).
        await condition(() => startedEarly() || batch.outcome !== null);
      }
    }
    // The first slot, unless a batch set up ahead has taken it (one that took nothing leaves it to the loop).
    if (timeLeft(activeFromMs) > 0) await condition(startedEarly, timeLeft(activeFromMs));
    if (!endRequest) {
      phase = 'active';
      log.info('event started', { eventId: config.eventId });
    }
  }

  /** A poll's sample through the rules (judged at `judged`: its age decides whether it is stale). */
  function takeSample(sample: Sample, judged: string): void {
    polls++;
    if (sample.ok) {
      // In place: copying up to 360 points every poll was per-poll work for one new point.
      series.push({ at: sample.at, waiting: sample.waiting, agentsAvailable: sample.agentsAvailable });
      if (series.length > MAX_SERIES_KEPT) series.splice(0, series.length - MAX_SERIES_KEPT);
    }
    act(evaluate(policy, sample, config, judged));
    // The forecast the policy just made rides on the series point (the dashboard's chart).
    const f = policy.forecast;
    if (sample.ok && f && f.at === sample.at && series.length > 0) {
      series[series.length - 1] = { ...series[series.length - 1]!, forecastWaiting: f.forecastWaiting, ...(f.botLoad === undefined ? {} : { botLoad: f.botLoad }) };
    }
  }

  // ------------------------------------------------------------------ polls in batches (issue 15)

  /** Runs recorded before batches (no marker) poll singly; new ones batch whenever nothing is pending. */
  const batching = patched('poll-batches');
  /**
   * An operator's message in a batch's first half-interval cancels it only from then on (from its first slot +
   * half a poll interval). The cancel never reaches a sleeping batch sooner anyway: an activity learns of it from
   * its next heartbeat, after its next poll. But a batch that only takes its first poll (every batch on the
   * time-skipping server of the tests and drills) may have finished in the very workflow task that cancels it, and
   * that server fails such a task (ACTIVITY_UNKNOWN) instead of ignoring the cancel as the real server does; the
   * event then hung. Half an interval after its first slot a batch that takes one poll has long finished.
   */
  const deferBatchCancel = patched('batch-cancel-deferred');
  /**
   * After an operator's message, a batch's reads count as evidence of what is there only from the poll whose slot
   * is at or after our writes for that message settled. Before this patch they counted from the message itself,
   * so a poll that read while our write was still under way (the old value) was reconciled against the new one:
   * a false drift, alerted and "corrected". Earlier reads still feed the rules (they are real samples).
   */
  const batchReadsAfterWrites = patched('batch-reads-after-writes');
  /** Set when a batch failed or took nothing (its worker died): the next poll is a single one. */
  let singlePollNext = false;
  /**
   * A batch only in steady state: queues verified this run, Genesys not asking us to wait, no re-read pending.
   * Anything else takes the single poll that knows how to handle it. With `poll-spread` a run's first poll may
   * be batched too (its queue check runs just before): the batch hands back at once if that poll would act.
   */
  const mayBatch = () => batching && !singlePollNext && !recheck && !readAllNext && (polls > 0 || spread) && queuesVerified && Date.now() >= genesysQuietUntilMs;

  /** A batch of polls under way: its activity's outcome once it has one, and how many messages had been applied when it began. */
  interface StartedBatch {
    scope: CancellationScope;
    outcome: { result: PollBatchResult } | { error: unknown } | null;
    firstSlotMs: number;
    maxPolls: number;
    messagesAtStart: number;
  }

  /** Starts a batch of polls from `firstSlotMs` with what the workflow knows now; the batch waits for its slots itself. */
  function startBatch(firstSlotMs: number, maxPolls: number): StartedBatch {
    const { pollBatch } = proxyActivities<SurgeActivities>(pollBatchOptions(config.pollIntervalSeconds, maxPolls, config.simulatedTimeScale ?? 1));
    const batch: StartedBatch = { scope: new CancellationScope(), outcome: null, firstSlotMs, maxPolls, messagesAtStart: messagesApplied };
    void batch.scope
      .run(() => pollBatch({ config, policy, known, openDrifts, dryRunPlanned, firstSlotMs, maxPolls, pollsBefore: polls, genesysEvery }))
      .then(
        (result) => (batch.outcome = { result }),
        (error: unknown) => (batch.outcome = { error }),
      );
    return batch;
  }

  /**
   * Polls from `firstSlotMs` in one batch (workflows/poll-batch.ts), then runs each poll it took through the
   * same steps as a single poll, in order. An operator's message meanwhile is acted on at once (reconciled, and
   * re-read if asked), and the batch is cancelled so it hands back what it has; reads it took before the message
   * are recorded but not reconciled (they predate our own writes and would look like drift). Ending does not
   * wait for the batch at all.
   */
  async function pollInBatch(firstSlotMs: number, maxPolls: number, started?: StartedBatch): Promise<PollBatchResult['handedBack'] | 'failed'> {
    const batch = started ?? startBatch(firstSlotMs, maxPolls);
    const { scope } = batch;
    let messageAtMs: number | null = null;
    /** When our writes for the latest message had settled (batch-reads-after-writes). */
    let writesSettledAtMs: number | null = null;
    let cancelled = false;
    const cancelFromMs = deferBatchCancel ? firstSlotMs + (config.pollIntervalSeconds * 1000) / 2 : -Infinity;
    const cancelBatch = () => {
      if (!cancelled) scope.cancel();
      cancelled = true;
    };
    for (;;) {
      // batch-cancel-deferred: a message came before the batch could be cancelled; cancel it when it may be.
      if (messageAtMs !== null && !cancelled && Date.now() >= cancelFromMs) cancelBatch();
      if (messageAtMs !== null && !cancelled) {
        if (!(await condition(() => batch.outcome !== null || wake || recheck, cancelFromMs - Date.now()))) continue;
      } else await condition(() => batch.outcome !== null || wake || recheck);
      if (batch.outcome !== null) break;
      if (Date.now() >= cancelFromMs) cancelBatch();
      // Ending: restore at once; what the batch took no longer matters (its result, when it comes, is dropped).
      if (endRequest !== null) return 'interrupted';
      messageAtMs = Date.now();
      wake = false;
      // first-batch-ahead: a message before the run's first poll reads every actuator before deciding a write (as
      // a single poll does when nothing has been observed yet), instead of writing what it cannot know.
      if (recheck || (firstBatchAhead && polls === 0)) {
        recheck = false;
        readAllNext = false;
        const { observation, at } = await observe({ metrics: false, genesys: true });
        await reconcileWith(observation.actuators, at);
      } else {
        await reconcileWith({}, now());
      }
      if (batchReadsAfterWrites) writesSettledAtMs = Date.now();
      publishVisibility();
    }
    /** Whether a poll's reads may be reconciled: none of our writes for a message were under way when it read. */
    const readsCount = (poll: BatchedPoll): boolean =>
      messageAtMs === null || (writesSettledAtMs !== null ? Date.parse(poll.at) >= writesSettledAtMs : Date.parse(judgedAt(poll)) >= messageAtMs);
    const done = batch.outcome;
    if ('error' in done) {
      // Its worker died or it was cancelled before it started: the next poll is single (the slot is still due).
      log.warn('poll batch failed; the next poll is a single one', { error: failureMessage(done.error) });
      singlePollNext = true;
      return 'failed';
    }
    if (done.result.polls.length === 0) singlePollNext = true;
    for (const poll of done.result.polls) takeBatchedPoll(poll, readsCount(poll));
    // Reconciled once (a message meanwhile: on the reads after it, else on what is known); the batch handed back at
    // the first poll that would write, so the ones before it read what was expected. Before poll-spread: on the
    // last poll's reads only.
    const last = done.result.polls[done.result.polls.length - 1];
    if (spread) {
      // poll-spread: on every actuator's newest read in the batch, not only the last poll's (a Genesys actuator is
      // read once a minute; a run's first poll, now batched, may be the only read of it). Each read's time was
      // recorded with its poll.
      const taken = done.result.polls.filter(readsCount);
      await reconcileWith(newestReads(taken), taken.at(-1)?.at ?? now(), false);
    } else if (last && readsCount(last)) await reconcileWith(last.observation.actuators, last.at);
    else await reconcileWith({}, now());
    return done.result.handedBack;
  }

  /**
   * Batches back to back while nothing happens: a full batch (no poll mattered, no message came) is followed at
   * once by the next, which waits for its first slot itself; the workflow wakes once a batch instead of twice
   * (no timer between them). Anything else goes back to the loop.
   */
  async function pollInBatches(firstSlotMs: number, maxPolls: number, started?: StartedBatch): Promise<void> {
    for (let first = firstSlotMs, size = maxPolls, ahead = started; size >= 2; ahead = undefined) {
      const messagesBefore = messagesApplied;
      const handedBack = await pollInBatch(first, size, ahead);
      if (handedBack !== 'full' || messagesApplied !== messagesBefore || !mayBatch() || continueAsNewDue()) return;
      publishVisibility();
      // The rules ran (act() wakes the loop) but no message came: the next batch must not take that for one.
      wake = false;
      first = nextPollMs;
      size = batchSizeFrom(first);
    }
  }

  function takeBatchedPoll(poll: BatchedPoll, readsCount: boolean): void {
    noteRateLimits(poll.observation, Date.parse(poll.at));
    takeSample(sampleOf(poll.observation, poll.at), judgedAt(poll));
    nextPollMs = nextPollSlot(Date.parse(poll.at) + 1);
    if (readsCount) {
      for (const [id, part] of Object.entries(poll.observation.actuators)) lastReads = { ...lastReads, [id]: { at: poll.at, part } };
    }
  }

  const lastSampleMs = policy.lastSample ? Date.parse(policy.lastSample.at) : -Infinity;
  // poll-spread: a continued run's next poll is the slot after its last sample even if that slot has passed
  // (its poll is then due at once, stamping the latest slot), so a continue-as-new never skips a due poll.
  let nextPollMs = nextPollSlot(spread ? (lastSampleMs > -Infinity ? lastSampleMs + 1 : runBeganMs) : Math.max(Date.now(), lastSampleMs + 1));
  if (phase === 'active' && !endRequest && Date.now() < nextPollMs) await condition(() => wake || recheck || endRequest !== null, timeLeft(Math.min(nextPollMs, endMs)));
  while (phase === 'active' && !endRequest && Date.now() < endMs) {
    // The batch set up ahead, unless it has already handed back having taken nothing (a clock that cannot wait, a
    // worker that shut down): the first slot's poll then goes the usual way. A message since it began (an override
    // after `startAt`, before the slot) is acted on at once inside it.
    const ahead = aheadBatch && !(aheadBatch.outcome && ('error' in aheadBatch.outcome || aheadBatch.outcome.result.polls.length === 0)) ? aheadBatch : null;
    aheadBatch = null;
    // Cleared before the work, not after: a message arriving mid-reconcile must still wake the next wait.
    wake = ahead !== null && messagesApplied !== ahead.messagesAtStart;
    const pollDue = Date.now() >= nextPollMs;
    // The slot a due poll serves: the latest at or before now (a late poll still stamps its own slot).
    const dueSlotMs = pollDue ? nextPollSlot(Date.now() + 1) - config.pollIntervalSeconds * 1000 : undefined;
    // poll-spread: a due poll's queue check comes first, in this task, so that the poll itself (a run's first)
    // may go in a batch: one workflow task at the start of a run instead of two (the batch's first poll is due now).
    const queueCheck = spread && dueSlotMs !== undefined && !queuesVerified && Date.now() >= genesysQuietUntilMs ? await queueProblem(new Date(dueSlotMs).toISOString()) : undefined;
    const batchSize = dueSlotMs !== undefined && mayBatch() ? batchSizeFrom(dueSlotMs) : 0;
    if (ahead) {
      await pollInBatches(ahead.firstSlotMs, ahead.maxPolls, ahead);
    } else if (dueSlotMs !== undefined && batchSize >= 2) {
      await pollInBatches(dueSlotMs, batchSize);
    } else if (pollDue || recheck || polls === 0) {
      // Nothing observed yet (a message came before the first poll): read before deciding any write.
      singlePollNext = false;
      const genesys = recheck || readAllNext || polls % genesysEvery === 0;
      recheck = false;
      readAllNext = false;
      const quiet = Date.now() < genesysQuietUntilMs;
      const slotMs = dueSlotMs;
      const slotAt = slotMs === undefined ? now() : new Date(slotMs).toISOString();
      const problem = pollDue ? (quiet ? rateLimitedSample(slotAt) : queueCheck !== undefined ? queueCheck : await queueProblem(slotAt)) : null;
      const { observation, at } = await observe({ metrics: pollDue && !problem, genesys: genesys && !quiet, ...(slotMs === undefined ? {} : { slotMs }) });
      noteRateLimits(observation, Date.parse(at));
      if (pollDue) {
        takeSample(problem ?? sampleOf(observation, at), now());
        nextPollMs = nextPollSlot(Date.now() + 1);
      }
      await reconcileWith(observation.actuators, at);
    } else {
      // A message changed the desired state between polls: act on what is known, the next poll reads.
      await reconcileWith({}, now());
    }
    publishVisibility();
    // A run with no poll left before the end does not continue as new (patched): its new run would only wait for
    // the end. Events sharing an end time would otherwise all start new runs in their last interval, on top of
    // their final hand-backs. The history grows by no more than this wait and the end.
    if (continueAsNewDue() && !(nextPollMs >= endMs && patched('no-continue-as-new-at-end'))) await continueAsNewNow();
    await condition(() => wake || recheck || endRequest !== null, timeLeft(Math.min(nextPollMs, endMs)));
  }

  // ------------------------------------------------------------------ the end

  const endedReason = endRequest ? `${endRequest.reason} (${endRequest.by})` : 'event end time reached';
  if (phase === 'scheduled') {
    // Ended before it started: it has touched nothing, so it has nothing to restore.
    act(endOfEvent(policy, endedReason, endRequest?.by ?? 'schedule', now()));
    phase = 'ended';
  } else {
    if (phase === 'active') {
      act(endOfEvent(policy, endedReason, endRequest?.by ?? 'schedule', now()));
      phase = 'ending';
      ending = { since: now(), attempts: 0 };
      publishVisibility();
    }
    const state = ending ?? { since: now(), attempts: 0 };
    for (;;) {
      const { observation, at } = await observe({ metrics: false, genesys: true });
      const actuators = desiredActuators(config, policy);
      const left = notNormal(actuators, observation.actuators);
      if (left.length === 0 || config.dryRun) {
        for (const [id, part] of Object.entries(observation.actuators)) lastReads = { ...lastReads, [id]: { at, part } };
        phase = 'ended';
        break;
      }
      if (state.attempts >= ENDING_MAX_ATTEMPTS) {
        for (const [id, part] of Object.entries(observation.actuators)) lastReads = { ...lastReads, [id]: { at, part } };
        endingFailures = left.map(({ actuator, observed, error }) => ({ actuator: actuator.id, observed, fix: manualFix(actuator), ...(error ? { error } : {}) }));
        phase = 'ended-with-failures';
        log.error('event ended with actuators not restored', { actuators: endingFailures.map((f) => f.actuator) });
        queueAlert(endedWithFailuresAlert(left, state.attempts));
        break;
      }
      state.attempts++;
      ending = { ...state };
      await reconcileWith(observation.actuators, at);
      publishVisibility();
      if (continueAsNewDue()) await continueAsNewNow();
      // Verify at once after the first restore; then back off, doubling from one poll interval to a cap.
      if (state.attempts > 1) await sleep(Math.min(config.pollIntervalSeconds * 1000 * 2 ** (state.attempts - 2), ENDING_MAX_BACKOFF_MS));
    }
  }
  publishVisibility();
  // An `endEvent` Update is answered in a workflow task of its own before the run closes (patched): closed in the
  // same task, an activity completing meanwhile (a batch of polls handing back, one set up ahead of the start) makes
  // the server reject that task (UnhandledCommand), and the Update fails with it although the event did end.
  if (endRequest && patched('end-answered-before-close')) await sleep(1);
  await releaseClaims(input.claims, config.eventId);
  await condition(allHandlersFinished);
  // The run ends here: nothing is left to poll, so the last alerts may take their retries.
  await Promise.all([...pendingAlerts.keys()]);
  log.info('event ended', { eventId: config.eventId, reason: endedReason, phase });
  return { eventId: config.eventId, endedReason, transitions: policy.transitions.length, runs, phase };
}

/**
 * Hands every actuator back (ended, ended-with-failures, or ended before it started): the next event may claim
 * them. Awaited, so no signal is left in flight when the run closes. A claim already gone (expired, taken over as
 * stale) is nothing to release.
 */
async function releaseClaims(claims: string[] | undefined, eventId: string): Promise<void> {
  if (!claims || claims.length === 0 || !patched('actuator-claims')) return;
  await Promise.all(
    claims.map((id) =>
      getExternalWorkflowHandle(id)
        .signal(releaseClaimSignal, { eventId })
        .catch((err: unknown) => log.info('actuator claim not released (already gone)', { claim: id, error: String(err) })),
    ),
  );
}

function pick(legacy: LegacyCarriedState): Partial<CarriedState> {
  const { phase, policy, actuations, series, endRequest, runs } = legacy;
  return { phase, policy, actuations, series, endRequest, runs };
}

function supportStatus(fallbackActive: boolean, updatedAt: string): SupportStatus {
  return fallbackActive
    ? { level: 'outage', message: 'Chat is temporarily unavailable. The self-service answers below work, and email reaches us.', updatedAt }
    : { level: 'ok', message: 'All support channels are available.', updatedAt };
}

function failureType(err: unknown): string | undefined {
  let e: unknown = err;
  while (e instanceof Error) {
    if (e instanceof ApplicationFailure) return e.type ?? undefined;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function failureMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
