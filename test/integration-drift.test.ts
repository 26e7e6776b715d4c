// Issue 10 on real components: the surgeEvent workflow with the REAL activities against the Genesys and
// Cloudflare sandboxes (time-skipping server). A KV flag, the flags row and a flow version changed behind
// the controller's back are read, recorded, alerted once and put back within 2 polls.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createServerAnchoredClock, createSimTimeActivities, finalPolls, type PollRecord } from '../sandbox/drill/sim-time-activities';
import { drillEventConfig, startSandboxWorld, type SandboxWorld } from '../sandbox/world';
import { endEventUpdate, setTierModeUpdate, statusQuery } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('integration: drift on real actuators (sandbox Genesys + Cloudflare KV, real activities)', function () {
  this.timeout(150_000);
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

  it('a KV flag, the flags row and a flow version changed behind its back are corrected within 2 polls, alerted once each', async () => {
    const epochMs = await env.currentTimeMs();
    const clock = createServerAnchoredClock(epochMs);
    world = await startSandboxWorld({ scenario: 'flash-sale-10x', clock, epochMs, publishDelayMs: 300 });
    const config = { ...drillEventConfig(world.scenario, { epochMs, eventId: `drift-${randomUUID().slice(0, 8)}`, preArm: false, alertRecipients: ['ops@example.com'] }) };
    config.startAt = new Date(epochMs).toISOString();
    const polls: PollRecord[] = [];
    const activities = createSimTimeActivities({ world, clock, polls, activities: createActivities(world.activityDeps()) });
    const taskQueue = `drift-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: await workflowBundle(), taskQueue, activities });
    const rowKey = config.dataTable!.rowKey;
    const row = () => world.genesys.state.dataTables.get(config.dataTable!.datatableId)!.rows.get(rowKey);
    const inbound = config.actuators[2].find((a) => a.kind === 'flowVersion');
    assert.ok(inbound && inbound.kind === 'flowVersion', 'the drill config drives an inbound flow');
    const flow = () => world.genesys.state.flows.get(inbound.flowId)!;

    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config }] });
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'active');
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved', by: 'alice' }] });
      await waitFor(async () => (await world.kv.get('chat_surge_active')) === 'true' && row()?.tier3Active === true);
      await waitFor(async () => (await handle.query(statusQuery)).actuators?.every((a) => a.inLine && a.observed !== undefined) === true);

      // Behind the controller's back: a person with curl, another tool, an Architect user.
      await world.kv.put('chat_surge_active', 'false');
      row()!.tier3Active = false;
      flow().publishedVersionId = inbound.surgeVersion;
      const before = finalPolls(polls).length;
      await env.sleep(`${2 * config.pollIntervalSeconds} seconds`);
      await waitFor(async () => (await world.kv.get('chat_surge_active')) === 'true' && row()?.tier3Active === true && flow().publishedVersionId === inbound.normalVersion);
      assert.ok(finalPolls(polls).length - before <= 2, `corrected after ${finalPolls(polls).length - before} polls`);

      const status = await handle.query(statusQuery);
      assert.deepEqual(
        status.drifts?.map((d) => [d.actuator, d.observed]).sort(),
        [
          ['flags-row', '0000'],
          [`tier2:flow:${inbound.flowId}`, inbound.surgeVersion],
          ['tier3:kv:chat_surge_active', 'false'],
        ],
      );
      await env.sleep(`${3 * config.pollIntervalSeconds} seconds`);
      await waitFor(() => world.smtp.messages().filter((m) => /changed outside the controller/.test(m.subject ?? '')).length >= 3);
      const subjects = world.smtp.messages().filter((m) => /changed outside the controller/.test(m.subject ?? '')).map((m) => m.subject);
      assert.equal(subjects.length, 3, `one alert per drift: ${subjects.join(' | ')}`);

      await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'test over', by: 'test' }] });
      const result = await handle.result();
      assert.equal(result.phase, 'ended', JSON.stringify((await handle.query(statusQuery)).endingFailures));
      assert.equal(await world.kv.get('chat_surge_active'), 'false', 'observed normal at the end');
      assert.equal(row()?.tier3Active, false);
    });
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
