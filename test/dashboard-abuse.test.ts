// The ops dashboard under abuse, from outside: real HTTP against the server on `temporal server start-dev`
// with the real surgeEvent workflow (fake activities), and headless Chromium where cookies matter.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { chromium, type Browser } from 'playwright-core';
import { SurgeClient } from '../client/surge-client';
import { parseCookies } from '../client/dashboard/auth';
import { startDashboard, type RunningDashboard, type StartDashboardOptions } from '../client/dashboard/server';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { devServerEnv, workflowBundle } from './helpers/temporal';

const SECRET = 'alice-secret-token';
const TOKEN = `alice:${SECRET}`;

describe('ops dashboard under abuse (dev server, real workflow)', function () {
  this.timeout(60_000);
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let surge: SurgeClient;
  let browser: Browser | undefined;
  const dashboards: RunningDashboard[] = [];
  const eventId = `abuse-${randomUUID().slice(0, 8)}`;

  before(async function () {
    this.timeout(120_000);
    const [e, bundle] = await Promise.all([devServerEnv(), workflowBundle()]);
    env = e;
    const taskQueue = `dashboard-abuse-${randomUUID()}`;
    const world = new FakeWorld();
    world.metrics = () => ({ waiting: 10, agentsAvailable: 20 });
    worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    workerRun = worker.run();
    surge = new SurgeClient(env.client, { taskQueue, updateTimeoutMs: 15_000 });
    const now = Date.now();
    await surge.startEvent(testEventConfig({ eventId, startAt: new Date(now - 1000).toISOString(), endAt: new Date(now + 3600_000).toISOString(), pollIntervalSeconds: 5 }));
  });
  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await Promise.all(dashboards.map((d) => d.close()));
    await surge?.endEvent(eventId, { reason: 'test over', by: 'test' }).catch(() => undefined);
    worker?.shutdown();
    await workerRun?.catch(() => undefined);
    await env?.teardown();
  });

  async function dashboard(overrides: Partial<StartDashboardOptions> = {}): Promise<RunningDashboard> {
    const running = await startDashboard({ surge, token: TOKEN, port: 0, temporalUiUrl: 'http://127.0.0.1:8233', streamIntervalMs: 200, log: () => undefined, ...overrides });
    dashboards.push(running);
    return running;
  }

  /** Signs in through the form as a browser would; the session cookie's `name=value`. */
  async function signIn(base: string, secret = SECRET, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, ...headers },
      body: new URLSearchParams({ token: secret }).toString(),
    });
  }
  const sessionCookie = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

  /** Reads an SSE response to its end; the event names seen. */
  async function readStream(res: Response, onFirstStatus: () => Promise<void> | void): Promise<string[]> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const events: string[] = [];
    let buffered = '';
    let acted = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffered += decoder.decode(value, { stream: true });
      for (let cut = buffered.indexOf('\n\n'); cut >= 0; cut = buffered.indexOf('\n\n')) {
        const name = /^event: (.+)$/m.exec(buffered.slice(0, cut))?.[1];
        buffered = buffered.slice(cut + 2);
        if (!name) continue;
        events.push(name);
        if (name === 'status' && !acted) {
          acted = true;
          await onFirstStatus();
        }
      }
    }
  }

  it('login brute force gets 429 with Retry-After, even for the right token, and a forged X-Forwarded-For does not reset it', async () => {
    const { url } = await dashboard({ authFailureLimit: { limit: 3, windowMs: 15 * 60_000 } });
    for (let i = 0; i < 3; i++) assert.equal((await signIn(url, `guess-${i}-xxxxxxxx`, { 'X-Forwarded-For': `203.0.113.${i}` })).status, 401);
    const refused = await signIn(url, SECRET, { 'X-Forwarded-For': '203.0.113.200' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After ${refused.headers.get('retry-after')}`);
    assert.match(await refused.text(), /Too many sign-in attempts/);
    assert.equal(refused.headers.get('set-cookie'), null);
    // Bearer guesses are the same attempts from the same client.
    const bearer = await fetch(`${url}/api/events`, { headers: { Authorization: `Bearer ${SECRET}` } });
    assert.equal(bearer.status, 429);
    assert.ok(Number(bearer.headers.get('retry-after')) >= 1);
  });

  it('bearer guesses are limited per client; behind a trusted proxy the forwarded address is the client', async () => {
    const { url } = await dashboard({ authFailureLimit: { limit: 2, windowMs: 15 * 60_000 }, trustProxyHops: 1 });
    const get = (auth: string, client: string) => fetch(`${url}/api/events`, { headers: { Authorization: auth, 'X-Forwarded-For': client } });
    assert.equal((await get('Bearer wrong-token-1', '198.51.100.1')).status, 401);
    assert.equal((await get('Bearer wrong-token-2', '198.51.100.1')).status, 401);
    assert.equal((await get('Bearer wrong-token-3', '198.51.100.1')).status, 429);
    assert.equal((await get(`Bearer ${SECRET}`, '198.51.100.2')).status, 200, 'another client behind the proxy is not locked out');
  });

  it('ends the live stream at logout, and the stream cannot be reopened with the old cookie', async () => {
    const { url } = await dashboard();
    const cookie = sessionCookie(await signIn(url));
    const csrf = ((await (await fetch(`${url}/api/session`, { headers: { Cookie: cookie } })).json()) as { csrfToken: string }).csrfToken;
    const stream = await fetch(`${url}/api/events/${eventId}/stream`, { headers: { Cookie: cookie } });
    assert.equal(stream.status, 200);
    const events = await readStream(stream, async () => {
      const out = await fetch(`${url}/logout`, { method: 'POST', headers: { Cookie: cookie, Origin: url, 'X-CSRF-Token': csrf } });
      assert.equal(out.status, 200);
    });
    assert.equal(events.at(-1), 'signed-out');
    assert.equal((await fetch(`${url}/api/events/${eventId}/stream`, { headers: { Cookie: cookie } })).status, 401);
  });

  it('ends the live stream when the session expires', async () => {
    const { url } = await dashboard({ sessionTtlMs: 1500 });
    const cookie = sessionCookie(await signIn(url));
    const stream = await fetch(`${url}/api/events/${eventId}/stream`, { headers: { Cookie: cookie } });
    assert.equal(stream.status, 200);
    const events = await readStream(stream, () => undefined);
    assert.ok(events.includes('status'));
    assert.equal(events.at(-1), 'signed-out');
  });

  it('sets Secure from DASHBOARD_PUBLIC_URL, never from a client-sent X-Forwarded-Proto', async () => {
    const plain = await dashboard();
    const spoofed = await signIn(plain.url, SECRET, { 'X-Forwarded-Proto': 'https' });
    assert.equal(spoofed.status, 303);
    assert.doesNotMatch(spoofed.headers.get('set-cookie') ?? '', /Secure/);
    const behindTls = await dashboard({ publicUrl: 'https://ops.example.com' });
    const secure = await signIn(behindTls.url);
    assert.equal(secure.status, 303);
    assert.match(secure.headers.get('set-cookie') ?? '', /; Secure/);
  });

  it('a malformed cookie from another app on the host does not lock a signed-in operator out (browser)', async function () {
    this.timeout(90_000);
    const { url } = await dashboard();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel('Operator token').fill(SECRET);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/`);
    // Cookies ignore ports: another service on 127.0.0.1 sets one that is not valid percent-encoding.
    await context.addCookies([{ name: 'foo', value: '%', domain: '127.0.0.1', path: '/' }]);
    await page.reload();
    await page.getByRole('link', { name: new RegExp(eventId) }).click();
    await page.locator('#tier-1').waitFor();
    const api = await page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(api, 200);
    const sent = (await context.cookies()).map((c) => c.name).sort();
    assert.deepEqual(sent, ['foo', 'surge_session']);
  });

  it('parses cookies leniently (table)', () => {
    const table: [string | undefined, [string, string][]][] = [
      [undefined, []],
      ['surge_session=abc', [['surge_session', 'abc']]],
      ['foo=%; surge_session=abc', [['surge_session', 'abc']]],
      ['foo=%E0%A4%A; surge_session=a%20b', [['surge_session', 'a b']]],
      ['surge_session=first; surge_session=second', [['surge_session', 'first']]],
      ['novalue; =x; a=1', [['a', '1']]],
    ];
    for (const [header, expected] of table) assert.deepEqual([...parseCookies(header)], expected, String(header));
  });
});
