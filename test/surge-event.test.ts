// The surgeEvent workflow on the time-skipping test server: hours of polling in seconds, with recording
// fake activities. Every assertion is about what the workflow decided and what it asked the world to do.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { endEventUpdate, pauseAutomationUpdate, resumeAutomationSignal, setTierModeSignal, setTierModeUpdate, statusQuery } from '../workflows/messages';
import { flowPublish, flowPublishWorkflowId } from '../workflows/flow-publish';
import { surgeEvent, type SurgeEventInput } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import { pollPhaseOffsetMs } from '../workflows/poll-phase';
import { SURGE_PHASE, SURGE_TIER } from '../workflows/search-attributes';
import type { EventConfig, Transition } from '../workflows/types';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld, type Metrics } from './helpers/fake-world';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const MINUTE = 60_000;

describe('surgeEvent workflow (time-skipping server)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  before(async function () {
    this.timeout(180_000);
    bundle = await workflowBundle();
  });
  // A fresh server per test (it starts in well under a second): the time-skipping clock may leap ahead
  // whenever it is unlocked and idle, so one test's end must not be the next one's "now".
  beforeEach(async () => {
    env = await timeSkippingEnv();
  });
  afterEach(async () => env?.teardown());

  async function withWorker<T>(world: FakeWorld, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    return worker.runUntil(fn(taskQueue));
  }

  /** An event starting `startInMin` from the test server's now, lasting `hours`. */
  async function eventConfig(startInMin: number, hours: number, overrides: Parameters<typeof testEventConfig>[0] = {}): Promise<EventConfig> {
    const now = await env.currentTimeMs();
    const start = now + startInMin * MINUTE;
    return testEventConfig({
      eventId: `ev-${randomUUID().slice(0, 8)}`,
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + hours * 60 * MINUTE).toISOString(),
      pollIntervalSeconds: 60,
      actuators: {
        1: [{ kind: 'dataTableFlag' }],
        2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'flow-inbound', surgeVersion: '2.0', normalVersion: '1.0' }],
      },
      alerts: { recipients: ['ops@example.com'] },
      ...overrides,
    });
  }

  /** A surge between two minutes of the event (waiting 300, 2 agents), calm otherwise. */
  function surgeBetween(config: EventConfig, fromMin: number, toMin: number): (atMs: number) => Metrics {
    const start = Date.parse(config.startAt);
    return (atMs) => {
      const m = (atMs - start) / MINUTE;
      return m >= fromMin && m < toMin ? { waiting: 300, agentsAvailable: 2 } : { waiting: 10, agentsAvailable: 20 };
    };
  }

  /**
   * Minutes into the event. A rule fires on a poll, and polls fall on the event's own phase of the interval
   * (workflows/poll-phase.ts), so a rule's minute counts from the first poll; anything else from the start.
   */
  const minuteOf = (config: EventConfig, t: Transition) =>
    (Date.parse(t.at) - Date.parse(config.startAt) - (t.cause === 'rule' ? pollPhaseOffsetMs(config.eventId, config.pollIntervalSeconds) : 0)) / MINUTE;
  const start = (taskQueue: string, input: SurgeEventInput) =>
    env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(input.config.eventId), args: [input] });

  it('runs a 4-hour event in seconds: tiers activate and restore at the right simulated times, then it ends and restores', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(5, 4);
    world.metrics = surgeBetween(config, 30, 120);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      const result = await handle.result();
      assert.match(result.endedReason, /event end time reached/);
      const status = await handle.query(statusQuery);
      assert.equal(status.phase, 'ended');
      const moves = status.transitions.map((t) => ({ tier: t.tier, to: t.to, minute: Math.round(minuteOf(config, t)) }));
      // Tier 2: 3rd consecutive poll past both bounds (minute 32). Tier 1: 10 min sustained (minute 40).
      // Both restore once waiting < 50 has held 5 min (minute 125).
      assert.deepEqual(moves, [
        { tier: 2, to: true, minute: 32 },
        { tier: 1, to: true, minute: 40 },
        { tier: 1, to: false, minute: 125 },
        { tier: 2, to: false, minute: 125 },
      ]);
      assert.deepEqual(world.publishCalls, [
        { flowId: 'flow-inbound', version: '2.0' },
        { flowId: 'flow-inbound', version: '1.0' },
      ]);
      assert.deepEqual(
        world.flagRows.map((r) => [r.tier1Active, r.tier2Active]),
        [[false, false], [false, true], [true, true], [false, false]],
      );
      assert.equal(world.flagRows[1]?.key, 'surge-' + config.eventId);
      assert.equal(world.flagRows[1]?.waiting, 300);
      assert.deepEqual([...world.edgeFlags.entries()].sort(), [['chat_fallback_active', false], ['chat_surge_active', false]]);
      assert.deepEqual(world.supportStatuses.map((s) => s.level), ['ok'], 'the fallback page status is set once, at the start');
      assert.equal(world.alerts.filter((a) => a.kind === 'transition').length, 4);
      const description = await handle.describe();
      assert.equal(description.typedSearchAttributes.get(SURGE_PHASE), 'ended');
      assert.equal(description.typedSearchAttributes.get(SURGE_TIER), 0);
    });
  });

  it('continues as new and carries tiers, streaks, modes and transitions intact', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 2);
    world.metrics = surgeBetween(config, 0, 60);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config, continueAsNewAfterEvents: 80 });
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved at the opening rush', by: 'alice' }] });
      const result = await handle.result();
      assert.ok(result.runs >= 5, `expected several runs, got ${result.runs}`);
      const status = await handle.query(statusQuery);
      const moves = status.transitions.map((t) => [t.tier, t.to, t.cause, Math.round(minuteOf(config, t))]);
      // Tier 1's 10-minute window spans several runs: it only fires on time if its streak was carried.
      assert.deepEqual(moves, [
        [3, true, 'operator', 0],
        [2, true, 'rule', 2],
        [1, true, 'rule', 10],
        [1, false, 'rule', 65],
        [2, false, 'rule', 65],
        [3, false, 'event-end', 120],
      ]);
      assert.equal(status.tiers[2]?.mode, 'on', 'the operator mode survived every continue-as-new');
      assert.equal(status.transitions[0]?.reason, 'approved at the opening rush');
      assert.deepEqual(world.publishCalls.map((c) => c.version), ['2.0', '1.0'], 'applied actuators were carried: no republish after a new run');
    });
  });

  it('does not continue as new once no poll is left before the end: the last run has polls of its own', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 0.25, { pollIntervalSeconds: 60 });
    await withWorker(world, async (taskQueue) => {
      // Due after every poll: each run takes one poll (the fakes' batches take one), then continues as new.
      const handle = await start(taskQueue, { config, continueAsNewAfterEvents: 1 });
      const result = await handle.result();
      assert.ok(result.runs >= 10, `expected a run per poll, got ${result.runs}`);
      // The last run began before the last slot and polled: the world saw a poll from it.
      const lastRun = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: bundle }, lastRun);
      const first = (lastRun.events ?? [])[0]!;
      const lastRunFromMs = Number(first.eventTime!.seconds) * 1000 + Math.floor((first.eventTime!.nanos ?? 0) / 1e6);
      const lastPollMs = Math.max(...world.observeCalls.filter((c) => c.metrics).map((c) => c.atMs));
      assert.ok(lastPollMs >= lastRunFromMs, `the last run (from ${new Date(lastRunFromMs).toISOString()}) only waited for the end; the last poll was at ${new Date(lastPollMs).toISOString()}`);
    });
  });

  it('takes overrides as Updates and as Signals, and rejects an invalid Update with its reason and no trace', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 8);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      const afterForce = await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 2, mode: 'on', reason: 'pre-emptive', by: 'alice' }] });
      assert.equal(afterForce.tiers[1]?.active, true);
      assert.equal(afterForce.tiers[1]?.mode, 'on');
      assert.equal(afterForce.tiers[0]?.active, false, 'forcing tier 2 never moves tier 1');

      await assert.rejects(
        handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 7 as 1, mode: 'on', reason: 'x', by: 'alice' }] }),
        (err: unknown) => err instanceof WorkflowUpdateFailedError && /tier: must be 1, 2, 3 or 4, got 7/.test(String((err.cause as Error)?.message)),
      );
      await assert.rejects(
        handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 1, mode: 'on', reason: ' ', by: 'alice' }] }),
        (err: unknown) => err instanceof WorkflowUpdateFailedError && /reason: a non-empty reason is required/.test(String((err.cause as Error)?.message)),
      );

      await handle.signal(setTierModeSignal, { tier: 1, mode: 'sideways' as 'on', reason: 'bad', by: 'bob' });
      await handle.signal(setTierModeSignal, { tier: 1, mode: 'on', reason: 'by signal', by: 'bob' });
      await waitFor(async () => (await handle.query(statusQuery)).tiers[0]?.active === true);
      const afterSignal = await handle.query(statusQuery);
      assert.equal(afterSignal.tiers[0]?.mode, 'on');
      assert.equal(afterSignal.transitions.at(-1)?.reason, 'by signal');
      assert.equal(afterSignal.transitions.length, 2, 'the invalid signal changed nothing');

      await handle.executeUpdate(pauseAutomationUpdate, { args: [{ reason: 'investigating', by: 'alice' }] });
      await assert.rejects(
        handle.executeUpdate(pauseAutomationUpdate, { args: [{ reason: 'again', by: 'bob' }] }),
        (err: unknown) => err instanceof WorkflowUpdateFailedError && /already paused: investigating \(alice\)/.test(String((err.cause as Error)?.message)),
      );
      await handle.signal(resumeAutomationSignal, { by: 'alice' });
      await waitFor(async () => !(await handle.query(statusQuery)).automationPaused);

      await waitFor(() => world.publishCalls.length === 1);
      const ended = await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'sale cancelled', by: 'alice' }] });
      assert.equal(ended.endedReason, 'sale cancelled');
      const result = await handle.result();
      assert.match(result.endedReason, /sale cancelled \(alice\)/);
      const final = await handle.query(statusQuery);
      assert.ok(final.tiers.every((t) => !t.active));
      assert.deepEqual(world.publishCalls.map((c) => c.version), ['2.0', '1.0']);

      // Rejected Updates leave no trace: only the three accepted ones appear in history.
      const history = await handle.fetchHistory();
      const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
      assert.equal(accepted.length, 3);
      assert.ok(!JSON.stringify(history).includes('got 7'));
    });
  });

  it('an unknown queue ID started straight through Temporal never turns on the fallback page; status names the queue', async () => {
    const world = new FakeWorld();
    world.unknownQueues.add('q-does-not-exist');
    const config = await eventConfig(0, 1, { queueIds: ['q-sales', 'q-does-not-exist'] });
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await handle.result();
      const status = await handle.query(statusQuery);
      assert.deepEqual(status.transitions.filter((t) => t.tier === 4), [], 'tier 4 never moved');
      assert.equal(world.edgeFlagWrites.some((w) => w.key === 'chat_fallback_active' && w.value), false, 'the fallback page never went on');
      assert.equal(world.metricCalls, 0, 'no metrics trusted from a config naming an unknown queue');
      assert.ok(world.verifyCalls >= 50, 'checked every poll until fixed');
      const last = status.lastSample;
      assert.ok(last && !last.ok && last.failureClass === 'controller', JSON.stringify(last));
      assert.match(last.error, /q-does-not-exist/);
      assert.doesNotMatch(last.error, /q-sales/);
      assert.equal(status.health.consecutiveFailures, 0, 'tier 4 is not counting');
      const alerts = world.alerts.filter((a) => /controller misconfigured/.test(a.subject));
      assert.equal(alerts.length, 1, 'one alert, not one per poll');
      assert.match(alerts[0]!.body, /q-does-not-exist/);
    });
  });

  it('starts at its first poll slot, verifies queues inside that poll, and takes an override from the start itself', async () => {
    const world = new FakeWorld();
    // An event whose poll phase is well into the minute, so the start and its first slot are apart.
    let config = await eventConfig(5, 1);
    for (let i = 0; pollPhaseOffsetMs(config.eventId, 60) < 20_000; i++) config = { ...config, eventId: `ev-late-phase-${i}` };
    const startMs = Date.parse(config.startAt);
    const firstSlotMs = startMs + pollPhaseOffsetMs(config.eventId, 60);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      const override = { tier: 3 as const, mode: 'on' as const, reason: 'doors open', by: 'alice' };
      await assert.rejects(handle.executeUpdate(setTierModeUpdate, { args: [override] }), (err: unknown) => err instanceof WorkflowUpdateFailedError && /has not started yet/.test(String((err.cause as Error)?.message)));

      await env.sleep(startMs - (await env.currentTimeMs()) + 1_000); // started, its first slot still ahead
      assert.equal((await handle.query(statusQuery)).phase, 'scheduled', 'active only from its first poll');
      assert.equal(world.observeCalls.length, 0);
      const status = await handle.executeUpdate(setTierModeUpdate, { args: [override] });
      assert.equal(status.tiers.find((t) => t.tier === 3)?.active, true);
      await waitFor(() => world.edgeFlags.get('chat_surge_active') === true);
      const now = await env.currentTimeMs();
      assert.ok(now < firstSlotMs, 'acted before the first poll slot, not at it');
      assert.equal((await handle.query(statusQuery)).phase, 'active');
      // It read before it wrote (an operator's message before the first poll is acted on what is observed).
      assert.ok(world.observeCalls[0] && world.observeCalls[0].atMs < firstSlotMs);

      await env.sleep(firstSlotMs - now + 1_000);
      await waitFor(() => world.observeCalls.some((c) => c.metrics && c.atMs === firstSlotMs));
      assert.ok(world.verifyCalls >= 1, 'queues verified');
      const history = await handle.fetchHistory();
      const activities = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      assert.ok(!activities.includes('verifyQueues'), `the queue check took an activity task of its own: ${activities.join(', ')}`);
      await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'alice' }] });
      assert.equal((await handle.result()).phase, 'ended');
    });
  });

  it('validates its input with the one schema inside the workflow sandbox (zod): a bad config fails naming each field, nothing polled', async () => {
    const world = new FakeWorld();
    const good = await eventConfig(0, 1);
    const config = { ...good, dryRun: 'no', queueIds: ['q-sales', ' q-sales'], modes: { 1: 'bogus' } } as unknown as EventConfig;
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      const err = await handle.result().then(() => null, (e: unknown) => e);
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
      assert.equal(err.cause.type, 'InvalidEventConfig');
      for (const field of [/dryRun: /, /queueIds\.1: must not be blank/, /modes\.1: /]) assert.match(err.cause.message, field);
      assert.equal(world.metricCalls + world.verifyCalls, 0);
    });
  });

  it('a 60 s Retry-After holds every tier and resumes without calling Genesys while limited (no failed sample, no alert)', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 1, { pollIntervalSeconds: 30 });
    // The poll at minute 10 gets a 429 with Retry-After: 60.
    const limitedAt = Date.parse(config.startAt) + 10 * MINUTE;
    world.rateLimitAt = limitedAt;
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await handle.result();
      const status = await handle.query(statusQuery);
      assert.equal(world.rateLimitedCalls, 1, 'one call was limited');
      const metricPolls = world.observeCalls.filter((c) => c.metrics).map((c) => c.atMs);
      const limited = metricPolls.find((t) => t >= limitedAt)!;
      const next = metricPolls.find((t) => t > limited)!;
      assert.ok(next - limited >= 60_000, `the next metrics call came ${next - limited} ms after the limited one (Retry-After 60 s)`);
      assert.ok(next - limited <= 60_000 + 30_000, 'and polling resumed at the first poll after the wait');
      assert.deepEqual(status.transitions, [], 'nothing moved');
      assert.equal(status.health.consecutiveFailures, 0, 'a rate limit is not an outage');
      assert.equal(world.alerts.some((a) => a.kind === 'metrics'), false, 'no metrics alert for a rate limit');
    });
  });

  it('dry run decides and records everything and calls no actuator', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 3, { dryRun: true });
    world.metrics = surgeBetween(config, 10, 90);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await handle.result();
      const status = await handle.query(statusQuery);
      assert.equal(status.transitions.length, 4);
      assert.deepEqual(world.publishCalls, []);
      assert.deepEqual(world.flagRows, []);
      assert.deepEqual(world.edgeFlagWrites, []);
      assert.ok(status.actuations.length > 0 && status.actuations.every((a) => a.outcome === 'dry-run'));
      assert.ok(world.alerts.some((a) => /DRY RUN/.test(a.body)), 'operators are told nothing was called');
    });
  });

  it('a second start of a running event is refused', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(60, 1);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await assert.rejects(start(taskQueue, { config }), WorkflowExecutionAlreadyStartedError);
      await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'test' }] });
      await handle.result();
    });
  });

  it('two concurrent publishes of one flow make exactly one publish call', async () => {
    const world = new FakeWorld();
    let release!: () => void;
    world.publishGate = new Promise<void>((r) => (release = r));
    await withWorker(world, async (taskQueue) => {
      const workflowId = flowPublishWorkflowId('flow-shared');
      const first = await env.client.workflow.start(flowPublish, { taskQueue, workflowId, args: [{ flowId: 'flow-shared', version: '2.0', requestedBy: 'a' }] });
      await waitFor(() => world.publishCalls.length === 1);
      await assert.rejects(
        env.client.workflow.start(flowPublish, { taskQueue, workflowId, args: [{ flowId: 'flow-shared', version: '2.0', requestedBy: 'b' }] }),
        WorkflowExecutionAlreadyStartedError,
      );
      release();
      assert.deepEqual(await first.result(), { flowId: 'flow-shared', version: '2.0', alreadyPublished: false });
      assert.equal(world.publishCalls.length, 1);
    });
  });

  it('two events driving one flow at once publish it once, and both end up applied', async () => {
    const world = new FakeWorld();
    let release!: () => void;
    world.publishGate = new Promise<void>((r) => (release = r));
    await withWorker(world, async (taskQueue) => {
      const a = await start(taskQueue, { config: await eventConfig(0, 8) });
      const b = await start(taskQueue, { config: await eventConfig(0, 8) });
      // Each reads on its first poll, at its own phase inside the first minute: skip there.
      await env.sleep('1 minute');
      // Let both first reconciles (which confirm the normal version) finish, so only our forcing races.
      const flowChecked = async (h: typeof a) => (await h.query(statusQuery)).actuators?.some((x) => x.id === 'tier2:flow:flow-inbound' && x.observed === '1.0') === true;
      await waitFor(async () => (await flowChecked(a)) && (await flowChecked(b)));
      await a.executeUpdate(setTierModeUpdate, { args: [{ tier: 2, mode: 'on', reason: 'a', by: 'alice' }] });
      await waitFor(() => world.publishCalls.length === 1);
      await b.executeUpdate(setTierModeUpdate, { args: [{ tier: 2, mode: 'on', reason: 'b', by: 'bob' }] });
      await waitFor(async () => (await b.query(statusQuery)).actuations.some((x) => x.outcome === 'busy'));
      release();
      await waitFor(async () => (await a.query(statusQuery)).tiers[1]?.applied === true);
      // b reconciles on its next poll (time is skipped while we wait on the result of a short sleep).
      await env.sleep('2 minutes');
      await waitFor(async () => (await b.query(statusQuery)).tiers[1]?.applied === true);
      assert.deepEqual(world.publishCalls, [{ flowId: 'flow-inbound', version: '2.0' }]);
      for (const h of [a, b]) await h.executeUpdate(endEventUpdate, { args: [{ reason: 'done', by: 'test' }] });
      world.publishGate = null;
      // One at a time: each result() unlocks and relocks the test server's clock, and overlapping calls unbalance it.
      await a.result();
      await b.result();
    });
  });

  it('a failing actuator is retried on the next poll and alerted once, never lost', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(0, 8);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      // To just after the first poll (its phase inside the first minute), so the next is most of a minute away.
      await env.sleep(pollPhaseOffsetMs(config.eventId, config.pollIntervalSeconds) + 1_000);
      await waitFor(() => world.edgeFlagWrites.length === 2); // both flags written off at the first poll
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 4, mode: 'on', reason: 'origin down', by: 'alice' }] });
      await waitFor(() => world.edgeFlags.get('chat_fallback_active') === true);
      assert.equal(world.supportStatuses.at(-1)?.level, 'outage', 'the fallback page says why before it goes live');
      world.failEdgeWrites = 5; // this poll's three attempts fail; the next poll's third attempt succeeds
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
      // The activity's retry backoff runs on the server's clock: skip through it (less than one poll).
      await env.sleep('20 seconds');
      await waitFor(async () => (await handle.query(statusQuery)).actuations.some((a) => a.outcome === 'failed'));
      const failing = await handle.query(statusQuery);
      assert.equal(failing.tiers[2]?.applied, null, 'not applied while failing');
      await env.sleep('2 minutes');
      await waitFor(() => world.edgeFlags.get('chat_surge_active') === true);
      await waitFor(async () => (await handle.query(statusQuery)).tiers[2]?.applied === true);
      const failureAlerts = world.alerts.filter((a) => a.kind === 'actuator-failure');
      assert.equal(failureAlerts.length, 2, 'one raised, one recovered');
      assert.match(failureAlerts[0]?.subject ?? '', /actuator failing/);
      await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'done', by: 'test' }] });
      await handle.result();
    });
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()} ${explain ? await explain() : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
