// surgeEvent: one durable execution per planned event (ID `surge-event-<eventId>`). It waits for the
// event's start, then samples the queues, lets the pure policy decide, brings the actuators in line, and
// sleeps until the next poll or an operator's message; at the end it restores every tier and completes.
// Its history is the audit log.
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SurgeActivities } from '../activities';
import { ACTUATE_OPTIONS, ALERT_OPTIONS, OBSERVE_OPTIONS } from './activity-options';
import { failureClassOf } from './failure-classes';
import { unknownQueuesSample } from './queue-check';
import { actuatorTargets, tierApplied, type ActuatorTarget } from './actuation';
import { flowPublish, flowPublishWorkflowId } from './flow-publish';
import * as messages from './messages';
import type { ActuationRecord, SurgeStatus } from './messages';
import { applyTierMode, endOfEvent, evaluate, highestActiveTier, initialPolicyState, setAlert, setAutomationPaused, type PolicyResult } from './policy';
import { SURGE_EVENT_ID, SURGE_PHASE, SURGE_TIER } from './search-attributes';
import { TIER_DESCRIPTIONS } from './tiers';
import { TIERS, type AlertMessage, type EventConfig, type EventPhase, type LeadingSignals, type PolicyAction, type PolicyState, type Sample, type SupportStatus } from './types';
import { parseResolvedEventConfig } from './config-schema';

// issue 11 (sensing): the retry budget lives in workflows/activity-options.ts, the one place to read it.
// issue 14 (leading): fetchLeadingSignals is an observe read like the metrics (same budget).
const { fetchQueueMetrics, probeMessengerBootstrap, verifyQueues, fetchLeadingSignals } = proxyActivities<SurgeActivities>(OBSERVE_OPTIONS);
const { writeFlagsRow, setEdgeFlag, setMessengerDeploymentVersion, publishSupportStatus } = proxyActivities<SurgeActivities>(ACTUATE_OPTIONS);
const { sendAlert } = proxyActivities<SurgeActivities>(ALERT_OPTIONS);

export interface SurgeEventInput {
  config: EventConfig;
  /** Present when the event continues as new: everything the previous run knew. */
  carried?: CarriedState;
  /** Continue as new once history passes this many events (default 3,900; tests set it low). */
  continueAsNewAfterEvents?: number;
}

export interface CarriedState {
  phase: EventPhase;
  policy: PolicyState;
  applied: Record<string, string>;
  actuations: ActuationRecord[];
  series: SurgeStatus['series'];
  endRequest: messages.EndEventRequest | null;
  runs: number;
}

export interface SurgeEventResult {
  eventId: string;
  endedReason: string;
  transitions: number;
  runs: number;
}

const MAX_ACTUATIONS_KEPT = 50;
const CONTINUE_AS_NEW_AFTER_EVENTS = 3_900;
const MAX_SERIES_KEPT = 360;

