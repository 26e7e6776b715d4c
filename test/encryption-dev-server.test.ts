// Customer data encrypted end to end on the real dev server: the deflection endpoint starts a follow-up through
// the encrypting client, a worker with the same data converter keeps the promise (real SMTP sandbox), and then
// the exported history holds no customer email, phone or name in any byte, while the workflow (it delivered to
// the address), the CLI through the codec server, SurgeClient and the dashboard all read decoded values.
// Also: that history replays with the test key, after a rotation, and fails readably once its key is removed.
// Last, erasure of that one customer: `temporal workflow delete` and the history is gone.
// RECORD_ENCRYPTED_FIXTURE=1 rewrites test/fixtures/deflection-follow-up-encrypted.pb.b64 (key TEST_KEY_A).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createDeflectionActivities } from '../activities/deflection';
import { SMTP_TIMEOUTS, createNotifyActivities } from '../activities/notify';
import { startDashboard, type RunningDashboard } from '../client/dashboard/server';
import { startDeflectionServer, type RunningDeflectionServer } from '../client/deflections';
import { AesGcmPayloadCodec } from '../client/encryption/aes-gcm-codec';
import { startCodecServer, type RunningCodecServer } from '../client/encryption/codec-server';
import { encryptingDataConverter } from '../client/encryption/data-converter';
import { SurgeClient } from '../client/surge-client';
import { ensureTemporalCli } from '../scripts/provision-temporal';
import { startSmtpSandbox, type SmtpSandbox } from '../sandbox/smtp';
import { deflectionStatusQuery, deflectionWorkflowId, type DeflectionResult } from '../workflows/deflection-types';
import { testEventConfig } from './helpers/event-config';
import { TEST_KEY_A, TEST_KEY_B, testKeyring } from './helpers/encryption';
import { FakeWorld } from './helpers/fake-world';
import { devServerEnv, workflowBundle } from './helpers/temporal';

const History = temporal.api.history.v1.History;
const SECRET = 'test-deflection-secret-0123456789';
const CODEC_TOKEN = 'codec-token-for-the-dev-server-test';
const DASHBOARD_TOKEN = 'operator:dashboard-token-0123456789';
export const ENCRYPTED_FIXTURE = path.resolve(__dirname, 'fixtures/deflection-follow-up-encrypted.pb.b64');

