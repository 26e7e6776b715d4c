// The surgeEvent workflow with `leading` settings, on the time-skipping server with recording fakes: the leading
// read rides on each poll, a bot ramp brings tiers on early, and a failing leading read only leaves the
// lagging rules in charge.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { statusQuery } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import type { EventConfig } from '../workflows/types';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const MINUTE = 60_000;
const LEADING = { agentConcurrency: 3, handleTimeSeconds: 720, botFlowId: 'flow-bot', botConcurrencyLimit: 500 };

describe('surgeEvent with leading signals (time-skipping server)', function () {
  this.timeout(120_000);
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

  async function run(world: FakeWorld, config: EventConfig) {
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config }] });
      await handle.result();
      return handle.query(statusQuery);
    });
  }

  async function config(): Promise<EventConfig> {
    const now = await env.currentTimeMs();
    return testEventConfig({
      eventId: `ev-${randomUUID().slice(0, 8)}`,
      startAt: new Date(now).toISOString(),
      endAt: new Date(now + 30 * MINUTE).toISOString(),
      pollIntervalSeconds: 30,
      leading: LEADING,
    });
  }

  it('reads the leading signals each poll and activates tiers 1 and 2 early on a bot ramp, with the forecast in the series', async () => {
    const cfg = await config();
    const world = new FakeWorld();
    const rampAt = Date.parse(cfg.startAt) + 5 * MINUTE;
    // 90 sessions, then +150 a poll from minute 5.
    world.leading = (atMs) => ({ offeredPerMinute: 35, offeredTrendPerMinute: 0, botSessions: atMs < rampAt ? 90 : Math.min(500, 90 + 150 * Math.floor((atMs - rampAt) / 30_000 + 1)) });
    const status = await run(world, cfg);
    assert.ok(world.leadingCalls.length >= world.metricCalls - 1 && world.leadingCalls.length > 0);
    assert.deepEqual(world.leadingCalls[0], { at: world.leadingCalls[0].at, windowSeconds: 300, botFlowId: 'flow-bot' });
    const t1 = status.transitions.find((t) => t.tier === 1 && t.to);
    assert.ok(t1, 'tier 1 never activated');
    assert.match(t1.reason, /^early: forecast bot load/);
    assert.ok(Date.parse(t1.at) - rampAt < 2 * MINUTE, `tier 1 came ${(Date.parse(t1.at) - rampAt) / 1000} s after the ramp`);
    assert.ok(status.series.some((p) => p.forecastWaiting !== undefined && p.botLoad !== undefined));
  });

  it('a failing leading read never fails the poll: no early move, the lagging rules still work', async () => {
    const cfg = await config();
    const world = new FakeWorld();
    world.leading = () => {
      throw new Error('analytics:flowObservation:view missing');
    };
    world.metrics = () => ({ waiting: 250, agentsAvailable: 0 });
    const status = await run(world, cfg);
    assert.ok(world.leadingCalls.length > 0);
    const t2 = status.transitions.find((t) => t.tier === 2 && t.to);
    assert.ok(t2 && /^waiting > 200/.test(t2.reason), `tier 2: ${t2?.reason}`);
    assert.ok(!status.openAlerts.includes('metrics-unavailable'));
    assert.ok(status.series.every((p) => p.forecastWaiting === undefined));
  });
});
