// The one visible retry budget: every activity group's timeouts and retry policy, in one pure module the
// workflows pass to `proxyActivities`. Activities never retry inside themselves (the Genesys session only
// re-logs in once on a 401), so what is here is every retry there is, and each attempt is in history.
// Types only from @temporalio/common: no workflow API, so it is testable without a server.
import { ActivityCancellationType, type ActivityOptions, type LocalActivityOptions } from '@temporalio/common';
import { FailureType } from './failure-classes';

/**
 * What no retry fixes: the controller's own mistakes. Activities already throw these non-retryable; the
 * list is a second guard for anything that throws them retryable by mistake.
 */
export const CONTROLLER_FAILURE_TYPES = [
  FailureType.controllerMisconfigured,
  'GenesysNotFound',
  'GenesysPermissionDenied',
  'GenesysUnauthorized',
  'GenesysLoginFailed',
  'GenesysBadRequest',
  'GenesysConfigError',
  'InvalidActivityInput',
];

/**
 * Observation (queue metrics, queue verification, the Messenger probe). A poll that cannot answer in 20 s
 * is a failed sample, not a stuck loop. Two attempts: a single 5xx or dropped connection does not fail a
 * sample. No schedule-to-close: a 429 carries `nextRetryDelay` (Retry-After), so the second attempt waits
 * exactly what the platform asked (60 s is 60 s) and never calls while limited; if that attempt is limited
 * again the sample is `rate-limited` and holds everything.
 */
export const OBSERVE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1s', maximumAttempts: 2, nonRetryableErrorTypes: CONTROLLER_FAILURE_TYPES },
};

/**
 * The poll's observe step runs as a LOCAL activity (issue 15): a short read-only call needs no activity task
 * of its own, so a poll is one workflow task and one marker instead of two workflow tasks and three activity
 * events. Same budget as OBSERVE_OPTIONS. observeWorld never throws for a failed read (each part carries its
 * own failure), so a retry here is only for a crashed attempt.
 */
export const OBSERVE_LOCAL_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: OBSERVE_OPTIONS.startToCloseTimeout,
  retry: OBSERVE_OPTIONS.retry,
};

/**
 * A batch of polls (workflows/poll-batch.ts). It runs for up to `maxPolls` intervals, so its start-to-close
 * follows its size. It heartbeats every poll; the heartbeat timeout covers one interval plus a slow observe step
 * (20 s) with room to spare, so a dead worker is noticed within about two intervals. One attempt: the workflow's
 * loop is the retry (it goes back to single polls). Cancelled, the workflow waits for the batch to hand back the
 * polls it took (they are real samples), which it does at its next heartbeat.
 */
export function pollBatchOptions(pollIntervalSeconds: number, maxPolls: number, timeScale = 1): ActivityOptions {
  const intervalMs = pollIntervalSeconds * 1000;
  return {
    startToCloseTimeout: maxPolls * intervalMs + 60_000,
    // A sandbox's accelerated clock (simulatedTimeScale) shortens the slack too: its reads are local.
    heartbeatTimeout: 2 * intervalMs + Math.round(30_000 / timeScale),
    retry: { maximumAttempts: 1 },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
}

/** Actuators (flags row, KV flags, deployment, support status). Bounded: a failing one is alerted and retried next poll. */
export const ACTUATE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: CONTROLLER_FAILURE_TYPES },
};

/** Alerts run beside the tiers; a slow mail server is retried but never holds a tier. */
export const ALERT_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 5 },
};