export async function surgeEvent(input: SurgeEventInput): Promise<SurgeEventResult> {
  // issue 11 (sensing): the one schema validates (and normalizes an old tier-4 shape) with no defaults.
  const parsed = parseResolvedEventConfig(input.config);
  if (!parsed.ok) {
    throw ApplicationFailure.nonRetryable(`invalid event config: ${parsed.problems.join('; ')}`, 'InvalidEventConfig');
  }
  const { config } = parsed;
  const startMs = Date.parse(config.startAt);
  const endMs = Date.parse(config.endAt);
  const now = () => new Date().toISOString();

  const carried: CarriedState = input.carried ?? {
    phase: 'scheduled',
    policy: initialPolicyState(config, now()),
    applied: {},
    actuations: [],
    series: [],
    endRequest: null,
    runs: 0,
  };
  let { phase, policy, actuations, series, endRequest } = carried;
  const applied = { ...carried.applied };
  const runs = carried.runs + 1;
  /** Set by any message so the loop reconciles at once instead of at the next poll. */
  let wake = false;
  const pendingAlerts = new Set<Promise<unknown>>();

  // ------------------------------------------------------------------ messages

  const buildStatus = (): SurgeStatus => {
    const targets = actuatorTargets(config, policy);
    return {
      eventId: config.eventId,
      name: config.name,
      phase,
      startAt: config.startAt,
      endAt: config.endAt,
      dryRun: config.dryRun,
      automationPaused: policy.automationPaused,
      pausedReason: policy.pausedReason,
      tiers: TIERS.map((t) => ({
        tier: t,
        name: TIER_DESCRIPTIONS[t].name,
        active: policy.tiers[t].active,
        mode: policy.tiers[t].mode,
        since: policy.tiers[t].since,
        reason: policy.tiers[t].reason,
        applied: tierApplied(targets, applied, t) ? policy.tiers[t].active : null,
        recommendation: policy.tiers[t].recommendation,
      })),
      lastSample: policy.lastSample,
      health: policy.health,
      transitions: policy.transitions,
      actuations,
      openAlerts: policy.openAlerts,
      series,
      endedReason: endRequest ? endRequest.reason : phase === 'ended' ? 'event end time reached' : null,
    };
  };

  const notEnded = () => (phase === 'ended' || endRequest ? 'the event has ended' : null);
  const notScheduled = () =>
    phase === 'scheduled' ? `the event has not started yet (it starts at ${config.startAt}); set initial modes in the event config` : null;

  const applySetTierMode = (req: messages.SetTierModeRequest) => {
    act(applyTierMode(policy, req.tier, req.mode, req.reason, req.by, now()));
  };
  const applyPause = (req: messages.PauseAutomationRequest) => {
    policy = setAutomationPaused(policy, true, `${req.reason} (${req.by})`);
    log.info('automation paused', { by: req.by, reason: req.reason });
    wake = true;
  };
  const applyResume = (req: messages.ResumeAutomationRequest) => {
    policy = setAutomationPaused(policy, false, null);
    log.info('automation resumed', { by: req.by });
    wake = true;
  };
  const applyEnd = (req: messages.EndEventRequest) => {
    endRequest = req;
    wake = true;
  };

  const checks = {
    setTierMode: (req: messages.SetTierModeRequest) => messages.checkSetTierMode(req) ?? notEnded() ?? notScheduled(),
    pauseAutomation: (req: messages.PauseAutomationRequest) =>
      messages.checkPauseAutomation(req) ?? notEnded() ?? (policy.automationPaused ? `automation is already paused: ${policy.pausedReason}` : null),
    resumeAutomation: (req: messages.ResumeAutomationRequest) =>
      messages.checkResumeAutomation(req) ?? notEnded() ?? (policy.automationPaused ? null : 'automation is not paused'),
    endEvent: (req: messages.EndEventRequest) => messages.checkEndEvent(req) ?? notEnded(),
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

  setHandler(messages.statusQuery, buildStatus);
  setHandler(messages.setTierModeUpdate, (req) => (applySetTierMode(req), buildStatus()), { validator: validator(checks.setTierMode) });
  setHandler(messages.pauseAutomationUpdate, (req) => (applyPause(req), buildStatus()), { validator: validator(checks.pauseAutomation) });
  setHandler(messages.resumeAutomationUpdate, (req) => (applyResume(req), buildStatus()), { validator: validator(checks.resumeAutomation) });
  setHandler(messages.endEventUpdate, (req) => (applyEnd(req), buildStatus()), { validator: validator(checks.endEvent) });
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
    if (action.type === 'transition') {
      const t = action.transition;
      const numbers = t.waiting === null ? '' : ` Waiting ${t.waiting}, agents available ${t.agentsAvailable}.`;
      queueAlert('transition', `tier ${t.tier} ${t.to ? 'ACTIVATED' : 'restored'} (${TIER_DESCRIPTIONS[t.tier].name})`,
        `${t.to ? 'Activated' : 'Restored'} tier ${t.tier} at ${t.at} by ${t.by} (${t.cause}): ${t.reason}.${numbers}${config.dryRun ? ' DRY RUN: no actuator was called.' : ''}`);
    } else if (action.type === 'recommend') {
      const r = action.recommendation;
      queueAlert('recommendation', `approve tier ${r.tier}? (${r.action})`, `The rule for tier ${r.tier} is met: ${r.reason}. Tier ${r.tier} is manual: an operator decides (force it on, or leave it).`);
    } else if (action.condition === 'controller-misconfigured') {
      // issue 11 (sensing): the controller's own mistake; one alert naming the fix, never tier 4.
      queueAlert('metrics', action.raised ? 'controller misconfigured: tiers held' : 'controller observes the platform again', action.message);
    } else if (action.condition === 'metrics-unavailable') {
      queueAlert('metrics', action.raised ? 'queue metrics unavailable' : 'queue metrics back', action.message);
    } else if (action.condition.startsWith('actuator-failed')) {
      queueAlert('actuator-failure', action.raised ? `actuator failing (${action.condition})` : `actuator recovered (${action.condition})`, action.message);
    }
  }

  function queueAlert(kind: AlertMessage['kind'], subject: string, body: string): void {
    if (config.alerts.recipients.length === 0) return;
    const alert: AlertMessage = {
      eventId: config.eventId,
      eventName: config.name,
      kind,
      subject,
      body,
      recipients: config.alerts.recipients,
      dashboardUrl: config.alerts.dashboardUrl,
      temporalUiUrl: config.alerts.temporalUiUrl,
    };
    // Alerts run beside the tier actions: a down mail server never holds up or fails a tier.
    const sent = sendAlert(alert).catch((err: unknown) => log.warn('alert not delivered', { subject, error: String(err) }));
    pendingAlerts.add(sent);
    void sent.finally(() => pendingAlerts.delete(sent));
  }

  // ------------------------------------------------------------------ actuators

  async function reconcile(): Promise<void> {
    const targets = actuatorTargets(config, policy).filter((t) => applied[t.id] !== t.fingerprint);
    await Promise.all(targets.map(reconcileOne));
  }

  async function reconcileOne(target: ActuatorTarget): Promise<void> {
    const tier = target.tier ?? 0;
    const desired = target.tier === null ? target.fingerprint.includes('1') : target.desired;
    const record = (outcome: ActuationRecord['outcome'], detail?: string) => {
      actuations = [...actuations, { at: now(), tier: (target.tier ?? 1) as ActuationRecord['tier'], actuator: target.id, desired, outcome, detail }].slice(-MAX_ACTUATIONS_KEPT);
    };
    const condition = `actuator-failed-tier-${(target.tier ?? 1) as 1 | 2 | 3 | 4}` as const;
    if (config.dryRun) {
      applied[target.id] = target.fingerprint;
      return record('dry-run', 'dry run: decided and recorded, not called');
    }
    try {
      const outcome = await callActuator(target);
      applied[target.id] = target.fingerprint;
      record(outcome);
      clearActuatorAlert(condition, `${target.id} applied`);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError || (err instanceof ChildWorkflowFailure && err.cause instanceof WorkflowExecutionAlreadyStartedError)) {
        // Another publish of this flow is in flight; it is not ours to wait for. Next poll reconciles.
        return record('busy', `another publish of this flow is in flight (${flowPublishWorkflowId((target as { actuator: { flowId: string } }).actuator.flowId)})`);
      }
      const message = failureMessage(err);
      record('failed', message);
      log.warn('actuator failed; will retry on the next poll', { actuator: target.id, error: message, tier });
      const result: PolicyAction[] = [];
      setAlert(policy, result, condition, true, `${target.id} failed: ${message}. Retrying every poll.`);
      result.forEach(alertFor);
    }
  }

  function clearActuatorAlert(condition: `actuator-failed-tier-${1 | 2 | 3 | 4}`, message: string): void {
    const result: PolicyAction[] = [];
    setAlert(policy, result, condition, false, message);
    result.forEach(alertFor);
  }

  async function callActuator(target: ActuatorTarget): Promise<ActuationRecord['outcome']> {
    if (target.tier === null) {
      await writeFlagsRow({ datatableId: target.datatableId, row: { ...target.row, updatedAt: now() } });
      return 'applied';
    }
    const a = target.actuator;
    switch (a.kind) {
      case 'edgeFlag':
        // The fallback page shows this status; publish it before the page goes live, so nobody sees a stale one.
        // Patched: histories recorded before this step existed (test/fixtures) must still replay.
        if (a.key === 'chat_fallback_active' && patched('publish-support-status')) await publishSupportStatus({ status: supportStatus(target.desired, now()) });
        await setEdgeFlag({ key: a.key, value: target.desired });
        return 'applied';
      case 'messengerDeployment': {
        const version = target.desired ? a.surgeConfigurationVersion : a.normalConfigurationVersion;
        const { alreadySet } = await setMessengerDeploymentVersion({ deploymentId: a.deploymentId, configurationVersion: version });
        return alreadySet ? 'already-applied' : 'applied';
      }
      case 'flowVersion': {
        const version = target.desired ? a.surgeVersion : a.normalVersion;
        const result = await executeChild(flowPublish, {
          workflowId: flowPublishWorkflowId(a.flowId),
          args: [{ flowId: a.flowId, version, requestedBy: workflowInfo().workflowId }],
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

  // ------------------------------------------------------------------ sampling

  let queuesVerified = false; // issue 11 (sensing)

  async function takeSample(): Promise<Sample> {
    // issue 11 (sensing): keep the probe's failure so a controller-class one (URL reaching our edge's stub) is not tier 4's.
    const probe = config.messengerProbeUrl ? probeMessengerBootstrap({ url: config.messengerProbeUrl }).catch((failure: unknown) => ({ healthy: false, failure })) : null;
    let leading: Promise<LeadingSignals | undefined> = Promise.resolve(undefined); // issue 14 (leading)
    try {
      // issue 11 (sensing): the first active poll of each run checks the queue IDs exist; unknown ones are
      // a controller failure naming them (never tier 4). Patched: older histories have no such activity.
      if (!queuesVerified && patched('verify-queues')) {
        const { unknown } = await verifyQueues({ queueIds: config.queueIds });
        if (unknown.length > 0) {
          await probe;
          return unknownQueuesSample(unknown, now());
        }
        queuesVerified = true;
      }
      leading = readLeadingSignals(); // issue 14 (leading): beside the metrics, once the queues are known
      const metrics = await fetchQueueMetrics({ queueIds: config.queueIds });
      const probed = probe ? await probe : undefined;
      const signals = await leading; // issue 14 (leading)
      if (probed && 'failure' in probed && failureClassOf(applicationFailureType(probed.failure)) === 'controller') {
        return { ok: false, at: now(), error: failureMessage(probed.failure), failureClass: 'controller' }; // issue 11 (sensing)
      }
      const messengerHealthy = probed?.healthy;
      return { ok: true, ...metrics, ...(messengerHealthy === undefined ? {} : { messengerHealthy }), ...(signals ? { leading: signals } : {}) }; // issue 14 (leading): signals
    } catch (err) {
      await probe;
      await leading; // issue 14 (leading)
      return { ok: false, at: now(), error: failureMessage(err) };
    }
  }

  // issue 14 (leading): the leading signals, one extra read per poll beside the metrics, merged into the sample. Only with
  // `config.leading`, and patched so histories from before it replay. A failed read leaves them out: the
  // leading rules are then not met and the lagging rules decide alone (nothing is held, nothing switched on).
  async function readLeadingSignals(): Promise<LeadingSignals | undefined> {
    const settings = config.leading;
    if (!settings || !patched('leading-signals')) return undefined;
    try {
      return await fetchLeadingSignals({
        queueIds: config.queueIds,
        at: now(),
        windowSeconds: settings.arrivalWindowSeconds,
        ...(settings.botFlowId ? { botFlowId: settings.botFlowId } : {}),
      });
    } catch (err) {
      log.warn('leading signals unavailable this poll; lagging rules only', { error: failureMessage(err) });
      return undefined;
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
    const s = policy.lastSample;
    const rows = TIERS.map((t) => {
      const ts = policy.tiers[t];
      return `| ${t} ${TIER_DESCRIPTIONS[t].name} | ${ts.active ? '**ACTIVE**' : 'off'} | ${ts.mode} | ${ts.since} | ${ts.reason} |`;
    });
    setCurrentDetails(
      [
        `**${config.name}** (${config.eventId}): ${phase}${config.dryRun ? ' (DRY RUN)' : ''}${policy.automationPaused ? `, automation PAUSED: ${policy.pausedReason}` : ''}`,
        s ? (s.ok ? `Last sample ${s.at}: waiting ${s.waiting}, agents available ${s.agentsAvailable}` : `Last sample ${s.at} FAILED: ${s.error}`) : 'No sample yet',
        '',
        '| tier | state | mode | since | why |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  }

  // ------------------------------------------------------------------ lifecycle

  const timeLeft = (untilMs: number) => Math.max(0, untilMs - Date.now());
  // The server suggests continuing at 4,096 events, but only tells us on the next task; our own threshold,
  // a busy iteration's worth below it, keeps every run under 4,096.
  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS);

  async function drainThenContinueAsNew(): Promise<never> {
    // Handlers only change state; wait for them (and for alerts in flight) so nothing is lost across runs.
    await condition(allHandlersFinished);
    await Promise.all([...pendingAlerts]);
    return continueAsNew<typeof surgeEvent>({
      config,
      continueAsNewAfterEvents: input.continueAsNewAfterEvents,
      carried: { phase, policy, applied, actuations, series, endRequest, runs },
    });
  }

  publishVisibility();

  if (phase === 'scheduled') {
    if (timeLeft(startMs) > 0) await condition(() => endRequest !== null, timeLeft(startMs));
    if (!endRequest) {
      phase = 'active';
      log.info('event started', { eventId: config.eventId });
    }
  }

  let nextPollMs = Date.now();
  while (phase === 'active' && !endRequest && Date.now() < endMs) {
    // Cleared before the work, not after: a message arriving mid-reconcile must still wake the next wait.
    wake = false;
    if (Date.now() >= nextPollMs) {
      const sample = await takeSample();
      if (sample.ok) series = [...series, { at: sample.at, waiting: sample.waiting, agentsAvailable: sample.agentsAvailable }].slice(-MAX_SERIES_KEPT);
      act(evaluate(policy, sample, config, now()));
      // issue 14 (leading): the forecast the policy just made rides on the series point (dashboard chart).
      const f = policy.forecast;
      if (sample.ok && f && f.at === sample.at && series.length > 0) {
        series[series.length - 1] = { ...series[series.length - 1], forecastWaiting: f.forecastWaiting, ...(f.botLoad === undefined ? {} : { botLoad: f.botLoad }) };
      }
      nextPollMs = Date.now() + config.pollIntervalSeconds * 1000;
    }
    await reconcile();
    publishVisibility();
    if (continueAsNewDue()) await drainThenContinueAsNew();
    await condition(() => wake || endRequest !== null, timeLeft(Math.min(nextPollMs, endMs)));
  }

  // The end: restore everything, retrying failed actuators each poll until all are back. An event
  // ended before it started has touched nothing, so it has nothing to restore.
  const endedReason = endRequest ? `${endRequest.reason} (${endRequest.by})` : 'event end time reached';
  act(endOfEvent(policy, endedReason, endRequest?.by ?? 'schedule', now()));
  if (phase === 'active') {
    await reconcile();
    while (actuatorTargets(config, policy).some((t) => applied[t.id] !== t.fingerprint)) {
      publishVisibility();
      await condition(() => false, config.pollIntervalSeconds * 1000);
      await reconcile();
    }
  }
  phase = 'ended';
  publishVisibility();
  await condition(allHandlersFinished);
  await Promise.all([...pendingAlerts]);
  log.info('event ended', { eventId: config.eventId, reason: endedReason });
  return { eventId: config.eventId, endedReason, transitions: policy.transitions.length, runs };
}

function supportStatus(fallbackActive: boolean, updatedAt: string): SupportStatus {
  return fallbackActive
    ? { level: 'outage', message: 'Chat is temporarily unavailable. The self-service answers below work, and email reaches us.', updatedAt }
    : { level: 'ok', message: 'All support channels are available.', updatedAt };
}

/** The ApplicationFailure type behind an activity failure (issue 11, sensing), for failureClassOf. */
function applicationFailureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

function failureMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
