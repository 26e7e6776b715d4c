// The preEventCheck workflow on the time-skipping server with the real readiness activities (real SDKs
// against the Genesys, Cloudflare and SMTP sandboxes): it records each result, answers `result`, and emails
// the summary through real SMTP.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createReadinessActivities } from '../activities/readiness';
import { createCloudflareClient } from '../activities/cloudflare';
import { createNotifyActivities } from '../activities/notify';
import { preEventCheck, preEventCheckStartDelayMs, preEventCheckWorkflowId, resultQuery, type PreEventCheckInput } from '../workflows/pre-event-check';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import { sandboxSession } from '../sandbox/genesys/testing';
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox } from '../sandbox/cloudflare';
import { startSmtpSandbox, type SmtpSandbox } from '../sandbox/smtp';
import { testEventConfig } from './helpers/event-config';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

describe('preEventCheck workflow (time-skipping server, real activities against the sandboxes)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let genesys: GenesysSandbox;
  let cloudflare: CloudflareSandbox;
  let smtp: SmtpSandbox;
  const transport = () => nodemailer.createTransport({ url: smtp.smtpUrl });

  before(async function () {
    this.timeout(180_000);
    [bundle, env, genesys, cloudflare, smtp] = await Promise.all([
      workflowBundle(),
      timeSkippingEnv(),
      startGenesysSandbox({ port: 0 }),
      startCloudflareSandbox({ port: 0 }),
      startSmtpSandbox({ port: 0, httpPort: 0, onError: () => undefined }),
    ]);
  });
  after(async () => {
    await env?.teardown();
    await genesys?.close();
    await cloudflare?.close();
    await smtp?.close();
  });

  /** A worker whose readiness and sendAlert activities are the real ones, with the given Cloudflare token. */
  async function withWorker<T>(cloudflareToken: string, fn: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `test-${randomUUID()}`;
    const notify = { transport: transport(), from: 'Surge <surge@example.com>' };
    const activities = {
      ...createReadinessActivities({
        genesys: sandboxSession(genesys),
        cloudflare: { client: createCloudflareClient({ apiToken: cloudflareToken, baseURL: cloudflare.url }), accountId: SANDBOX_CLOUDFLARE.accountId, namespaceId: SANDBOX_CLOUDFLARE.namespaceId },
        notify,
      }),
      ...createNotifyActivities(notify),
    };
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities });
    try {
      return await worker.runUntil(fn(taskQueue));
    } finally {
      notify.transport.close();
    }
  }

  function input(surgeVersion: string): PreEventCheckInput {
    return {
      config: testEventConfig({
        eventId: `ev-${randomUUID().slice(0, 8)}`,
        name: 'Cyber Monday',
        actuators: { 2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'flow-inbound-message', surgeVersion, normalVersion: '1.0' }] },
        alerts: { recipients: ['ops@example.com'] },
      }),
    };
  }

  it('reports the broken levers in `result`, the history and an email, each with its fix', async () => {
    const run = input('9.9');
    await withWorker(SANDBOX_CLOUDFLARE.readOnlyToken, async (taskQueue) => {
      const handle = await env.client.workflow.start(preEventCheck, { taskQueue, workflowId: preEventCheckWorkflowId(run.config.eventId), args: [run] });
      const report = await handle.result();
      assert.equal(report.ok, false);
      assert.deepEqual(report.failures.map((f) => f.check), ['flow flow-inbound-message (tier 2)', 'Cloudflare KV writable']);
      assert.equal(report.results.length, 6);

      const queried = await handle.query(resultQuery);
      assert.equal(queried.complete, true);
      assert.deepEqual(queried.failures, report.failures);
      assert.match(queried.failures[0]!.fix!, /surgeVersion of flow flow-inbound-message/);
      assert.match(queried.failures[1]!.fix!, /Workers KV Storage:Edit/);
      assert.equal(queried.email?.sent, true);

      // Each check is its own activity: every result is in the history.
      const history = await handle.fetchHistory();
      const completed = (history.events ?? []).filter((e) => e.activityTaskCompletedEventAttributes).length;
      assert.equal(completed, 7, 'six checks and the summary email');

      const mail = await smtp.waitForMessage((m) => m.subject?.includes(run.config.eventId) ?? false, 10_000);
      assert.match(mail.subject ?? '', /2 of 6 checks FAILED/);
      assert.match(mail.text ?? '', /FAIL {2}flow flow-inbound-message \(tier 2\): surge version 9\.9 not found/);
      assert.match(mail.text ?? '', /fix: give CLOUDFLARE_API_TOKEN the permission Workers KV Storage:Edit/);
      assert.deepEqual(mail.envelope.to, ['ops@example.com']);
    });
  });

  it('passes on the default sandbox and says so in the email', async () => {
    const run = input('2.0');
    await withWorker(SANDBOX_CLOUDFLARE.token, async (taskQueue) => {
      const report = await env.client.workflow.execute(preEventCheck, { taskQueue, workflowId: preEventCheckWorkflowId(run.config.eventId), args: [run] });
      assert.deepEqual(report.failures, []);
      assert.equal(report.ok, true);
      const mail = await smtp.waitForMessage((m) => m.subject?.includes(run.config.eventId) ?? false, 10_000);
      assert.match(mail.subject ?? '', /all 6 checks passed/);
    });
  });

  it('schedules the automatic check a lead time before the start, and not at all once that moment has passed', () => {
    const config = testEventConfig({ startAt: '2026-11-27T10:00:00Z' });
    const now = Date.parse('2026-11-20T10:00:00Z');
    assert.equal(preEventCheckStartDelayMs(config, now), 6 * 24 * 3_600_000);
    assert.equal(preEventCheckStartDelayMs(config, now, 2 * 3_600_000), 7 * 24 * 3_600_000 - 2 * 3_600_000);
    assert.equal(preEventCheckStartDelayMs(config, Date.parse('2026-11-26T12:00:00Z')), null);
  });
});
