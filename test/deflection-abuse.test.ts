// The deflection endpoint under abuse, tried from outside over real HTTP against `temporal server start-dev`
// (no worker: a promise made is a workflow started, which is what the limits are about).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'mocha';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDeflectionServer, type DeflectionServerOptions, type RunningDeflectionServer } from '../client/deflections';
import { deflectionServerOptionsFromEnv, recipientKey } from '../client/deflections/server';
import { dashboardGuardsFromEnv } from '../client/dashboard/guards-env';
import { greetingName, renderDeflectionEmail } from '../activities/deflection-templates';
import { createDeflectionActivities } from '../activities/deflection';
import { alertSubject } from '../activities/alert-templates';
import { createRateLimiter } from '../client/rate-limit';
import type { AlertMessage } from '../workflows/types';
import { deflectionReference, deflectionWorkflowId, validateDeflectionRequest } from '../workflows/deflection-types';
import { devServerEnv } from './helpers/temporal';

const SECRET = 'abuse-test-secret-0123456789';
const AUTH = { 'x-surge-deflection-secret': SECRET };

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

describe('deflection endpoint under abuse (real HTTP, dev server)', function () {
  this.timeout(60_000);
  let env: TestWorkflowEnvironment;
  const servers: RunningDeflectionServer[] = [];

  before(async function () {
    this.timeout(120_000);
    env = await devServerEnv();
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await env?.teardown();
  });

  async function server(overrides: Partial<DeflectionServerOptions> = {}): Promise<RunningDeflectionServer> {
    const running = await startDeflectionServer({ client: env.client, secret: SECRET, taskQueue: `abuse-${randomUUID()}`, port: 0, onError: () => undefined, ...overrides });
    servers.push(running);
    return running;
  }

  function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { conversationId: `conv-${randomUUID()}`, intent: 'order_status', channel: 'email', customerName: 'Dana Doe', customerEmail: 'victim@example.com', promisedWithinMinutes: 120, ...overrides };
  }

  async function post(url: string, payload: unknown, headers: Record<string, string> = AUTH): Promise<Answer> {
    const res = await fetch(`${url}/deflections`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
  }

  const exists = async (conversationId: string) =>
    env.client.workflow
      .getHandle(deflectionWorkflowId(conversationId))
      .describe()
      .then(
        () => true,
        (err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return false;
          throw err;
        },
      );
  const fieldsOf = (answer: Answer) => ((answer.json.fields ?? []) as { field: string }[]).map((f) => f.field);

  it('a flood of 30 promises to one recipient gets the limit accepted and 429 with Retry-After after', async () => {
    const { url } = await server();
    // Case and plus-tags do not make a new recipient.
    const emails = ['victim@example.com', 'Victim@Example.com', 'victim+1@example.com'];
    const payloads = Array.from({ length: 30 }, (_, i) => body({ customerEmail: emails[i % emails.length] }));
    const answers = await Promise.all(payloads.map((p) => post(url, p)));
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(accepted.length, 3, `statuses: ${answers.map((a) => a.status).join(',')}`);
    assert.equal(refused.length, 27);
    for (const answer of refused) {
      const retryAfter = Number(answer.headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 3600, `Retry-After ${answer.headers.get('retry-after')}`);
      assert.deepEqual(fieldsOf(answer), ['customerEmail']);
      assert.match(String(answer.json.error), /too many follow-ups promised to this email address/);
    }
    const started = await Promise.all(payloads.map((p) => exists(p.conversationId as string)));
    assert.equal(started.filter(Boolean).length, 3, 'only the accepted promises became workflows');
    // Another recipient is not affected.
    assert.equal((await post(url, body({ customerEmail: 'someone-else@example.com' }))).status, 201);
  });

  it('five retries of one conversation get one reference and count once against the recipient', async () => {
    const { url } = await server();
    const first = body({ customerEmail: 'retry@example.com' });
    const sequential = [await post(url, first), await post(url, first)];
    const concurrent = await Promise.all([post(url, first), post(url, first), post(url, first)]);
    const answers = [...sequential, ...concurrent];
    assert.deepEqual(answers.map((a) => a.status), [201, 200, 200, 200, 200]);
    assert.deepEqual(new Set(answers.map((a) => a.json.reference)), new Set([deflectionReference(first.conversationId as string)]));
    assert.equal(new Set(answers.map((a) => a.json.promisedBy)).size, 1);
    // Counted once: two more conversations fit under the limit of 3, the fourth does not.
    assert.equal((await post(url, body({ customerEmail: 'retry@example.com' }))).status, 201);
    assert.equal((await post(url, body({ customerEmail: 'retry@example.com' }))).status, 201);
    assert.equal((await post(url, body({ customerEmail: 'retry@example.com' }))).status, 429);
    // At the limit, a retry of the first still gets its reference.
    const late = await post(url, first);
    assert.equal(late.status, 200);
    assert.equal(late.json.reference, deflectionReference(first.conversationId as string));
  });

  it('limits each caller, before reading the body or checking credentials; X-Forwarded-For only when trusted', async () => {
    const { url } = await server({ callerLimit: { limit: 4, windowMs: 60_000 } });
    const spoofed = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    for (let i = 0; i < 4; i++) assert.equal((await post(url, body(), spoofed(i))).status, 401);
    const refused = await post(url, body(), { ...AUTH, ...spoofed(99) });
    assert.equal(refused.status, 429, 'a new X-Forwarded-For does not make a new client unless the proxy is trusted');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(String(refused.json.error), /too many requests from this client/);

    const proxied = await server({ callerLimit: { limit: 2, windowMs: 60_000 }, trustProxyHops: 1 });
    assert.equal((await post(proxied.url, body(), { ...AUTH, 'x-forwarded-for': '198.51.100.7' })).status, 201);
    assert.equal((await post(proxied.url, body(), { ...AUTH, 'x-forwarded-for': '198.51.100.7' })).status, 201);
    assert.equal((await post(proxied.url, body(), { ...AUTH, 'x-forwarded-for': '198.51.100.7' })).status, 429);
    assert.equal((await post(proxied.url, body(), { ...AUTH, 'x-forwarded-for': 'spoof, 198.51.100.8' })).status, 201, 'the hop our proxy appended names the client');
  });

  it('refuses a hostile eventId, names and intent with 400 naming the field, and starts nothing', async () => {
    const { url } = await server();
    const cases: [Record<string, unknown>, string][] = [
      [{ eventId: 'x] URGENT: reset your password at evil.example [y' }, 'eventId'],
      [{ eventId: 'Flash-Sale' }, 'eventId'],
      [{ customerName: 'Dana\r\nBcc: everyone@example.com' }, 'customerName'],
      [{ customerName: 'Dana\u0007' }, 'customerName'],
      [{ customerName: 'Dana \u202egnp.exe' }, 'customerName'],
      [{ customerName: 'D'.repeat(65) }, 'customerName'],
      [{ customerName: 'please log in at https://evil.example' }, 'customerName'],
      [{ intent: 'Your account is locked, call +1 555 0100 now!' }, 'intent'],
      [{ queueId: 'q <script>' }, 'queueId'],
    ];
    for (const [overrides, field] of cases) {
      const payload = body(overrides);
      const answer = await post(url, payload);
      assert.equal(answer.status, 400, JSON.stringify(overrides));
      assert.deepEqual(fieldsOf(answer), [field], JSON.stringify(answer.json));
      assert.equal(await exists(payload.conversationId as string), false);
    }
    // Ordinary names from anywhere are fine.
    for (const customerName of ['Zoë O\u2019Brien-Núñez', '山田 太郎', 'Dana <Doe> & Co.']) assert.equal((await post(url, body({ customerName, customerEmail: `${randomUUID()}@example.com` }))).status, 201, customerName);
  });

  it('answers 413 to a huge body before authentication, and 400 naming the body to malformed JSON', async () => {
    const { url } = await server();
    const huge = JSON.stringify(body({ customerName: 'x'.repeat(64 * 1024) }));
    const declared = await post(url, huge, {});
    assert.equal(declared.status, 413, 'too large even without credentials: nothing unauthenticated is read past the limit');
    assert.deepEqual(fieldsOf(declared), ['(body)']);
    assert.equal(declared.headers.get('connection'), 'close');

    // Chunked, no Content-Length: the reading stops at the limit all the same.
    const chunked = await new Promise<{ status: number; text: string; sentBytes: number }>((resolve, reject) => {
      let answered = false;
      let sent = 0;
      const req = httpRequest(`${url}/deflections`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentBytes: sent * chunk.length }));
      });
      req.on('error', (err) => (answered ? undefined : reject(err))); // the server closing on us after answering is expected
      const chunk = Buffer.alloc(8 * 1024, 'x');
      const pump = () => {
        // Keeps sending (up to 8 MB) until the server answers.
        while (!answered && sent < 1024 && req.write(chunk)) sent++;
        if (answered) return;
        if (sent < 1024) req.once('drain', pump);
        else req.end();
      };
      pump();
    });
    assert.equal(chunked.status, 413);
    assert.match(chunked.text, /over 16384 bytes/);
    assert.ok(chunked.sentBytes < 8 * 1024 * 1024, 'the server answered before the sender was done');

    const malformed = await post(url, '{"conversationId":');
    assert.equal(malformed.status, 400);
    assert.deepEqual(fieldsOf(malformed), ['(body)']);
    assert.match(String(malformed.json.error), /not valid JSON/);
  });

  it('keeps Temporal\'s error text in the server log and tells the caller what to do', async () => {
    const logged: string[] = [];
    const broken = new Client({ connection: env.client.connection, namespace: `no-such-namespace-${randomUUID().slice(0, 8)}` });
    const { url } = await server({ client: broken, onError: (err) => logged.push(err.message) });
    const answer = await post(url, body());
    assert.equal(answer.status, 503);
    assert.equal(answer.json.error, 'the promise could not be recorded right now; retry with the same conversationId');
    assert.equal(logged.length, 1);
    assert.match(logged[0], /namespace/i, 'the server log has the cause');
    assert.ok(!logged[0].includes(SECRET) && !logged[0].includes('victim@example.com'), 'no secret or customer data in the log');
  });
});

