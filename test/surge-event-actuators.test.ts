// The surgeEvent workflow's actuators on the time-skipping server: drift is observed and corrected, the end
// really restores (or says loudly what it could not), tier 4 restores in the safe order, and a down mail
// server never holds the poll loop. Fake activities stand in for the platforms (test/helpers/fake-world.ts);
// the observe activity itself is the real one over the fake's reads.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { formatStatus } from '../client/format-status';
import { setTierModeUpdate, statusQuery } from '../workflows/messages';
import { surgeEvent, type SurgeEventInput } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import { pollPhaseOffsetMs } from '../workflows/poll-phase';
import { SURGE_PHASE } from '../workflows/search-attributes';
import type { EventConfig } from '../workflows/types';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const MINUTE = 60_000;
const KV = 'tier3:kv:chat_surge_active';
const FLOW = 'tier2:flow:flow-inbound';
const DEP = 'tier3:deployment:dep-web';
const ROW = 'flags-row';

describe('surgeEvent actuators: observed state, ending, alerts (time-skipping server)', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  before(async function () {
    this.timeout(180_000);
    bundle = await workflowBundle();
  });
  beforeEach(async () => {
    env = await timeSkippingEnv();
  });
  afterEach(async () => env?.teardown());

  async function withWorker<T>(world: FakeWorld, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    return worker.runUntil(fn(taskQueue));
  }

  async function eventConfig(hours: number, overrides: Parameters<typeof testEventConfig>[0] = {}): Promise<EventConfig> {
    const start = await env.currentTimeMs();
    return testEventConfig({
      eventId: `ev-${randomUUID().slice(0, 8)}`,
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + hours * 60 * MINUTE).toISOString(),
      pollIntervalSeconds: 60,
      actuators: {
        1: [{ kind: 'dataTableFlag' }],
        2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'flow-inbound', surgeVersion: '2.0', normalVersion: '1.0' }],
        3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }, { kind: 'messengerDeployment', deploymentId: 'dep-web', surgeConfigurationVersion: '7', normalConfigurationVersion: '6' }],
      },
      alerts: { recipients: ['ops@example.com'] },
      ...overrides,
    });
  }
  const start = (taskQueue: string, input: SurgeEventInput) =>
    env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(input.config.eventId), args: [input] });

  it('drift on each actuator kind is re-asserted within 2 polls, recorded with the observed value, and alerted once', async () => {
    const world = new FakeWorld();
    world.deploymentVersions.set('dep-web', '6');
    const config = await eventConfig(8);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
      await waitFor(async () => (await handle.query(statusQuery)).actuators?.every((a) => a.inLine) === true);
      assert.equal(world.edgeFlags.get('chat_surge_active'), true);
      assert.equal(world.deploymentVersions.get('dep-web'), '7');

      // Someone else changes all four behind the controller's back.
      world.edgeFlags.set('chat_surge_active', false);
      world.publishedVersion.set('flow-inbound', '3.0');
      world.deploymentVersions.set('dep-web', '6');
      world.flagRows.push({ ...world.flagsRow(`surge-${config.eventId}`)!, tier3Active: false, updatedAt: 'someone' });
      const pollsBefore = world.observeCalls.filter((c) => c.metrics).length;
      await env.sleep('2 minutes');
      await waitFor(
        () =>
          world.edgeFlags.get('chat_surge_active') === true &&
          world.publishedVersion.get('flow-inbound') === '1.0' &&
          world.deploymentVersions.get('dep-web') === '7' &&
          world.flagsRow(`surge-${config.eventId}`)?.tier3Active === true,
      );
      assert.ok(world.observeCalls.filter((c) => c.metrics).length - pollsBefore <= 2, 'corrected within 2 polls');

      const status = await handle.query(statusQuery);
      assert.deepEqual(
        status.drifts?.map((d) => [d.actuator, d.observed]).sort(),
        [
          [ROW, '0000'],
          [FLOW, '3.0'],
          [DEP, '6'],
          [KV, 'false'],
        ],
      );
      // The history holds the observation with the value someone else set (the audit record).
      const history = await handle.fetchHistory();
      // The observe step is a local activity: its result is in the marker it recorded.
      const results = (history.events ?? [])
        .flatMap((e) => [...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []), ...Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) => d.payloads ?? [])])
        .map((p) => Buffer.from(p.data ?? []).toString());
      assert.ok(results.some((r) => r.includes(`"${FLOW}":{"ok":true,"value":"3.0"}`)), 'the observed flow version is in history');

      await env.sleep('3 minutes');
      const driftAlerts = world.alerts.filter((a) => /changed outside the controller/.test(a.subject));
      assert.deepEqual(driftAlerts.map((a) => a.subject.split(' ')[0]).sort(), [ROW, FLOW, DEP, KV], 'one alert per drift, not one per poll');
      assert.ok((await handle.query(statusQuery)).actuators?.every((a) => !a.drift && a.inLine));
    });
  });

  it('forcing a tier to the state it already has re-checks and re-asserts its actuators at once', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(8);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      await env.sleep(pollPhaseOffsetMs(config.eventId, config.pollIntervalSeconds) + 1_000); // just after the first poll
      // The first poll asserts both KV flags' normal values in this empty world (at least those two writes).
      await waitFor(() => world.edgeFlagWrites.length >= 2, 30_000, () => `edge flag writes ${JSON.stringify(world.edgeFlagWrites)}, batches ${JSON.stringify(world.batches)}`);
      world.edgeFlags.set('chat_surge_active', true); // someone turned the stub on
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'off', reason: 'make sure it is off', by: 'alice' }] });
      await waitFor(() => world.edgeFlags.get('chat_surge_active') === false);
      assert.equal(world.observeCalls.filter((c) => c.metrics).length, 1, 'without waiting for the next poll');
      assert.ok(world.observeCalls.at(-1)?.reads.includes(FLOW), 'the re-check reads the Genesys actuators too');
    });
  });

  it('ending: an override is refused with its reason; a permanently failing actuator ends with failures, loudly, across continue-as-new, within bounded history', async () => {
    const world = new FakeWorld();
    world.deploymentVersions.set('dep-web', '6');
    const config = await eventConfig(0.5);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config, continueAsNewAfterEvents: 60 });
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 2, mode: 'on', reason: 'pre-emptive', by: 'alice' }] });
      await waitFor(() => world.publishedVersion.get('flow-inbound') === '2.0');
      world.failPublishes = true; // the flow can no longer be published back
      await env.sleep('31 minutes');
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'ending');
      await assert.rejects(
        handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'late rush', by: 'bob' }] }),
        (err: unknown) => err instanceof WorkflowUpdateFailedError && /the event is ending .*overrides are refused/.test(String((err.cause as Error)?.message)),
      );
      assert.equal((await handle.describe()).typedSearchAttributes.get(SURGE_PHASE), 'ending');

      const result = await handle.result();
      assert.equal(result.phase, 'ended-with-failures');
      assert.ok(result.runs >= 2, `the restore loop survived continue-as-new (${result.runs} runs)`);
      const status = await handle.query(statusQuery);
      assert.equal(status.phase, 'ended-with-failures');
      assert.deepEqual(status.endingFailures?.map((f) => [f.actuator, f.observed]), [[FLOW, '2.0']]);
      assert.match(status.endingFailures?.[0]?.fix ?? '', /publish version 1\.0/);
      // What `surge status` prints: the actuator table and the manual fix.
      const printed = formatStatus(status);
      assert.match(printed, new RegExp(`NOT RESTORED[^]*${FLOW}: .*publish version 1\\.0`));
      assert.match(printed, /tier3:kv:chat_surge_active\s+false\s+false\s+in line/);
      assert.equal(world.edgeFlags.get('chat_surge_active'), false, 'the other actuators were restored');
      const loud = world.alerts.find((a) => /NOT RESTORED/.test(a.subject));
      assert.ok(loud, 'a loud alert');
      assert.match(loud.body, new RegExp(`${FLOW}: reads "2.0".*Fix by hand: .*publish version 1\\.0`));
      assert.equal((await handle.describe()).typedSearchAttributes.get(SURGE_PHASE), 'ended-with-failures');
      const history = await handle.fetchHistory();
      assert.ok((history.events?.length ?? 0) < 4_096, `history of the last run: ${history.events?.length} events`);
      assert.ok(world.publishCalls.length <= 1 + 8 + 1, `bounded restore attempts, got ${world.publishCalls.length} publish calls`);
    });
  });

  it('tier 4 activates status-first and restores the flag first, the normal status after', async () => {
    const world = new FakeWorld();
    const config = await eventConfig(8);
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config });
      // To just after the first poll (at the event's phase inside the first interval), which sets both flags off.
      await env.sleep(pollPhaseOffsetMs(config.eventId, config.pollIntervalSeconds) + 1_000);
      await waitFor(() => world.edgeFlagWrites.length === 2 && world.supportStatuses.length === 1);
      world.sideEffects.length = 0;
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 4, mode: 'on', reason: 'origin down', by: 'alice' }] });
      await waitFor(() => world.edgeFlags.get('chat_fallback_active') === true);
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 4, mode: 'off', reason: 'origin back', by: 'alice' }] });
      await waitFor(() => world.sideEffects.length === 4);
      assert.deepEqual(world.sideEffects, ['support_status=outage', 'chat_fallback_active=true', 'chat_fallback_active=false', 'support_status=ok']);
    });
  });

  it('with SMTP down through a multi-run event, continue-as-new leaves no poll gap over 1.5 poll intervals', async () => {
    const world = new FakeWorld();
    world.failAlerts = true;
    const config = await eventConfig(2);
    const startMs = Date.parse(config.startAt);
    // A surge that moves tiers (and so raises alerts) again and again.
    world.metrics = (atMs) => (Math.floor((atMs - startMs) / (20 * MINUTE)) % 2 === 0 ? { waiting: 300, agentsAvailable: 2 } : { waiting: 5, agentsAvailable: 20 });
    await withWorker(world, async (taskQueue) => {
      const handle = await start(taskQueue, { config, continueAsNewAfterEvents: 150 });
      const result = await handle.result();
      assert.ok(result.runs >= 3, `expected several runs, got ${result.runs}`);
      const polls = world.observeCalls.filter((c) => c.metrics).map((c) => c.atMs);
      const gaps = polls.slice(1).map((t, i) => t - polls[i]!);
      assert.ok(Math.max(...gaps) <= 1.5 * config.pollIntervalSeconds * 1000, `largest gap between polls ${Math.max(...gaps) / 1000} s`);
      assert.ok(polls.length >= 100, `polled all along: ${polls.length} polls`);
    });
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000, state?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}${state ? ` (${state()})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
