// Drills of the remaining scenarios, checked: a steady day moves nothing and loses nobody; the unplanned viral
// spike is met by the rules (tier 2 first), and the report shows the controller cut errors against baseline.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDrill } from '../sandbox/drill/run-drill';
import { renderDrillReport } from '../sandbox/drill/report';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('drills: steady-day and viral-spike-20x', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;

  before(async function () {
    this.timeout(180_000);
    env = await timeSkippingEnv();
  });
  after(async () => env?.teardown());

  it('every scenario in sandbox/scenarios/ has a drill test', () => {
    const scenarios = readdirSync(path.join(__dirname, '../sandbox/scenarios')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    assert.deepEqual(scenarios, ['flash-sale-10x', 'genesys-brownout', 'oscillation', 'steady-day', 'viral-spike-20x'], 'a scenario was added or renamed: give it a drill test');
  });

  it('steady-day: no tier moves, nobody errors, drops or abandons, and the report says YES', async () => {
    const result = await runDrill({ scenario: 'steady-day', env, workflowBundle: await workflowBundle() });
    assert.deepEqual(result.transitions.filter((t) => t.cause === 'rule'), []);
    assert.equal(result.customerFacingErrors, 0);
    assert.equal(result.controller.outcomes.served, result.baseline.outcomes.served, 'the controller changed a calm day');
    assert.match(renderDrillReport(result), /zero\? YES/);
  });

  it('viral-spike-20x: the rules raise tier 2 then tier 1 and restore both; errors fall against baseline and the report says NO honestly', async () => {
    const result = await runDrill({ scenario: 'viral-spike-20x', env, workflowBundle: await workflowBundle() });
    const [t1, t2] = [result.tiers[0], result.tiers[1]];
    assert.ok(t2.periods[0].onMinute > 20 && t2.periods[0].onMinute < t1.periods[0].onMinute);
    assert.ok(t1.periods[0].offMinute !== null && t2.periods[0].offMinute !== null);
    // An unplanned 20x in 2 minutes outruns reactive tiers: fewer errors than baseline, but not zero.
    assert.ok(result.customerFacingErrors < result.baseline.outcomes.errored + result.baseline.outcomes.dropped);
    assert.ok(result.customerFacingErrors > 0);
    assert.match(renderDrillReport(result), /zero\? NO/);
    // Tier 3 is manual by default: the rule recommends, nobody approved in a drill, so it stays off.
    assert.equal(result.tiers[2].periods.length, 0);
  });
});
