// deflectionFollowUp: one durable promise per conversation (ID `deflection-<conversationId>`). It waits
// for the promised content where there is some to wait for, delivers the follow-up with retries, and
// alerts operators when the promise is at risk (a margin before the deadline), missed, or failed for
// good. Its history, its current details and the `deflectionStatus` query show when the promise was
// made and when (and whether) it was kept.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeflectionActivities } from '../activities/deflection';
import {
  deflectionReference,
  deflectionStatusQuery,
  describeFieldErrors,
  holdingContent,
  validateDeflectionRequest,
  type DeflectionAlertKind,
  type DeflectionContent,
  type DeflectionFollowUpInput,
  type DeflectionResult,
  type DeflectionStatus,
} from './deflection-types';

const MINUTE = 60_000;
// The failure types of activities/deflection.ts (not imported: activities stay out of the bundle).
const NON_RETRYABLE = ['DeflectionNotConfigured', 'DeflectionRejected', 'InvalidAlert', 'AlertRejected'];
const DEFAULTS = { giveUpAfterMinutes: 24 * 60, contentPollMinutes: 5 };
// Content is waited for until this long before the at-risk point at most, leaving delivery retries room.
const CONTENT_GRACE_MS = 15 * MINUTE;

const { sendDeflectionAlert } = proxyActivities<DeflectionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Proxies whose overall deadline is fixed per call: retries stop when the time they serve is over. */
function activitiesUntil(endMs: number, startToCloseMs: number) {
  return proxyActivities<DeflectionActivities>({
    startToCloseTimeout: startToCloseMs,
    scheduleToCloseTimeout: Math.max(endMs - Date.now(), 1_000),
    retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE },
  });
}

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Waits until `done()` or the instant `atMs`; true when done. */
async function doneBy(done: () => boolean, atMs: number): Promise<boolean> {
  const remaining = atMs - Date.now();
  if (done() || remaining <= 0) return done();
  return condition(done, remaining);
}

export async function deflectionFollowUp(input: DeflectionFollowUpInput): Promise<DeflectionResult> {
  // Histories recorded before the character rules replay with the old checks (the endpoint applies the new ones).
  const checked = validateDeflectionRequest(input?.request, undefined, patched('deflection-strict-fields'));
  if (!checked.ok) throw ApplicationFailure.nonRetryable(`invalid deflection request: ${describeFieldErrors(checked.errors)}`, 'InvalidDeflectionRequest');
  const request = checked.value;
  if (input.reference !== deflectionReference(request.conversationId)) {
    throw ApplicationFailure.nonRetryable(`reference ${input.reference} does not belong to conversation ${request.conversationId}`, 'InvalidDeflectionRequest');
  }
  if (!(input.atRiskMarginMinutes > 0)) throw ApplicationFailure.nonRetryable('atRiskMarginMinutes must be a positive number', 'InvalidDeflectionRequest');
  const { reference } = input;
  const promised = { request, reference };

  const promisedAtMs = workflowInfo().startTime.getTime();
  const deadlineMs = Date.parse(request.promisedBy);
  // Never more than half the time promised: a short promise still gets a chance to be kept before the page.
  const atRiskMs = deadlineMs - Math.min(input.atRiskMarginMinutes * MINUTE, Math.max(0, (deadlineMs - promisedAtMs) / 2));
  const giveUpMs = deadlineMs + (input.giveUpAfterMinutes ?? DEFAULTS.giveUpAfterMinutes) * MINUTE;
  const iso = (ms: number) => new Date(ms).toISOString();

  const status: DeflectionStatus = {
    reference,
    conversationId: request.conversationId,
    channel: request.channel,
    state: request.contentSource === 'order-status' ? 'awaiting-content' : 'delivering',
    promisedAt: iso(promisedAtMs),
    promisedBy: request.promisedBy,
    atRiskAt: iso(atRiskMs),
    contentReady: null,
    deliveredAt: null,
    deliveryId: null,
    alerts: [],
    timeline: [],
  };
  setHandler(deflectionStatusQuery, () => status);

  function note(what: string, atMs = Date.now()): void {
    status.timeline.push({ at: iso(atMs), what });
    log.info(what, { reference, conversationId: request.conversationId });
    // Shown in the Temporal UI next to the execution: the promise and where it stands.
    setCurrentDetails(
      [
        `**${reference}**: ${request.channel} follow-up for conversation ${request.conversationId}`,
        `promised at ${status.promisedAt}, by ${status.promisedBy} (at risk from ${status.atRiskAt})`,
        `state: **${status.state}**${status.deliveredAt ? `, delivered ${status.deliveredAt}` : ''}`,
        ...status.timeline.map((t) => `- ${t.at} ${t.what}`),
      ].join('\n'),
    );
  }

  // Alerts run beside the delivery: a slow mail relay for operators never delays the customer's follow-up.
  const pendingAlerts: Promise<void>[] = [];
  function alert(kind: DeflectionAlertKind): void {
    status.alerts.push({ at: iso(Date.now()), kind });
    note(`operators alerted: ${kind}`);
    pendingAlerts.push(
      sendDeflectionAlert({ ...promised, kind, status: { ...status, timeline: [] } }).then(
        () => undefined,
        (err: unknown) => note(`alert ${kind} could not be sent: ${failureMessage(err)}`),
      ),
    );
  }

  note(`promise made: ${request.channel} follow-up by ${request.promisedBy}`, promisedAtMs);

  const content = await awaitContent();

  async function awaitContent(): Promise<DeflectionContent> {
    const waitUntilMs = Math.max(promisedAtMs, atRiskMs - Math.min(CONTENT_GRACE_MS, (atRiskMs - promisedAtMs) / 2));
    const pollMs = (input.contentPollMinutes ?? DEFAULTS.contentPollMinutes) * MINUTE;
    for (;;) {
      try {
        const found = await activitiesUntil(waitUntilMs, MINUTE).lookupDeflectionContent(promised);
        if (found) {
          status.contentReady = found.ready;
          if (request.contentSource !== 'none') note('content ready');
          return found;
        }
      } catch (err) {
        note(`content lookup failed: ${failureMessage(err)}`);
      }
      if (Date.now() + pollMs >= waitUntilMs) break;
      await sleep(pollMs);
    }
    status.contentReady = false;
    alert('content-missing');
    return holdingContent(request.intent, false);
  }

  status.state = 'delivering';
  note('delivering');
  const deliver = activitiesUntil(giveUpMs, MINUTE);
  let settled = false;
  let deliveryError: string | null = null;
  const delivery = (request.channel === 'email' ? deliver.deliverDeflectionEmail : deliver.deliverDeflectionSms)({ ...promised, content }).then(
    (sent) => {
      status.deliveredAt = iso(Date.now());
      status.deliveryId = sent.deliveryId;
      settled = true;
    },
    (err: unknown) => {
      deliveryError = failureMessage(err);
      settled = true;
    },
  );

  if (!(await doneBy(() => settled, atRiskMs))) alert('at-risk');
  if (!(await doneBy(() => settled, deadlineMs))) alert('missed');
  await delivery;

  if (status.deliveredAt !== null) {
    status.state = Date.parse(status.deliveredAt) <= deadlineMs ? 'kept' : 'kept-late';
    note(status.state === 'kept' ? `promise kept (${status.deliveryId})` : `delivered late (${status.deliveryId})`);
  } else {
    status.state = 'failed';
    note(`delivery failed: ${deliveryError ?? 'unknown error'}`);
    alert('failed');
  }
  await Promise.all(pendingAlerts);
  return { reference, outcome: status.state, deliveredAt: status.deliveredAt, promisedBy: request.promisedBy };
}