describe('deflection text rules (table)', () => {
  const base = { conversationId: 'c-1', intent: 'order_status', channel: 'email', customerEmail: 'a@b.example', promisedWithinMinutes: 60 };

  it('the workflow\'s legacy checks still take what was accepted before the rules', () => {
    const old = { ...base, eventId: 'Big Sale', customerName: 'Dana\u0007' };
    assert.equal(validateDeflectionRequest(old, Date.now()).ok, false);
    assert.equal(validateDeflectionRequest(old, Date.now(), false).ok, true);
  });

  it('greets only a printable, short, link-free name (promises accepted before the rules included)', () => {
    const table: [string | undefined, string | null][] = [
      [undefined, null],
      ['Dana  Doe', 'Dana Doe'],
      ['Dana\u0007', null],
      ['Dana\u202e', null],
      ['x'.repeat(65), null],
      ['visit www.evil.example', null],
      ['Zoë', 'Zoë'],
    ];
    for (const [name, greeted] of table) assert.equal(greetingName(name), greeted, JSON.stringify(name));
  });

  it('one recipient key per inbox', () => {
    const key = (customerEmail: string) => recipientKey({ channel: 'email', customerEmail });
    assert.equal(key('Dana+promo@Example.com'), key('dana@example.com'));
    assert.equal(key('d.a.n.a@gmail.com'), key('dana@gmail.com'));
    assert.notEqual(key('d.ana@example.com'), key('dana@example.com'));
    assert.equal(recipientKey({ channel: 'sms', customerPhone: '+14155550100' }), 'sms:+14155550100');
  });

  it('keeps a hostile eventId out of the alert subject and a hostile name out of the email, for inputs accepted before the rules', async () => {
    const sent: AlertMessage[] = [];
    const activities = createDeflectionActivities({
      brand: { name: 'Acme Store', supportUrl: 'https://help.acme.example' },
      email: { via: 'smtp', transport: {} as never, from: 'care@acme.example' },
      alerts: { sendAlert: async (alert) => (sent.push(alert), { messageId: 'm-1' }), recipients: ['ops@acme.example'] },
    });
    const request = { ...base, channel: 'email' as const, promisedBy: '2026-03-01T11:00:00Z', eventId: 'x] URGENT: reset your password at evil.example [y', customerName: 'Dana\u202e\u0007' };
    const reference = deflectionReference(request.conversationId);
    const status = { promisedBy: request.promisedBy, promisedAt: '2026-03-01T09:00:00Z' } as never;
    await activities.sendDeflectionAlert({ request, reference, kind: 'at-risk', status });
    assert.equal(sent[0]!.eventId, 'deflections');
    assert.match(alertSubject(sent[0]!), /^\[surge deflections\] Deflection DF-/);
    assert.doesNotMatch(sent[0]!.body, /\u202e|\u0007/);
    const email = renderDeflectionEmail({ brand: { name: 'Acme Store', supportUrl: 'https://help.acme.example' }, request, reference, content: { ready: true, headline: 'Update', lines: [] } });
    assert.match(email.text, /^Hello,\n/);
  });

  it('limits with token buckets: the burst, then one per limit-th of the window, refunds and pruning (table)', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 3600_000 }, () => now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 1200, 'the next token is 20 minutes away');
    assert.equal(limiter.take('b'), 0, 'keys are separate');
    now += 600_000;
    assert.equal(limiter.wait('a'), 600);
    limiter.refund('a');
    assert.equal(limiter.take('a'), 0, 'a refunded token can be taken again');
    assert.equal(limiter.take('a'), 600);
    now += 3 * 3600_000;
    for (let i = 0; i < 1_500; i++) limiter.take(`k${i}`);
    assert.equal(limiter.size, 1_500, 'the rested keys a and b were pruned, the 1500 in use kept');
    assert.throws(() => createRateLimiter({ limit: 0, windowMs: 1000 }), /whole number >= 1/);
  });

  it('reads the limits from the environment, naming a wrong variable (table)', () => {
    const defaults = deflectionServerOptionsFromEnv({ DEFLECTION_SHARED_SECRET: SECRET });
    assert.deepEqual([defaults.recipientLimit, defaults.callerLimit, defaults.trustProxyHops], [{ limit: 3, windowMs: 3600_000 }, { limit: 3000, windowMs: 60_000 }, 0]);
    const set = deflectionServerOptionsFromEnv({ DEFLECTION_SHARED_SECRET: SECRET, DEFLECTION_RECIPIENT_LIMIT: '5', DEFLECTION_RECIPIENT_WINDOW_SECONDS: '86400', DEFLECTION_TRUST_PROXY: 'true' });
    assert.deepEqual([set.recipientLimit, set.trustProxyHops], [{ limit: 5, windowMs: 86_400_000 }, 1]);
    for (const [name, value] of [['DEFLECTION_RECIPIENT_LIMIT', '2.5'], ['DEFLECTION_CALLER_WINDOW_SECONDS', '-1'], ['DEFLECTION_TRUST_PROXY', 'maybe']]) {
      assert.throws(() => deflectionServerOptionsFromEnv({ DEFLECTION_SHARED_SECRET: SECRET, [name]: value }), new RegExp(name));
    }
    assert.deepEqual(dashboardGuardsFromEnv({}), { trustProxyHops: 0, authFailureLimit: { limit: 10, windowMs: 900_000 } });
    assert.equal(dashboardGuardsFromEnv({ DASHBOARD_PUBLIC_URL: 'https://ops.example.com' }).publicUrl, 'https://ops.example.com');
    assert.throws(() => dashboardGuardsFromEnv({ DASHBOARD_PUBLIC_URL: 'ops.example.com' }), /DASHBOARD_PUBLIC_URL/);
    assert.throws(() => dashboardGuardsFromEnv({ DASHBOARD_AUTH_FAILURE_LIMIT: '0' }), /DASHBOARD_AUTH_FAILURE_LIMIT/);
  });
});
