// The one retry budget (workflows/activity-options.ts): what a rate limit, an outage and our own mistakes get.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ActivityCancellationType } from '@temporalio/common';
import { ACTUATE_OPTIONS, CONTROLLER_FAILURE_TYPES, OBSERVE_OPTIONS, pollBatchOptions } from '../workflows/activity-options';
import { failureClassOf } from '../workflows/failure-classes';

describe('activity options: the one visible retry budget', () => {
  it('observation: 20 s per attempt, two attempts, and no schedule-to-close cutting a 60 s Retry-After short', () => {
    assert.equal(OBSERVE_OPTIONS.startToCloseTimeout, '20 seconds');
    assert.equal(OBSERVE_OPTIONS.retry?.maximumAttempts, 2);
    assert.equal(OBSERVE_OPTIONS.scheduleToCloseTimeout, undefined, 'nextRetryDelay (Retry-After) must be waited out, not time the sample out');
  });
  it('every type never retried is a controller failure, so no retry is spent on our own mistakes', () => {
    for (const options of [OBSERVE_OPTIONS, ACTUATE_OPTIONS]) assert.deepEqual(options.retry?.nonRetryableErrorTypes, CONTROLLER_FAILURE_TYPES);
    for (const type of CONTROLLER_FAILURE_TYPES) assert.equal(failureClassOf(type), 'controller', type);
    for (const type of ['GenesysRateLimited', 'GenesysUnavailable', 'MessengerUnavailable']) assert.equal(CONTROLLER_FAILURE_TYPES.includes(type), false, type);
  });
  it('a batch of polls: one attempt, lives as long as its polls, a dead worker noticed within two intervals and a slow read, cancellation waited for', () => {
    const o = pollBatchOptions(10, 12);
    assert.equal(o.retry?.maximumAttempts, 1, 'the workflow loop is the retry: it goes back to single polls');
    assert.equal(o.startToCloseTimeout, 12 * 10_000 + 60_000);
    assert.equal(o.heartbeatTimeout, 2 * 10_000 + 30_000);
    assert.equal(o.cancellationType, ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, 'a cancelled batch hands back the polls it took');
    assert.equal(pollBatchOptions(1, 4, 30).heartbeatTimeout, 2 * 1_000 + 1_000, "a sandbox's accelerated clock shortens the slack");
  });
});
