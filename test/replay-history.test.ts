// Determinism: recorded surgeEvent histories must replay against today's workflow code. A change that
// breaks replay needs `patched()` (reference/temporal.md §7), not a new fixture.
// Regenerate the committed fixture only on purpose: RECORD_REPLAY_FIXTURE=1 npx mocha test/replay-history.test.ts
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { setTierModeUpdate } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { encryptingDataConverter } from '../client/encryption/data-converter';
import { TEST_KEY_A, TEST_KEY_B, testKeyring } from './helpers/encryption';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

// Stored as the binary protobuf the server sends (base64): exact, and independent of JSON-mapping quirks.
const FIXTURE = path.resolve(__dirname, 'fixtures/surge-event-history.pb.b64');
const History = temporal.api.history.v1.History;
// A deflectionFollowUp history encrypted with TEST_KEY_A (test/encryption-dev-server.test.ts records it).
const ENCRYPTED_FIXTURE = path.resolve(__dirname, 'fixtures/deflection-follow-up-encrypted.pb.b64');

describe('surgeEvent replays its recorded histories (determinism)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  before(async function () {
    this.timeout(180_000);
    [env, bundle] = await Promise.all([timeSkippingEnv(), workflowBundle()]);
  });
  after(async () => env?.teardown());

  it('a fresh 2-hour event with a surge, an override and the end replays without nondeterminism', async () => {
    const world = new FakeWorld();
    const start = await env.currentTimeMs();
    const config = testEventConfig({
      eventId: 'replay-drill',
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + 2 * 3_600_000).toISOString(),
      pollIntervalSeconds: 60,
      actuators: { 2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'flow-inbound', surgeVersion: '2.0', normalVersion: '1.0' }] },
      alerts: { recipients: ['ops@example.com'] },
    });
    world.metrics = (atMs) => ((atMs - start) / 60_000 < 40 ? { waiting: 300, agentsAvailable: 2 } : { waiting: 5, agentsAvailable: 20 });
    const taskQueue = `replay-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    const history = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: `surge-event-replay-${randomUUID()}`, args: [{ config }] });
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
      await handle.result();
      return handle.fetchHistory();
    });
    assert.ok((history.events?.length ?? 0) > 100);
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
    if (process.env.RECORD_REPLAY_FIXTURE) {
      await mkdir(path.dirname(FIXTURE), { recursive: true });
      await writeFile(FIXTURE, Buffer.from(History.encode(history).finish()).toString('base64'));
    }
  });

  it('the committed fixture history replays against the current code', async () => {
    const history = History.decode(Buffer.from(await readFile(FIXTURE, 'utf8'), 'base64'));
    assert.ok(history.events.length > 100);
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
  });

  it('the clear fixture also replays through the encrypting data converter (clear payloads pass through)', async () => {
    const history = History.decode(Buffer.from(await readFile(FIXTURE, 'utf8'), 'base64'));
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(testKeyring([TEST_KEY_A], 'test-a')) }, history);
  });

  it('the committed encrypted deflection history replays with its test key, also after a rotation to key B', async () => {
    const history = History.decode(Buffer.from(await readFile(ENCRYPTED_FIXTURE, 'utf8'), 'base64'));
    assert.ok(!Buffer.from(History.encode(history).finish()).toString('latin1').includes('@example.com'), 'the fixture holds ciphertext');
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(testKeyring([TEST_KEY_A], 'test-a')) }, history);
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(testKeyring([TEST_KEY_B, TEST_KEY_A], 'test-b')) }, history);
  });
});
