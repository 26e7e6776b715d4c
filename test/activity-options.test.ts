// The one retry budget (workflows/activity-options.ts): what a rate limit, an outage and our own mistakes get.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ACTUATE_OPTIONS, CONTROLLER_FAILURE_TYPES, OBSERVE_OPTIONS } from '../workflows/activity-options';
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
});
