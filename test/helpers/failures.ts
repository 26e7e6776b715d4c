// The ApplicationFailure a promise rejects with, so tests can assert on its type, message and retryability.
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';

export async function rejection(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}