describe('customer data is encrypted in Temporal (dev server, deflection follow-up)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let smtp: SmtpSandbox;
  let client: Client;
  let endpoint: RunningDeflectionServer;
  let codecServer: RunningCodecServer;
  let dashboard: RunningDashboard;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `encrypted-${randomUUID()}`;
  const keyringA = testKeyring([TEST_KEY_A], 'test-a');
  const tag = randomUUID().slice(0, 8);
  const customer = { customerName: `Dana Cipher${tag}`, customerEmail: `dana.${tag}@example.com`, customerPhone: '+447700900123' };
  const conversationId = `conv-${randomUUID()}`;
  const world = new FakeWorld();

  before(async function () {
    this.timeout(240_000);
    [env, bundle, smtp] = await Promise.all([devServerEnv(), workflowBundle(), startSmtpSandbox({ port: 0, httpPort: 0 })]);
    const dataConverter = encryptingDataConverter(keyringA);
    client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter });
    const transport = nodemailer.createTransport({ url: smtp.smtpUrl, ...SMTP_TIMEOUTS });
    const deflection = createDeflectionActivities({
      brand: { name: 'Acme Store', supportUrl: 'https://help.acme.example/contact' },
      email: { via: 'smtp', transport, from: 'Acme Care <care@acme.example>' },
      alerts: { sendAlert: createNotifyActivities({ transport, from: 'alerts@acme.example' }).sendAlert, recipients: ['ops@acme.example'] },
    });
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: bundle,
      dataConverter,
      activities: { ...world.activities(), ...deflection },
    });
    running = worker.run();
    endpoint = await startDeflectionServer({ client, secret: SECRET, taskQueue, port: 0, atRiskMarginMinutes: 30 });
    codecServer = await startCodecServer({ codec: new AesGcmPayloadCodec(keyringA), token: CODEC_TOKEN, corsOrigins: [], port: 0 });
    dashboard = await startDashboard({ surge: new SurgeClient(client, { taskQueue }), token: DASHBOARD_TOKEN, temporalUiUrl: 'http://127.0.0.1:8233', port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await Promise.all([endpoint?.close(), codecServer?.close(), dashboard?.close()]);
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
    await smtp?.close();
  });

  let rawHistory: temporal.api.history.v1.IHistory;

  it('a promise made through the endpoint is kept to the decoded address, and its history holds no customer data', async () => {
    const res = await fetch(`${endpoint.url}/deflections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-surge-deflection-secret': SECRET },
      body: JSON.stringify({ conversationId, intent: 'order_status', channel: 'email', ...customer, promisedWithinMinutes: 120, contentSource: 'none' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const handle = client.workflow.getHandle(deflectionWorkflowId(conversationId));
    const result = (await handle.result()) as DeflectionResult;
    assert.equal(result.outcome, 'kept');
    // The workflow and its activity read the decrypted input: the email went to the customer's address, by name.
    const email = await smtp.waitForMessage((m) => m.headers['x-surge-conversation-id'] === conversationId, 10_000);
    assert.deepEqual(email.envelope.to, [customer.customerEmail]);
    assert.match(email.text, new RegExp(`Hello ${customer.customerName},`));
    const status = await handle.query(deflectionStatusQuery);
    assert.equal(status.state, 'kept');

    // Exported as the server stores it (a client without the codec): not one byte of customer data.
    const plainClient = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    rawHistory = await plainClient.workflow.getHandle(deflectionWorkflowId(conversationId)).fetchHistory();
    const bytes = Buffer.from(History.encode(rawHistory).finish()).toString('latin1');
    assert.ok((rawHistory.events?.length ?? 0) > 5);
    for (const value of Object.values(customer)) assert.ok(!bytes.includes(value), `${value} is not anywhere in the exported history`);
    assert.ok(bytes.includes('binary/encrypted') && bytes.includes('test-a'), 'payloads are encrypted and name their key');
    // Patch markers and the TemporalChangeVersion search attribute (both written by the SDK for patched(), holding the
    // patch ID only) never pass through a codec, like every search attribute; every other payload must be encrypted.
    const codecPayloads = {
      ...rawHistory,
      events: (rawHistory.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName !== 'core_patch' && !e.upsertWorkflowSearchAttributesEventAttributes),
    };
    assert.ok(!Buffer.from(History.encode(codecPayloads).finish()).toString('latin1').includes('json/plain'), 'no payload (input, result, memo, failure, details) is left in clear');
    if (process.env.RECORD_ENCRYPTED_FIXTURE) await writeFile(ENCRYPTED_FIXTURE, Buffer.from(History.encode(rawHistory).finish()).toString('base64'));
  });

  it('the CLI reads the decoded history through the codec server, and only through it', async () => {
    const cli = await ensureTemporalCli();
    const show = async (...extra: string[]) =>
      (await promisify(execFile)(cli, ['workflow', 'show', '-w', deflectionWorkflowId(conversationId), '-o', 'json', '--address', env.address, ...extra], { maxBuffer: 16 * 1024 * 1024 })).stdout;
    const decoded = payloadText(await show('--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${CODEC_TOKEN}`));
    assert.ok(decoded.includes(customer.customerEmail) && decoded.includes(customer.customerName), 'decoded through the codec server');
    const encoded = payloadText(await show());
    assert.ok(encoded.includes('binary/encrypted'));
    assert.ok(!encoded.includes(customer.customerEmail) && !encoded.includes(customer.customerName), 'without the codec server the CLI sees ciphertext');
  });

  it('SurgeClient and the dashboard read an encrypted event\'s status', async () => {
    const now = Date.now();
    const config = testEventConfig({ eventId: `enc-${tag}`, name: 'Encrypted event', startAt: new Date(now + 3_600_000).toISOString(), endAt: new Date(now + 7_200_000).toISOString() });
    const surge = new SurgeClient(client, { taskQueue });
    await surge.startEvent(config);
    const status = await surge.status(config.eventId);
    assert.equal(status.phase, 'scheduled');
    const fromDashboard = await fetch(`${dashboard.url}/api/events/${config.eventId}`, { headers: { authorization: `Bearer ${DASHBOARD_TOKEN.split(':')[1]}` } });
    assert.equal(fromDashboard.status, 200);
    assert.match(await fromDashboard.text(), /"phase":"scheduled"/);
    const raw = await new Client({ connection: env.connection, namespace: env.namespace ?? 'default' }).workflow.getHandle(`surge-event-${config.eventId}`).fetchHistory();
    assert.ok(!Buffer.from(History.encode(raw).finish()).toString('latin1').includes('Encrypted event'), 'the controller\'s input is encrypted too');
    await client.workflow.getHandle(`surge-event-${config.eventId}`).terminate('test over');
  });

  it('the history replays with key A, after key B becomes current, and fails naming key A once it is removed', async () => {
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(keyringA) }, rawHistory);
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(testKeyring([TEST_KEY_A, TEST_KEY_B], 'test-b')) }, rawHistory);
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptingDataConverter(testKeyring([TEST_KEY_B], 'test-b')) }, rawHistory),
      // The replay error quotes the workflow task's failure, which the failure converter leaves in clear for key errors.
      (err: Error) => /key \\?"test-a\\?": that key is not in SURGE_ENCRYPTION_KEYS \(known: test-b\)/.test(err.message),
    );
  });

  it('erasure of one customer: `temporal workflow delete` removes the promise\'s history from the server', async function () {
    this.timeout(180_000);
    const cli = await ensureTemporalCli();
    const workflowId = deflectionWorkflowId(conversationId);
    await promisify(execFile)(cli, ['workflow', 'delete', '-w', workflowId, '--address', env.address, '--yes'], { timeout: 30_000 });
    // Deletion is asynchronous (about 20 s on the dev server): wait until the server no longer knows the execution.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const gone = await client.workflow.getHandle(workflowId).describe().then(() => false, (err: Error) => err instanceof WorkflowNotFoundError);
      if (gone) break;
      if (Date.now() > deadline) assert.fail(`${workflowId} still exists 120 s after delete`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await assert.rejects(client.workflow.getHandle(workflowId).fetchHistory());
  });
});

/** Every payload in `temporal workflow show -o json` output (proto JSON: metadata and data in base64), as text. */
function payloadText(json: string): string {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && typeof o.data === 'string') {
      for (const v of Object.values(o.metadata as Record<string, string>)) out.push(Buffer.from(v, 'base64').toString('utf8'));
      out.push(Buffer.from(o.data, 'base64').toString('utf8'));
    }
    Object.values(o).forEach(visit);
  };
  visit(JSON.parse(json));
  return out.join('\n');
}
