// The flash-sale drill, checked: pre-armed as a planned event it ends with zero errored and zero dropped
// while its baseline shows errors; and the drill is honest that the reactive rules alone come too late.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDrill, type DrillResult } from '../sandbox/drill/run-drill';
import { writeDrillReport } from '../sandbox/drill/write-report';
import { parseEventConfig } from '../client/event-config';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('drill: flash-sale-10x', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let outDir: string;
  let planned: DrillResult;

  before(async function () {
    this.timeout(180_000);
    env = await timeSkippingEnv();
    outDir = await mkdtemp(path.join(tmpdir(), 'drill-'));
  });
  after(async () => {
    await env?.teardown();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('with the default (pre-armed) config: zero errored and zero dropped, against a baseline full of errors, and a report that says so', async () => {
    planned = await runDrill({ scenario: 'flash-sale-10x', env, workflowBundle: await workflowBundle() });
    assert.equal(planned.controller.outcomes.errored, 0);
    assert.equal(planned.controller.outcomes.dropped, 0);
    assert.ok(planned.baseline.outcomes.errored > 1000, `baseline errored ${planned.baseline.outcomes.errored}`);
    assert.ok(planned.baseline.outcomes.dropped > 1000);
    assert.deepEqual(planned.config.modes, { 1: 'on', 2: 'on' });
    // Tiers 1-2 live from the sale's start (minute 30), tier 3 raised by its rule over the peak.
    assert.equal(planned.tiers[0].periods[0]?.onMinute, 30);
    assert.equal(planned.tiers[1].periods[0]?.onCause, 'operator');
    assert.ok(planned.tiers[2].periods.length > 0 && planned.tiers[2].periods.every((p) => p.onCause === 'rule'));
    assert.ok(planned.tiers.every((t) => t.flaps === 0));
    assert.ok(planned.genesysApiCalls.byRoute['POST /api/v2/analytics/queues/observations/query'].count >= planned.polls.length);

    const files = await writeDrillReport(planned, outDir);
    const report = await readFile(files.report, 'utf8');
    assert.match(report, /kept customer-facing errors at zero\? YES/);
    assert.match(report, /pre-armed/);
    assert.match(report, /\| \*\*errored\*\* \(bot at its limit\) \| 0 \| \d{4,} \|/);
    assert.match(report, /service level/);
    assert.match(report, /Genesys API requests: \d+/);
    const svg = await readFile(files.chart, 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /tier 2 activates: waiting &gt; 200/);
  });

  it('with the lagging rules alone (no leading settings) the drill says plainly that errors were NOT kept at zero', async () => {
    const lagging = parseEventConfig({ eventId: 'flash-lagging', startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-01T03:00:00Z', queueIds: ['q-orders'], dataTable: { datatableId: 'dt-surge-flags' } });
    const reactive = await runDrill({ scenario: 'flash-sale-10x', env, workflowBundle: await workflowBundle(), base: lagging, promises: false });
    assert.equal(reactive.config.modes, undefined);
    assert.equal(reactive.config.leading, undefined);
    assert.ok(reactive.customerFacingErrors > 0, 'the lagging rules unexpectedly kept errors at zero');
    const files = await writeDrillReport(reactive, path.join(outDir, 'reactive'));
    assert.match(await readFile(files.report, 'utf8'), /kept customer-facing errors at zero\? NO/);
    // The rules did act, just late: tier 2 came on by rule after the sale started.
    assert.ok(reactive.tiers[1].periods[0].onCause === 'rule' && reactive.tiers[1].periods[0].onMinute > 30);
  });

  it('not pre-armed, with the playbook\'s leading rules and tier 3 automatic: zero errored and zero dropped', async () => {
    const early = await runDrill({ scenario: 'flash-sale-10x', env, workflowBundle: await workflowBundle(), preArm: false, tier3Auto: true, promises: false });
    assert.equal(early.config.modes, undefined);
    assert.equal(early.controller.outcomes.errored, 0);
    assert.equal(early.controller.outcomes.dropped, 0);
    // Tiers 1 and 2 come on by their leading rule within minutes of the onset (minute 30).
    assert.ok(early.tiers[1].periods[0].onCause === 'rule' && early.tiers[1].periods[0].onMinute < 36, `tier 2 on at ${early.tiers[1].periods[0].onMinute}`);
    assert.match(early.transitions.find((t) => t.tier === 2 && t.to)!.reason, /^early: /);
  });
});
