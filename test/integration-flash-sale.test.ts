// Issue 3's integration test: the surgeEvent workflow with the REAL activities (real Genesys SDK, Cloudflare
// SDK and nodemailer over HTTP/SMTP) against the sandbox world on the flash-sale-10x scenario, on the
// time-skipping server. The world's simulated clock is the server's time (anchored at each activity's
// scheduled time), so three simulated hours of 30-second polls run in seconds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { HISTORY_EVENTS_PER_RUN } from '../sandbox/drill/run-drill';
import { createServerAnchoredClock, createSimTimeActivities, finalPolls, type PollRecord } from '../sandbox/drill/sim-time-activities';
import { drillEventConfig, startSandboxWorld, type SandboxWorld } from '../sandbox/world';
import { statusQuery } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const MINUTE = 60_000;

describe('integration: surgeEvent + real activities + sandbox world, flash-sale-10x', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let world: SandboxWorld;

  before(async function () {
    this.timeout(180_000);
    await workflowBundle();
    env = await timeSkippingEnv();
  });
  after(async () => {
    await world?.close();
    await env?.teardown();
  });

  it('activates tiers 1 and 2 through the flags row and flow publishes as the sale builds, and restores both by rule as it ebbs', async () => {
    const epochMs = await env.currentTimeMs();
    const clock = createServerAnchoredClock(epochMs);
    world = await startSandboxWorld({ scenario: 'flash-sale-10x', clock, epochMs, publishDelayMs: 300 });
    // The playbook's rules (lagging and leading), not pre-armed: this test is about the rules moving the real levers.
    const config = drillEventConfig(world.scenario, { epochMs, eventId: `it-${randomUUID().slice(0, 8)}`, preArm: false, alertRecipients: ['ops@example.com'] });
    const polls: PollRecord[] = [];
    const activities = createSimTimeActivities({ world, clock, polls, activities: createActivities(world.activityDeps()) });
    const taskQueue = `it-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: await workflowBundle(), taskQueue, activities });

    const status = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config, continueAsNewAfterEvents: HISTORY_EVENTS_PER_RUN }] });
      await handle.result();
      return handle.query(statusQuery);
    });

    const minute = (iso: string) => (Date.parse(iso) - epochMs) / MINUTE;
    const ruleMoves = status.transitions.filter((t) => t.cause === 'rule').map((t) => ({ tier: t.tier, to: t.to, minute: minute(t.at) }));
    const on = (tier: number) => ruleMoves.find((m) => m.tier === tier && m.to);
    const off = (tier: number) => ruleMoves.find((m) => m.tier === tier && !m.to);
    for (const tier of [1, 2]) {
      assert.ok(on(tier), `tier ${tier} never activated: ${JSON.stringify(ruleMoves)}`);
      assert.ok(off(tier), `tier ${tier} never restored by its rule: ${JSON.stringify(ruleMoves)}`);
      // The sale starts at minute 30 and ebbs after minute 100: both moves happen inside that story.
      assert.ok(on(tier)!.minute > 30 && on(tier)!.minute < 60, `tier ${tier} activated at minute ${on(tier)!.minute}`);
      assert.ok(off(tier)!.minute > 100 && off(tier)!.minute < 180, `tier ${tier} restored at minute ${off(tier)!.minute}`);
    }
    // The leading rules (the bot's load forecast: tier 1 at 60%, tier 2 at 70%) bring tiers 1 and 2 on within
    // minutes of the onset, before waiting has built up.
    assert.ok(on(1)!.minute <= on(2)!.minute && on(2)!.minute < 36, `tiers 1 and 2 on at minutes ${on(1)!.minute} and ${on(2)!.minute}`);
    assert.match(status.transitions.find((t) => t.tier === 2 && t.to)!.reason, /^early: /);

    // The real levers moved in the sandboxes: flow versions published and put back, the flags row written.
    const publishes = (flowId: string) => world.genesys.state.flows.get(flowId)!.publishHistory.map((p) => p.version);
    assert.deepEqual(publishes('flow-inbound-message'), ['2.0', '1.0']);
    assert.deepEqual(publishes('flow-bot'), ['2.0', '1.0']);
    const row = world.genesys.state.dataTables.get('dt-surge-flags')!.rows.get(`surge-${config.eventId}`);
    assert.equal(row?.tier1Active, false);
    assert.equal(row?.tier2Active, false);
    assert.ok(world.smtp.messages().some((m) => /tier 2 ACTIVATED/.test(m.subject ?? '')), 'no activation email reached the SMTP sandbox');

    // The simulator felt the tiers: it read them from the row and flows the activities wrote.
    world.sim.advanceTo(Math.max(world.sim.now(), world.sim.durationMs));
    const series = world.sim.timeSeries();
    const tierMinutes = (tier: number) => series.filter((s) => s.activeTiers.includes(tier)).map((s) => s.minute);
    assert.ok(Math.abs(tierMinutes(2)[0] - on(2)!.minute) <= 1.5, `simulator saw tier 2 from minute ${tierMinutes(2)[0]}, the workflow moved it at ${on(2)!.minute}`);
    assert.ok(tierMinutes(1).length > 0 && tierMinutes(1).at(-1)! <= off(1)!.minute + 1.5);
    assert.ok(world.sim.outcomes().deflected.email > 0, 'tier 2 deflected nobody');

    // Every poll was answered through the real SDK: one observations query per poll.
    const good = finalPolls(polls).filter((p) => p.ok);
    assert.ok(good.length >= 290, `only ${good.length} good polls`);
    const counters = world.genesys.state.readCounters();
    assert.equal(counters.byRoute['POST /api/v2/analytics/queues/observations/query']?.count, polls.length);
  });
});
