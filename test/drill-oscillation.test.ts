// The oscillation drill: demand swinging across the thresholds every 50 minutes produces no tier flapping.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDrill } from '../sandbox/drill/run-drill';
import { renderDrillReport } from '../sandbox/drill/report';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('drill: oscillation', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async function () {
    this.timeout(180_000);
    env = await timeSkippingEnv();
  });
  after(async () => env?.teardown());

  it('oscillation: hysteresis holds, no tier flaps and each holds each state well past the flap window', async () => {
    const result = await runDrill({ scenario: 'oscillation', env, workflowBundle: await workflowBundle() });
    const moved = result.tiers.filter((t) => t.periods.length > 0);
    assert.ok(moved.length > 0, 'the oscillation never moved a tier: nothing was tested');
    for (const t of result.tiers) {
      assert.equal(t.flaps, 0, `tier ${t.tier} flapped`);
      if (t.shortestHoldMinutes !== null) assert.ok(t.shortestHoldMinutes >= 5, `tier ${t.tier} held only ${t.shortestHoldMinutes} min`);
      // Demand cycles every 50 minutes over 220: at most one activation per cycle.
      assert.ok(t.periods.length <= 5, `tier ${t.tier} activated ${t.periods.length} times`);
    }
    assert.match(renderDrillReport(result), /\| 1 bot containment boost \|.*\| 0 \|/);
  });
});
