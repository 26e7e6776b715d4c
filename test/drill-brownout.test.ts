// The Genesys brownout drill checked against its rules: tiers 1-3 hold through failed polls, and tier 4
// rises only after its run of failed polls and falls after its run of healthy ones.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDrill, type DrillResult } from '../sandbox/drill/run-drill';
import { renderDrillReport } from '../sandbox/drill/report';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

/** The poll the workflow took at a transition (transitions happen right after a poll is evaluated). */
function pollAt(result: DrillResult, minute: number) {
  return [...result.polls].reverse().find((p) => p.minute <= minute + 1e-6);
}

describe('drill: genesys-brownout', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async function () {
    this.timeout(180_000);
    env = await timeSkippingEnv();
  });
  after(async () => env?.teardown());

  it('genesys-brownout: tiers 1-3 never move on a failed poll; tier 4 rises after 3 failed polls in a row and falls after 5 good ones', async () => {
    const result = await runDrill({ scenario: 'genesys-brownout', env, workflowBundle: await workflowBundle() });
    const failed = result.polls.filter((p) => !p.ok);
    assert.ok(failed.some((p) => p.minute >= 40 && p.minute < 56), 'the analytics outage failed no poll');
    for (const t of result.transitions.filter((t) => t.tier !== 4 && t.cause === 'rule')) {
      assert.equal(pollAt(result, t.minute)?.ok, true, `tier ${t.tier} moved at minute ${t.minute} on a failed poll`);
    }
    const t4 = result.transitions.filter((t) => t.tier === 4 && t.cause === 'rule');
    assert.ok(t4.some((t) => t.to && t.minute >= 40 && t.minute < 56), `tier 4 did not rise during the outage: ${JSON.stringify(t4.map((t) => [t.to, t.minute]))}`);
    for (const t of t4) {
      const before = result.polls.filter((p) => p.minute <= t.minute + 1e-6).slice(t.to ? -3 : -5);
      assert.ok(before.every((p) => p.ok === !t.to), `tier 4 ${t.to ? 'rose' : 'fell'} at minute ${t.minute} without its run of ${t.to ? 'failed' : 'healthy'} polls`);
    }
    assert.ok(t4.some((t) => !t.to), 'tier 4 never restored after the outage');
    // The simulator felt tier 4 (the KV flag) while it was up: customers got the static page.
    assert.ok(result.controller.outcomes.deflected['fallback-page'] > 0);
    assert.match(renderDrillReport(result), /polls: \d+, failed: [1-9]/);
  });
});
