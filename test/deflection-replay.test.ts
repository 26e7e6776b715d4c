// Determinism of deflectionFollowUp: a promise recorded before the endpoint's character rules (eventId,
// intent, customerName; commit 13208dd) carries input today's rules refuse. The workflow checks them only
// behind patched('deflection-strict-fields'), so that history still replays.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { validateDeflectionRequest } from '../workflows/deflection-types';
import { workflowBundle } from './helpers/temporal';

const FIXTURE = path.resolve(__dirname, 'fixtures/deflection-legacy-history.pb.b64');

describe('deflectionFollowUp replays a promise recorded before the character rules', function () {
  this.timeout(120_000);

  it('the legacy history (eventId "Big Sale", a control character in the name) replays against the current code', async () => {
    const history = temporal.api.history.v1.History.decode(Buffer.from(await readFile(FIXTURE, 'utf8'), 'base64'));
    const started = history.events[0]?.workflowExecutionStartedEventAttributes;
    assert.equal(started?.workflowType?.name, 'deflectionFollowUp');
    const input = JSON.parse(Buffer.from(started!.input!.payloads![0]!.data!).toString('utf8')) as { request: unknown };
    assert.equal(validateDeflectionRequest(input.request, undefined).ok, false, 'today\'s rules refuse this input');
    assert.ok(history.events.some((e) => e.workflowExecutionCompletedEventAttributes), 'the promise was kept');
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  });
});
