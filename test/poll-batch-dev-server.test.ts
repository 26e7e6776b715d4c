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
import { pollBatchPhase, pollPhaseOffsetMs } from '../workflows/poll-phase';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { seedNormal } from './helpers/seed-world';
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
  let bundle: Awaited<ReturnType<typeof workflowBundle>>;
  let worker: Worker;
  let workerRun: Promise<void>;
  const world = new FakeWorld();
  const taskQueue = `poll-batch-${randomUUID()}`;

  before(async function () {
    this.timeout(180_000);
    [env, bundle] = await Promise.all([devServerEnv(), workflowBundle()]);
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
  it('sets up its first batch one interval before its first slot: that poll is on its slot with no task there, status shows it live, an override before it reads first', async () => {
    // A world of its own, already in service (every actuator normal), so a calm first batch runs on.
    const calm = new FakeWorld();
    calm.batchWaits = true;
    calm.metrics = () => ({ waiting: 3, agentsAvailable: 10 });
    seedNormal(calm);
    const ownQueue = `poll-batch-ahead-${randomUUID()}`;
    const ownWorker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue: ownQueue, activities: calm.activities() });
    // An event ID whose first slot is `offset` after the start and whose first batch holds at least 10 polls.
    const pickEventId = (prefix: string, offset: (ms: number) => boolean) => {
      for (;;) {
        const id = `${prefix}-${randomUUID().slice(0, 8)}`;
        const phase = pollBatchPhase(id, fullPollBatch(POLL_SECONDS, 1));
        if (offset(pollPhaseOffsetMs(id, POLL_SECONDS)) && (phase === 0 || phase >= 10)) return id;
      }
    };
    const startEvent = async (eventId: string, startMs: number) => {
      const config = testEventConfig({
        eventId,
        startAt: new Date(startMs).toISOString(),
        endAt: new Date(startMs + 3_600_000).toISOString(),
        pollIntervalSeconds: POLL_SECONDS,
        actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] },
      });
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue: ownQueue, workflowId: `surge-event-${eventId}`, args: [{ config }] });
      return { handle, firstSlotMs: startMs + pollPhaseOffsetMs(eventId, POLL_SECONDS) };
    };
    type Handle = Awaited<ReturnType<typeof startEvent>>['handle'];
    const events = async (h: Handle) => (await h.fetchHistory()).events ?? [];
    const tsOf = (e: { eventTime?: { seconds?: unknown; nanos?: number | null } | null }) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
    const batchScheduledAt = async (h: Handle) => {
      const e = (await events(h)).find((x) => x.activityTaskScheduledEventAttributes?.activityType?.name === 'pollBatch');
      return e ? tsOf(e) : undefined;
    };

    const endAndReplay = async (h: Handle) => {
      await h.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'test' }] });
      assert.equal((await h.result()).phase, 'ended');
      // The path through a batch set up ahead (adopted at the slot, or after an override) replays deterministically.
      await Worker.runReplayHistory({ workflowBundle: bundle }, await h.fetchHistory());
    };

    await ownWorker.runUntil(async () => {
      // A: no message. Its first slot is at most 2 s after the start, so its batch is set up 3 s or more before it.
      const a = await startEvent(pickEventId('ahead', (ms) => ms <= 2_000), Date.now() + 6_000);
      const aStartMs = a.firstSlotMs - pollPhaseOffsetMs(a.handle.workflowId.replace('surge-event-', ''), POLL_SECONDS);
      const scheduledAt = await waitFor('the first batch set up', () => batchScheduledAt(a.handle), 30_000);
      assert.ok(scheduledAt < aStartMs, `the first batch was set up at ${new Date(scheduledAt).toISOString()}, not before the start ${new Date(aStartMs).toISOString()}`);
      const aEvents = await events(a.handle);
      const queueCheck = aEvents.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
      const batch = aEvents.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'pollBatch');
      assert.ok(queueCheck >= 0 && queueCheck < batch, 'the queue check (a local activity) did not come before the batch');
      // Its first poll is the batch's, taken on its slot, with no workflow task there: the run records it (and turns
      // active) when the batch hands back. Meanwhile `surge status` shows the event active with that live poll.
      await waitFor('the first poll', async () => calm.observeCalls.some((c) => c.metrics && c.atMs === a.firstSlotMs), 30_000);
      const surge = new SurgeClient(env.client, { taskQueue: ownQueue });
      const shown = await waitFor('the live first poll', async () => {
        const st = await surge.status(a.handle.workflowId.replace('surge-event-', ''));
        return st.livePoll ? st : undefined;
      }, 30_000);
      assert.equal(shown.phase, 'active', `surge status shows ${shown.phase} while the first batch polls`);
      assert.equal(shown.livePoll?.at, new Date(a.firstSlotMs).toISOString());
      const recorded = await a.handle.query(statusQuery);
      assert.equal(recorded.series.length, 0, 'the first batch handed back already: nothing above was tested');
      assert.equal(recorded.phase, 'scheduled');
      const slotTasks = (await events(a.handle)).filter((e) => e.workflowTaskScheduledEventAttributes && tsOf(e) >= a.firstSlotMs);
      assert.deepEqual(slotTasks, [], 'a workflow task ran at or after the first slot while the batch polled');
      assert.equal(calm.observeCalls.filter((c) => c.metrics && c.atMs < a.firstSlotMs).length, 0, 'polled before its first slot');
      // (Ended before B starts: the two would share the KV flag, which claims prevent outside this test.)
      await endAndReplay(a.handle);

      // B: an override after the start, before the first slot (3.5 s or more after the start). It reads every
      // actuator, then writes, at once; the batch's first poll still lands on its slot and counts, with no drift.
      const bId = pickEventId('ahead-override', (ms) => ms >= 3_500);
      const b = await startEvent(bId, Date.now() + 6_000);
      const bStartMs = b.firstSlotMs - pollPhaseOffsetMs(bId, POLL_SECONDS);
      await waitFor('the first batch set up', () => batchScheduledAt(b.handle), 30_000);
      await new Promise((r) => setTimeout(r, Math.max(0, bStartMs + 250 - Date.now()))); // the start has passed
      const readsBefore = calm.observeCalls.length;
      await b.handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'doors open', by: 'alice' }] });
      await waitFor('the flag written', async () => calm.edgeFlags.get('chat_surge_active') === true, 30_000);
      assert.equal((await b.handle.query(statusQuery)).phase, 'active', 'an override after the start starts the event at once');
      const read = calm.observeCalls.slice(readsBefore).find((c) => !c.metrics);
      assert.ok(read && read.atMs < b.firstSlotMs && read.reads.includes('tier3:kv:chat_surge_active'), 'the override wrote without reading first');
      const after = await waitFor('two polls recorded', async () => {
        const st = await b.handle.query(statusQuery);
        return st.series.length >= 2 ? st : undefined;
      }, 60_000);
      assert.equal(Date.parse(after.series[0]!.at), b.firstSlotMs, 'the first poll was not on its slot');
      assert.deepEqual(after.drifts ?? [], [], 'our own write was taken for drift');
      assert.equal(calm.edgeFlagWrites.filter((w) => w.key === 'chat_surge_active' && w.value).length, 1, 'the flag was written more than once');

      await endAndReplay(b.handle);
    });
  });
});
