// Polls in batches on the real dev server, in real time (the time-skipping server cannot run a batch's waits):
// the real batch activity over the fake world. A calm run of polls is one activity and one workflow task; the
// rule acts at the same poll as it would alone; every slot is sampled once; an operator's message mid-batch
// takes effect at once, the batch hands back, and the reads it took before our own write never count as drift.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { SurgeClient } from '../client/surge-client';
import { formatStatus } from '../client/format-status';
import { endEventUpdate, setTierModeUpdate, statusQuery, type SurgeStatus } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { fullPollBatch } from '../workflows/poll-batch';
import { pollBatchPhase } from '../workflows/poll-phase';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { devServerEnv, workflowBundle } from './helpers/temporal';

const POLL_SECONDS = 5;

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('polls in batches (real dev server, real time)', function () {
  this.timeout(240_000);
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  const world = new FakeWorld();
  const taskQueue = `poll-batch-${randomUUID()}`;

  before(async function () {
    this.timeout(180_000);
    const [e, bundle] = await Promise.all([devServerEnv(), workflowBundle()]);
    env = e;
    world.batchWaits = true;
    worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    workerRun = worker.run();
  });
  after(async function () {
    this.timeout(60_000);
    worker?.shutdown();
    await workerRun?.catch(() => undefined);
    await env?.teardown();
  });

  it('a calm run is one batch; the rule acts at its poll; a message mid-batch acts at once and leaves no false drift', async () => {
    const startMs = Date.now() - 1_000;
    const surgeAtMs = startMs + 30_000;
    world.metrics = (atMs) => ({ waiting: atMs >= surgeAtMs ? 80 : 3, agentsAvailable: 10 });
    const config = testEventConfig({
      eventId: `batches-${randomUUID().slice(0, 8)}`,
      startAt: new Date(startMs).toISOString(),
      endAt: new Date(startMs + 3_600_000).toISOString(),
      pollIntervalSeconds: POLL_SECONDS,
      tiers: { 1: { activate: { waitingAbove: 50, consecutivePolls: 2 } } },
      actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] },
    });
    const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: `surge-event-${config.eventId}`, args: [{ config }] });
    const status = () => handle.query(statusQuery);

    // Tier 1 comes on at the second poll above 50 (consecutivePolls 2), which the batch handed back at.
    const on = await waitFor('tier 1 on', async () => {
      const s = await status();
      return s.tiers.find((t) => t.tier === 1)?.active ? s : undefined;
    });
    const above = on.series.filter((p) => p.waiting > 50);
    assert.equal(above.length, 2, `tier 1 came on after ${above.length} polls above 50, not 2: ${JSON.stringify(on.series.slice(-4))}`);
    const transition = on.transitions.find((t) => t.tier === 1 && t.to)!;
    assert.ok(Date.parse(transition.at) >= Date.parse(above[1]!.at), 'decided before its sample');
    const firstBatches = [...world.batches];
    assert.ok(firstBatches.some((b) => b.handedBack === 'change' && b.polls >= 3), `no batch of calm polls handed back at the change: ${JSON.stringify(firstBatches)}`);

    // Mid-batch: force tier 3 on. The update answers at once, the KV flag is written, the batch hands back, and
    // its reads of the flag from before our write are not taken for someone else's change.
    await waitFor('a batch under way', async () => world.observeCalls.length > 0 && (await status()).series.length < world.observeCalls.length);
    // Our KV write is slow: it is still in flight when the batch hands back, so every poll the batch took after the
    // message read the old value. Those reads are not someone else's change (before batch-reads-after-writes they
    // were reconciled as drift, alerted and "corrected").
    let releaseWrite = () => {};
    world.edgeWriteGate = new Promise<void>((r) => (releaseWrite = r));
    const forcedAtMs = Date.now();
    const batchesAtForce = world.batches.length;
    const forced: SurgeStatus = await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
    assert.equal(forced.tiers.find((t) => t.tier === 3)?.active, true);
    await waitFor('the batch handed back, having polled during our write', async () => world.batches.length > batchesAtForce);
    assert.ok(world.observeCalls.some((c) => c.atMs > forcedAtMs), 'the batch took no poll while our write was in flight');
    assert.notEqual(world.edgeFlags.get('chat_surge_active'), true, 'the write landed early');
    world.edgeWriteGate = null;
    releaseWrite();
    await waitFor('the flag written', async () => world.edgeFlags.get('chat_surge_active') === true, 30_000);
    const after = await waitFor('two more polls', async () => {
      const s = await status();
      return s.series.length >= on.series.length + 4 ? s : undefined;
    });
    assert.deepEqual(after.drifts ?? [], [], 'a read from before our own write was taken for drift');
    assert.ok(!world.alerts.some((a) => /changed outside the controller/.test(a.subject)), 'a false drift alert was sent');

    // Every slot sampled once: the series has no gap and no double across single polls, batches and the message.
    const times = after.series.map((p) => Date.parse(p.at));
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, POLL_SECONDS * 1000, `gap or double between ${after.series[i - 1]!.at} and ${after.series[i]!.at}`);

    // The audit log holds every poll: the batches' results list theirs (with slot and lateness), single polls are
    // local-activity markers.
    const events = (await handle.fetchHistory()).events ?? [];
    const batchIds = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollBatch').map((e) => Number(e.eventId)));
    const batchPolls = events
      .filter((e) => e.activityTaskCompletedEventAttributes && batchIds.has(Number(e.activityTaskCompletedEventAttributes.scheduledEventId)))
      .flatMap((e) => (JSON.parse(Buffer.from(e.activityTaskCompletedEventAttributes!.result!.payloads![0]!.data!).toString()) as { polls: { at: string }[] }).polls.map((p) => p.at));
    const singlePolls = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    assert.ok(batchPolls.length >= 3, `only ${batchPolls.length} polls came in batches`);
    assert.ok(batchPolls.length + singlePolls >= after.series.length, `${batchPolls.length} batched + ${singlePolls} single for ${after.series.length} polls`);

    // Ending does not wait for a batch: the event ends and restores.
    await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'test' }] });
    const result = await handle.result();
    assert.equal(result.phase, 'ended');
    assert.equal(world.edgeFlags.get('chat_surge_active'), false);
  });

  it('full batches follow each other with no timer between, and every slot is still sampled once', async () => {
    // 1 s polls standing for 30 s ones (a sandbox clock): a batch is 10 polls, 10 s.
    world.metrics = () => ({ waiting: 3, agentsAvailable: 10 });
    const startMs = Date.now() - 1_000;
    // An event whose first batch is not a single poll: a batch from slot k holds (phase - k) mod 10 polls, and the
    // run's first poll is slot 1 or 2 (1-in-10 IDs would otherwise poll singly first and fail the check below).
    let eventId = '';
    do eventId = `chained-${randomUUID().slice(0, 8)}`;
    while ([1, 2, 3, 4, 5].includes(pollBatchPhase(eventId, fullPollBatch(1, 30))));
    const config = testEventConfig({
      eventId,
      startAt: new Date(startMs).toISOString(),
      endAt: new Date(startMs + 3_600_000).toISOString(),
      pollIntervalSeconds: 1,
      simulatedTimeScale: 30,
      staleAfterSeconds: 10,
      actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] },
    });
    const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: `surge-event-${config.eventId}`, args: [{ config }] });
    const kinds = async () =>
      ((await handle.fetchHistory()).events ?? []).map((e) =>
        e.activityTaskScheduledEventAttributes ? `activity:${e.activityTaskScheduledEventAttributes.activityType?.name}` : e.timerStartedEventAttributes ? 'timer' : e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? 'single-poll' : '',
      ).filter(Boolean);
    // The run's first poll is a batch too (poll-spread), which hands back at once: this fresh world's flags row is
    // written and read back by a single poll. From then on, batches follow each other with no timer or single poll.
    const steadyFrom = (k: string[]) => k.indexOf('activity:pollBatch', k.lastIndexOf('single-poll') + 1);
    const seen = await waitFor('three batches in a row', async () => {
      const k = await kinds();
      const from = steadyFrom(k);
      return from >= 0 && k.slice(from).filter((x) => x === 'activity:pollBatch').length >= 3 ? k : undefined;
    });
    // (The scheduled wait is a timer; the queue check a local-activity marker.)
    assert.equal(seen.find((x) => x.startsWith('activity:')), 'activity:pollBatch', `the run's first poll was not batched: ${seen.join(', ')}`);
    assert.ok(seen.slice(steadyFrom(seen)).every((x) => x === 'activity:pollBatch'), `between batches: ${seen.join(', ')}`);
    // Between hand-backs, `surge status` shows the batch's newest poll from its heartbeat, ahead of the record.
    const surge = new SurgeClient(env.client, { taskQueue });
    const live = await waitFor('a live reading ahead of the recorded sample', async () => {
      const st = await surge.status(config.eventId);
      return st.livePoll && st.lastSample && Date.parse(st.livePoll.at) > Date.parse(st.lastSample.at) ? st : undefined;
    });
    assert.equal(live.livePoll?.waiting, 3);
    assert.match(formatStatus(live), /latest poll: \S+ {2}waiting 3 {2}agents available 10 {2}\(poll \d+ of a batch under way/);

    // (The first steady batch ends on the event's batch phase, so three batches may hold fewer than 20 polls.)
    const s = await waitFor('20 polls recorded', async () => {
      const st = await handle.query(statusQuery);
      return st.series.length >= 20 ? st : undefined;
    });
    const times = s.series.map((p) => Date.parse(p.at));
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 1_000, `gap or double between ${s.series[i - 1]!.at} and ${s.series[i]!.at}`);
    await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'test' }] });
    assert.equal((await handle.result()).phase, 'ended');
  });
});
