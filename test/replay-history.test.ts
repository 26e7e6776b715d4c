// Determinism: recorded surgeEvent histories must replay against today's workflow code. A change that
// breaks replay needs `patched()` (reference/temporal.md §7), not a new fixture.
// Record a new fixture only on purpose, under a new name (never over a committed one):
//   RECORD_REPLAY_FIXTURE=surge-event-history-<what> npx tsx scripts/test-tiers.ts workflow --grep 'a fresh 2-hour event'
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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
/**
 * surgeEvent histories recorded by this test at each stage of the workflow, oldest first. Each must keep
 * replaying: the newest code takes the steps each recorded run took (the patches it has no marker for stay off).
 */
const SURGE_EVENT_FIXTURES: [file: string, what: string, patches: string[]][] = [
  ['surge-event-history.pb.b64', 'the first loop, before observed-state reconciliation (the legacy loop)', []],
  ['surge-event-history-poll-batches.pb.b64', 'observed state and polls in batches, before poll-spread (commit 15f2d2b)', ['observed-state', 'poll-batches']],
  ['surge-event-history-poll-spread.pb.b64', 'with poll-spread: active at the first slot, the queue check local, batches on their phase', ['observed-state', 'poll-spread', 'poll-batches']],
  ['surge-event-history-batch-message-immediate-cancel.pb.b64', 'an override mid-batch cancelling the batch at once (commit 13d0a06)', ['observed-state', 'poll-spread', 'poll-batches']],
  [
    'surge-event-history-batch-message-deferred-cancel.pb.b64',
    'an override mid-batch; the cancel deferred to half an interval after its first slot, reads counted after our writes',
    ['observed-state', 'poll-spread', 'poll-batches', 'batch-cancel-deferred', 'batch-reads-after-writes'],
  ],
  [
    'surge-event-history-first-batch-ahead.pb.b64',
    'the first batch set up one interval before the first slot (on this server it cannot wait, takes nothing and is dropped)',
    ['observed-state', 'poll-spread', 'first-batch-ahead', 'poll-batches', 'batch-cancel-deferred', 'batch-reads-after-writes'],
  ],
];

/** The patch IDs a history's markers record, in order (core's `patch-data`: {"id": ..., "deprecated": ...}). */
function patchIds(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [])
    .map((p) => (JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { id: string }).id);
}
const History = temporal.api.history.v1.History;

/** RECORD_REPLAY_FIXTURE=<name> (with --grep for one test): keeps the fresh history as a new fixture. */
async function recordIfAsked(history: temporal.api.history.v1.IHistory): Promise<void> {
  const record = process.env.RECORD_REPLAY_FIXTURE;
  if (!record) return;
  const file = path.resolve(__dirname, 'fixtures', `${record}.pb.b64`);
  if (existsSync(file)) throw new Error(`${file} exists: record under a new name, never over a committed history`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.from(History.encode(history).finish()).toString('base64'));
}
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
    await recordIfAsked(history);
  });

  it('an override while a batch of polls is under way, and the end, replays without nondeterminism', async () => {
    const world = new FakeWorld();
    const start = await env.currentTimeMs();
    const config = testEventConfig({
      eventId: 'replay-batch-message',
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + 3_600_000).toISOString(),
      pollIntervalSeconds: 60,
      actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] },
      alerts: { recipients: ['ops@example.com'] },
    });
    world.metrics = () => ({ waiting: 3, agentsAvailable: 10 });
    // The third batch waits for the test: the override arrives while it is under way.
    const fakes = world.activities();
    let batches = 0;
    let releaseBatch = () => {};
    const held = new Promise<void>((r) => (releaseBatch = r));
    let batchReached = () => {};
    const reached = new Promise<void>((r) => (batchReached = r));
    const activities = {
      ...fakes,
      pollBatch: async (input: Parameters<typeof fakes.pollBatch>[0]) => {
        if (++batches === 3) {
          batchReached();
          await held;
        }
        return fakes.pollBatch(input);
      },
    };
    const taskQueue = `replay-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities });
    const history = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: `surge-event-replay-${randomUUID()}`, args: [{ config }] });
      // Awaiting the result lets the server skip time up to the held batch (it stops skipping while that runs).
      const result = handle.result();
      await reached;
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
      // The override is applied while the batch runs on; the batch is cancelled only half an interval after its
      // first slot (batch-cancel-deferred): wait for that timer, then let the batch finish first.
      await waitFor(async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const updated = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
        return updated >= 0 && events.slice(updated).some((e) => e.timerStartedEventAttributes);
      });
      releaseBatch();
      const ended = await result;
      assert.equal(ended.phase, 'ended');
      return handle.fetchHistory();
    });
    const writes = world.edgeFlagWrites.map((w) => w.value);
    assert.ok(writes.filter(Boolean).length === 1 && writes.at(-1) === false, `not forced on once and restored at the end: ${writes.join(', ')}`);
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
    await recordIfAsked(history);
  });

  for (const [file, what, patches] of SURGE_EVENT_FIXTURES) {
    it(`the committed history ${file} (${what}) replays against the current code`, async () => {
      const history = History.decode(Buffer.from(await readFile(path.resolve(__dirname, 'fixtures', file), 'utf8'), 'base64'));
      assert.ok(history.events.length > 100);
      assert.deepEqual(patchIds(history), patches, 'the history was recorded at another stage than it says');
      await Worker.runReplayHistory({ workflowBundle: bundle }, history);
    });
  }

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

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
