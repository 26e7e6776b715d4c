// The flash-sale drill keeps its async-deflection promises: a sample of the simulated customers who accept an
// email follow-up are posted to the real deflection endpoint, the follow-ups go through the world's SMTP
// sandbox, and the drill reports each sampled promise's outcome. A mail outage longer than the at-risk margin
// shows up as promises kept late (or failed), with operators alerted.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runDrill } from '../sandbox/drill/run-drill';
import { writeDrillReport } from '../sandbox/drill/write-report';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('drill: flash-sale-10x promises', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let outDir: string;

  before(async function () {
    this.timeout(180_000);
    env = await timeSkippingEnv();
    outDir = await mkdtemp(path.join(tmpdir(), 'drill-promises-'));
  });
  after(async () => {
    await env?.teardown();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('with a healthy mail server every sampled promise is kept on time, and the report and result.json say so', async () => {
    const result = await runDrill({ scenario: 'flash-sale-10x', env, workflowBundle: await workflowBundle() });
    const p = result.promises;
    assert.ok(p, 'the drill made no promises');
    assert.ok(p.sampled > 0 && p.sampled <= 40, `sampled ${p.sampled}`);
    assert.ok(p.accepted.email >= p.sampled && p.accepted.email === result.controller.outcomes.deflected.email, JSON.stringify(p.accepted));
    assert.equal(p.accepted.callback, result.controller.outcomes.deflected.callback);
    assert.equal(p.notRecorded, 0, p.errors.join('; '));
    assert.equal(p.keptOnTime, p.sampled, JSON.stringify(p));
    assert.equal(p.late + p.failed + p.stillPending, 0);
    assert.deepEqual(p.alerts, {});

    const files = await writeDrillReport(result, outDir);
    const report = await readFile(files.report, 'utf8');
    assert.match(report, /## Promises/);
    assert.match(report, new RegExp(`\\| \\*\\*kept on time\\*\\* \\| ${p.sampled} \\|`));
    const json = JSON.parse(await readFile(files.json, 'utf8')) as { promises: { keptOnTime: number } };
    assert.equal(json.promises.keptOnTime, p.sampled);
  });

  it('a mail outage longer than the at-risk margin leaves promises late or failed, with operators alerted', async () => {
    // 30-minute promises with a 10-minute margin; mail refuses everything from just before the sale (minute 30)
    // for an hour: promises made in that hour cannot be kept on time, whatever the retries do.
    const result = await runDrill({
      scenario: 'flash-sale-10x',
      env,
      workflowBundle: await workflowBundle(),
      promises: { maxSampled: 10, deadlineMinutes: 30, atRiskMarginMinutes: 10, smtpOutage: { fromMinute: 25, toMinute: 85 } },
    });
    const p = result.promises;
    assert.ok(p && p.sampled > 0, 'the drill made no promises');
    assert.equal(p.notRecorded, 0, p.errors.join('; '));
    assert.ok(p.late + p.failed > 0, `no promise was late or failed: ${JSON.stringify(p)}`);
    assert.ok((p.alerts['at-risk'] ?? 0) > 0, `no at-risk alert: ${JSON.stringify(p.alerts)}`);
    const report = await readFile((await writeDrillReport(result, path.join(outDir, 'outage'))).report, 'utf8');
    assert.match(report, /\| kept late \| \d+ \|/);
  });
});
