// The async-deflection promise end to end: the real endpoint (node:http) starts deflectionFollowUp on the
// time-skipping server, a worker runs the real deflection activities, and real nodemailer delivers to a
// real SMTP sandbox (customer mail) while operator alerts go through notify's sendAlert to a second one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createDeflectionActivities, type DeflectionActivities, type OrderStatusLookup } from '../activities/deflection';
import { SMTP_TIMEOUTS, createNotifyActivities } from '../activities/notify';
import { startDeflectionServer, type RunningDeflectionServer } from '../client/deflections';
import { startSmtpSandbox, type SmtpSandbox, type StoredMessage } from '../sandbox/smtp';
import { deflectionFollowUp } from '../workflows/deflection-follow-up';
import { deflectionReference, deflectionStatusQuery, deflectionWorkflowId, type DeflectionResponse, type DeflectionResult } from '../workflows/deflection-types';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const SECRET = 'test-deflection-secret-0123456789';
const MINUTE = 60_000;
const BRAND = { name: 'Acme Store', supportUrl: 'https://help.acme.example/contact', orderStatusUrl: 'https://acme.example/orders/{orderId}' };

describe('deflection follow-up (endpoint + workflow on the time-skipping server + SMTP sandboxes)', function () {
  this.timeout(60_000);
  let bundle: WorkflowBundleWithSourceMap;
  let customerSmtp: SmtpSandbox;
  let opsSmtp: SmtpSandbox;
  let customerTransport: Transporter;
  let opsTransport: Transporter;
  let env: TestWorkflowEnvironment;
  let endpoint: RunningDeflectionServer;
  let clockMs = Date.now();

  before(async function () {
    this.timeout(180_000);
    bundle = await workflowBundle();
    customerSmtp = await startSmtpSandbox({ port: 0, httpPort: 0 });
    opsSmtp = await startSmtpSandbox({ port: 0, httpPort: 0 });
    customerTransport = nodemailer.createTransport({ url: customerSmtp.smtpUrl, ...SMTP_TIMEOUTS });
    opsTransport = nodemailer.createTransport({ url: opsSmtp.smtpUrl, ...SMTP_TIMEOUTS });
  });
  after(async () => {
    customerTransport?.close();
    opsTransport?.close();
    await Promise.all([customerSmtp?.close(), opsSmtp?.close()]);
  });

  let taskQueue: string;
  // A fresh server per test: its clock leaps ahead while a test waits on a result.
  beforeEach(async () => {
    env = await timeSkippingEnv();
    taskQueue = `deflections-${randomUUID()}`;
    await customerSmtp.setOutage('none');
    customerSmtp.clearMessages();
    opsSmtp.clearMessages();
    endpoint = await startDeflectionServer({
      client: env.client,
      secret: SECRET,
      basic: { username: 'genesys-data-action', password: 'basic-password-123' },
      taskQueue,
      port: 0,
      atRiskMarginMinutes: 30,
      giveUpAfterMinutes: 60,
      now: () => clockMs,
    });
  });
  afterEach(async () => {
    await endpoint?.close();
    await env?.teardown();
  });

  function activities(overrides: { lookupOrderStatus?: OrderStatusLookup; wrap?: (real: DeflectionActivities) => Partial<DeflectionActivities> } = {}): DeflectionActivities {
    const real = createDeflectionActivities({
      brand: BRAND,
      email: { via: 'smtp', transport: customerTransport, from: 'Acme Care <care@acme.example>' },
      lookupOrderStatus: overrides.lookupOrderStatus ?? (async ({ orderId }) => ({ ready: true, headline: `Order ${orderId} is on its way`, lines: ['It left our warehouse this morning and arrives Thursday.'] })),
      alerts: { sendAlert: createNotifyActivities({ transport: opsTransport, from: 'Surge alerts <surge@acme.example>' }).sendAlert, recipients: ['ops@acme.example'] },
    });
    return { ...real, ...overrides.wrap?.(real) };
  }

  async function withWorker<T>(acts: DeflectionActivities, fn: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: acts });
    return worker.runUntil(fn());
  }

  function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      conversationId: `conv-${randomUUID()}`,
      queueId: 'q-sales',
      intent: 'order_status',
      channel: 'email',
      customerName: 'Dana <Doe>',
      customerEmail: 'dana@example.com',
      promisedWithinMinutes: 120,
      contentSource: 'order-status',
      orderId: 'A-1001',
      ...overrides,
    };
  }

  async function post(payload: unknown, headers: Record<string, string> = { 'x-surge-deflection-secret': SECRET }): Promise<{ status: number; json: Record<string, unknown> }> {
    clockMs = await env.currentTimeMs();
    const res = await fetch(`${endpoint.url}/deflections`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  const forConversation = (conversationId: string) => (m: StoredMessage) => m.headers['x-surge-conversation-id'] === conversationId;

  it('three concurrent posts of one conversation make one workflow and one email with the promised content', async () => {
    await withWorker(activities(), async () => {
      const payload = body();
      const conversationId = payload.conversationId as string;
      const answers = await Promise.all([post(payload), post(payload), post(payload)]);
      const responses = answers.map((a) => a.json as unknown as DeflectionResponse);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201], 'one call made the promise, two found it');
      assert.equal(responses.filter((r) => r.created).length, 1);
      assert.equal(new Set(responses.map((r) => r.reference)).size, 1);
      assert.equal(new Set(responses.map((r) => r.promisedBy)).size, 1, 'every caller hears the first promise\'s deadline');
      assert.equal(responses[0].reference, deflectionReference(conversationId));
      assert.equal(responses[0].workflowId, deflectionWorkflowId(conversationId));

      const handle = env.client.workflow.getHandle(deflectionWorkflowId(conversationId));
      const result = (await handle.result()) as DeflectionResult;
      assert.equal(result.outcome, 'kept');
      assert.ok(Date.parse(result.deliveredAt!) <= Date.parse(result.promisedBy));

      const email = await customerSmtp.waitForMessage(forConversation(conversationId), 5_000);
      assert.equal(email.envelope.to.join(), 'dana@example.com');
      assert.match(email.subject, new RegExp(`^Acme Store: Order A-1001 is on its way \\(ref ${responses[0].reference}\\)$`));
      assert.match(email.text, /Hello Dana <Doe>,/);
      assert.match(email.text, /arrives Thursday/);
      assert.match(email.text, /https:\/\/acme\.example\/orders\/A-1001/);
      assert.ok(email.html?.includes('Hello Dana &lt;Doe&gt;,'), 'customer input is escaped in HTML');
      assert.doesNotMatch(email.html ?? '', /<img|<link|<script|src=|url\(/i, 'no remote resources');

      // A call after the promise was kept still answers with it, and sends nothing again.
      const late = await post(payload);
      assert.equal(late.status, 200);
      assert.equal(late.json.reference, responses[0].reference);
      assert.equal(customerSmtp.messages().filter(forConversation(conversationId)).length, 1);

      const status = await handle.query(deflectionStatusQuery);
      assert.equal(status.state, 'kept');
      assert.deepEqual(status.alerts, []);
      assert.deepEqual(status.timeline.map((t) => t.what.split(':')[0].split(' (')[0]), ['promise made', 'content ready', 'delivering', 'promise kept']);
      assert.equal(status.timeline[0].at, status.promisedAt);
    });
  });

  it('answers 400 naming every invalid field, and starts nothing', async () => {
    const bad = body({ channel: 'fax', customerEmail: 'not-an-email', promisedWithinMinutes: 2, surprise: true });
    const { status, json } = await post(bad);
    assert.equal(status, 400);
    const fields = (json.fields as { field: string }[]).map((f) => f.field).sort();
    assert.deepEqual(fields, ['channel', 'customerEmail', 'promisedWithinMinutes', 'surprise']);
    assert.match(String(json.error), /channel must be email or sms, got "fax"/);

    const missing = await post(body({ channel: 'sms', customerPhone: '' }));
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json.fields, [{ field: 'customerPhone', message: 'is required' }]);

    const notJson = await fetch(`${endpoint.url}/deflections`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-surge-deflection-secret': SECRET }, body: '{"conversationId":' });
    assert.equal(notJson.status, 400);
    await assert.rejects(env.client.workflow.getHandle(deflectionWorkflowId(bad.conversationId as string)).describe(), WorkflowNotFoundError);
  });

  it('answers 401 to a wrong or missing secret and to wrong basic credentials; accepts basic auth', async () => {
    const payload = body();
    assert.equal((await post(payload, { 'x-surge-deflection-secret': SECRET.slice(0, -1) + 'x' })).status, 401);
    assert.equal((await post(payload, {})).status, 401);
    const wrongBasic = await post(payload, { authorization: `Basic ${Buffer.from('genesys-data-action:nope').toString('base64')}` });
    assert.equal(wrongBasic.status, 401);
    assert.match(String(wrongBasic.json.error), /unauthorized/);
    await assert.rejects(env.client.workflow.getHandle(deflectionWorkflowId(payload.conversationId as string)).describe(), WorkflowNotFoundError);

    const ok = await post(payload, { authorization: `Basic ${Buffer.from('genesys-data-action:basic-password-123').toString('base64')}` });
    assert.equal(ok.status, 201);
    await env.client.workflow.getHandle(deflectionWorkflowId(payload.conversationId as string)).terminate('test over');
  });

  it('keeps the promise through an SMTP outage shorter than the margin, without alerting', async () => {
    let attempts = 0;
    const acts = activities({
      wrap: (real) => ({
        // The relay greets with 421 for the first two attempts (about 90 s of workflow time), then recovers.
        async deliverDeflectionEmail(input) {
          attempts++;
          if (attempts === 3) await customerSmtp.setOutage('none');
          return real.deliverDeflectionEmail(input);
        },
      }),
    });
    await customerSmtp.setOutage('reject');
    await withWorker(acts, async () => {
      const payload = body();
      const { status } = await post(payload);
      assert.equal(status, 201);
      const handle = env.client.workflow.getHandle(deflectionWorkflowId(payload.conversationId as string));
      const result = (await handle.result()) as DeflectionResult;
      assert.equal(result.outcome, 'kept');
      assert.equal(attempts, 3, 'two failed deliveries were retried');
      const state = await handle.query(deflectionStatusQuery);
      assert.ok(Date.parse(state.deliveredAt!) < Date.parse(state.atRiskAt), 'delivered before the at-risk point');
      assert.deepEqual(state.alerts, []);
      assert.equal(opsSmtp.messages().length, 0, 'operators were not paged');
      assert.equal(customerSmtp.messages().filter(forConversation(payload.conversationId as string)).length, 1);
    });
  });

  it('alerts operators before the deadline when the outage outlasts the margin, then reports the promise failed', async () => {
    await customerSmtp.setOutage('reject');
    await withWorker(activities(), async () => {
      const payload = body({ contentSource: 'none', orderId: '' });
      assert.equal((await post(payload)).status, 201);
      const handle = env.client.workflow.getHandle(deflectionWorkflowId(payload.conversationId as string));
      const result = (await handle.result()) as DeflectionResult;
      assert.equal(result.outcome, 'failed');
      const state = await handle.query(deflectionStatusQuery);
      assert.deepEqual(state.alerts.map((a) => a.kind), ['at-risk', 'missed', 'failed']);
      const atRisk = state.alerts[0];
      // Workflow time: the alert goes out when the at-risk timer fires, a full margin (30 min) before the deadline.
      assert.ok(Date.parse(atRisk.at) >= Date.parse(state.atRiskAt) && Date.parse(atRisk.at) - Date.parse(state.atRiskAt) < MINUTE, `alerted at ${atRisk.at}, at risk from ${state.atRiskAt}`);
      assert.equal(Date.parse(state.promisedBy) - Date.parse(state.atRiskAt), 30 * MINUTE);

      const reference = deflectionReference(payload.conversationId as string);
      const page = await opsSmtp.waitForMessage((m) => m.subject.includes(`Deflection ${reference} follow-up at risk`), 5_000);
      assert.deepEqual(page.envelope.to, ['ops@acme.example']);
      assert.match(page.text, new RegExp(`Conversation: ${payload.conversationId as string}`));
      assert.match(page.text, /dana@example\.com/);
      assert.equal(customerSmtp.messages().length, 0);
    });
  });

  it('sends a holding update and alerts when the content never becomes ready', async () => {
    let lookups = 0;
    const acts = activities({ lookupOrderStatus: async () => (lookups++, null) });
    await withWorker(acts, async () => {
      const payload = body();
      assert.equal((await post(payload)).status, 201);
      const handle = env.client.workflow.getHandle(deflectionWorkflowId(payload.conversationId as string));
      const result = (await handle.result()) as DeflectionResult;
      assert.equal(result.outcome, 'kept');
      assert.ok(lookups > 1, 'the lookup was asked again while there was time');
      const state = await handle.query(deflectionStatusQuery);
      assert.equal(state.contentReady, false);
      assert.deepEqual(state.alerts.map((a) => a.kind), ['content-missing']);
      const email = await customerSmtp.waitForMessage(forConversation(payload.conversationId as string), 5_000);
      assert.match(email.subject, /still working on your question/);
      await opsSmtp.waitForMessage((m) => m.subject.includes('content not ready'), 5_000);
    });
  });

  it('rejects an invalid workflow input with a non-retryable failure naming the field', async () => {
    await withWorker(activities(), async () => {
      const handle = await env.client.workflow.start(deflectionFollowUp, {
        taskQueue,
        workflowId: `deflection-bad-${randomUUID()}`,
        args: [{ request: { conversationId: 'c1', intent: 'x', channel: 'email', promisedBy: 'soon' } as never, reference: deflectionReference('c1'), atRiskMarginMinutes: 30 }],
      });
      await assert.rejects(handle.result(), (err: Error) => /customerEmail: is required/.test(String((err.cause as Error)?.message)) && /promisedBy: must be an ISO 8601 instant/.test(String((err.cause as Error)?.message)));
    });
  });
});
