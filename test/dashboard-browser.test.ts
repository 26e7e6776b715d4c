// The ops dashboard end to end: the real surgeEvent workflow on `temporal server start-dev` (list queries
// need its visibility store) with scripted fake activities, the dashboard server over SurgeClient, and
// headless Chromium driving the page the way an operator would.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SurgeClient } from '../client/surge-client';
import { startDashboard, type RunningDashboard } from '../client/dashboard/server';
import type { EventConfig } from '../workflows/types';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld, type Metrics } from './helpers/fake-world';
import { devServerEnv, workflowBundle } from './helpers/temporal';

const TOKEN = 'alice:alice-secret-token';
const CALM: Metrics = { waiting: 10, agentsAvailable: 20 };
const SURGE: Metrics = { waiting: 450, agentsAvailable: 2 };

describe('ops dashboard (dev server, real workflow, headless Chromium)', function () {
  this.timeout(60_000);
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let surge: SurgeClient;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let metrics: Metrics = CALM;
  let config: EventConfig;
  const world = new FakeWorld();
  world.metrics = () => metrics;

  before(async function () {
    this.timeout(120_000);
    const [e, bundle] = await Promise.all([devServerEnv(), workflowBundle()]);
    env = e;
    const taskQueue = `dashboard-${randomUUID()}`;
    worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    workerRun = worker.run();
    surge = new SurgeClient(env.client, { taskQueue, updateTimeoutMs: 15_000 });
    dashboard = await startDashboard({ surge, token: TOKEN, port: 0, temporalUiUrl: 'http://127.0.0.1:8233', streamIntervalMs: 500, log: () => undefined });
    const now = Date.now();
    // Fast rules (1 s polls, 2 s windows) so a surge moves tiers within seconds of wall-clock time.
    config = testEventConfig({
      eventId: `dash-${randomUUID().slice(0, 8)}`,
      name: 'Dashboard flash sale',
      startAt: new Date(now - 1000).toISOString(),
      endAt: new Date(now + 3600_000).toISOString(),
      pollIntervalSeconds: 1,
      simulatedTimeScale: 30, // 1 wall second stands for a real 30 s poll: bounds apply to simulated time
      tiers: {
        1: { activate: { waitingAbove: 50, sustainSeconds: 2 }, restore: { waitingBelow: 50, sustainSeconds: 2 } },
        2: { activate: { waitingAbove: 200, agentsAvailableBelow: 5, consecutivePolls: 2 }, restore: { waitingBelow: 50, sustainSeconds: 2 } },
        3: { trigger: 'manual', activate: { waitingAbove: 400, consecutivePolls: 2 }, restore: { waitingBelow: 200, sustainSeconds: 2 } },
      },
    });
    await surge.startEvent(config);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await dashboard?.close();
    if (config) await surge?.endEvent(config.eventId, { reason: 'test over', by: 'test' }).catch(() => undefined);
    worker?.shutdown();
    await workerRun?.catch(() => undefined);
    await env?.teardown();
  });

  const url = (path: string) => `${dashboard.url}${path}`;
  const bearer = { Authorization: `Bearer ${TOKEN.split(':')[1]}` };
  async function csrfToken(): Promise<string> {
    const res = await fetch(url('/api/session'), { headers: bearer });
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(url(path), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('without a valid token every route answers 401 and no data', async () => {
    const id = config.eventId;
    for (const [path, headers] of [
      ['/', {}],
      ['/api/events', {}],
      [`/api/events/${id}`, {}],
      [`/api/events/${id}/stream`, {}],
      ['/api/session', {}],
      ['/api/events', { Authorization: 'Bearer wrong-token-value' }],
      ['/api/events', { Authorization: `Basic ${Buffer.from('alice:alice-secret-token').toString('base64')}` }],
    ] as const) {
      const res = await fetch(url(path), { headers });
      const body = await res.text();
      assert.equal(res.status, 401, `${path} with ${JSON.stringify(headers)}`);
      assert.ok(!body.includes(id) && !body.includes('Dashboard flash sale'), `${path} leaked event data: ${body.slice(0, 200)}`);
    }
    const forced = await post(`/api/events/${id}/tiers/1`, { Origin: dashboard.url }, { mode: 'on', reason: 'x' });
    assert.equal(forced.status, 401);
    assert.match((await fetch(url('/'))).headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('refuses cross-site and token-less state changes with 403 naming why, and leaves the event untouched', async () => {
    const id = config.eventId;
    const csrf = await csrfToken();
    const body = { mode: 'on', reason: 'forged' };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...bearer, 'X-CSRF-Token': csrf, Origin: 'http://evil.example' }, /Origin "http:\/\/evil.example" is not this dashboard/],
      [{ ...bearer, 'X-CSRF-Token': csrf, Origin: dashboard.url, 'Sec-Fetch-Site': 'cross-site' }, /Sec-Fetch-Site is "cross-site"/],
      [{ ...bearer, Origin: dashboard.url }, /CSRF token missing/],
      [{ ...bearer, Origin: dashboard.url, 'X-CSRF-Token': 'guess' }, /CSRF token does not match/],
      [{ ...bearer, 'X-CSRF-Token': csrf }, /no Origin header/],
    ];
    for (const [headers, why] of cases) {
      const res = await post(`/api/events/${id}/tiers/1`, headers, body);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(((await res.json()) as { error: string }).error, why);
    }
    const status = await surge.status(id);
    assert.equal(status.tiers[0]?.mode, 'auto');
    assert.ok(!status.transitions.some((t) => t.reason === 'forged'));
  });

  it('answers bad requests with 400 naming the field, unknown events with 404, refusals with 409 and the workflow reason', async () => {
    const headers = { ...bearer, Origin: dashboard.url, 'X-CSRF-Token': await csrfToken() };
    const id = config.eventId;
    const expectations: [string, unknown, number, RegExp][] = [
      [`/api/events/${id}/tiers/7`, { mode: 'on', reason: 'r' }, 400, /^tier: must be 1, 2, 3 or 4/],
      [`/api/events/${id}/tiers/1`, { mode: 'sideways', reason: 'r' }, 400, /^mode: must be auto, on or off/],
      [`/api/events/${id}/tiers/1`, { mode: 'on' }, 400, /^reason: a non-empty reason/],
      [`/api/events/${id}/pause`, { reason: '  ' }, 400, /^reason:/],
      [`/api/events/Bad_Id/pause`, { reason: 'r' }, 400, /^eventId:/],
      [`/api/events/no-such-event/pause`, { reason: 'r' }, 404, /no event "no-such-event"/],
      [`/api/events/${id}/resume`, {}, 409, /refused: .*not paused/i],
    ];
    for (const [path, body, status, error] of expectations) {
      const res = await post(path, headers, body);
      const answer = (await res.json()) as { error: string };
      assert.equal(res.status, status, `${path} ${JSON.stringify(body)}: ${answer.error}`);
      assert.match(answer.error, error);
    }
    const unknown = await fetch(url('/api/events/no-such-event'), { headers: bearer });
    assert.equal(unknown.status, 404);
    const listed = (await (await fetch(url('/api/events'), { headers: bearer })).json()) as { events: { eventId: string }[] };
    assert.ok(listed.events.some((e) => e.eventId === id), 'the running event is listed (visibility query)');
    const one = (await (await fetch(url(`/api/events/${id}`), { headers: bearer })).json()) as { thresholds: { thresholds: { tier: number; value: number }[] }; workflowUrl: string };
    assert.ok(one.thresholds.thresholds.some((t) => t.tier === 3 && t.value === 400), 'tier 3 recommend line at 400');
    assert.equal(one.workflowUrl, `http://127.0.0.1:8233/namespaces/default/workflows/surge-event-${id}`);
  });

  it('lets an operator watch a surge live and act on it from the page', async function () {
    const page: Page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
    const consoleErrors: string[] = [];
    const failedRequests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('requestfailed', (r) => failedRequests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      // The second pause is refused on purpose (409); anything else >= 400 is a bug.
      if (r.status() >= 400 && !(r.status() === 409 && r.url().endsWith('/pause'))) failedRequests.push(`${r.url()} ${r.status()}`);
    });

    // Sign in through the form: the page then runs on the HttpOnly session cookie.
    await page.goto(url('/login'));
    await page.getByLabel('Operator token').fill(TOKEN.split(':')[1]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(url('/'));
    await page.getByRole('link', { name: new RegExp(config.eventId) }).click();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'surge_session');
    assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict', 'session cookie is HttpOnly and SameSite=Strict');

    // Tiers render.
    for (const tier of [1, 2, 3, 4]) await page.locator(`#tier-${tier}`).waitFor();
    assert.match(await page.locator('#tier-3').innerText(), /widget throttling/);
    assert.equal(await page.locator('#temporal-link').getAttribute('href'), `http://127.0.0.1:8233/namespaces/default/workflows/surge-event-${config.eventId}`);

    // Live: a surge in the fake world reaches the page without a reload.
    metrics = SURGE;
    await page.locator('#waiting-now', { hasText: '450' }).waitFor();
    await page.locator('#tier-1 .pill.on').waitFor({ timeout: 15_000 });
    await page.locator('#tier-2 .pill.on').waitFor();
    const approve = page.getByRole('button', { name: 'Approve tier 3' });
    await approve.waitFor();

    // Approve the recommendation (= force tier 3 on): reason and confirmation.
    await approve.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('approved: queue past 400');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#tier-3 .pill.on').waitFor();
    let status = await surge.status(config.eventId);
    assert.equal(status.tiers[2]?.mode, 'on');
    assert.equal(status.tiers[2]?.active, true);
    assert.deepEqual(
      { by: status.transitions.at(-1)?.by, reason: status.transitions.at(-1)?.reason },
      { by: 'alice', reason: 'approved: queue past 400' },
    );
    await page.locator('#transitions tr', { hasText: 'approved: queue past 400' }).filter({ hasText: 'alice' }).waitFor();

    // Force a tier with the per-tier button: it shows up in status and in the log with its reason.
    await page.locator('#action-tier-4-on').click();
    await dialog.getByLabel(/Reason/).fill('messenger flaky, pre-empting');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#tier-4 .pill.on').waitFor();
    status = await surge.status(config.eventId);
    assert.equal(status.tiers[3]?.mode, 'on');
    await page.locator('#transitions tr', { hasText: 'messenger flaky, pre-empting' }).waitFor();

    metrics = { waiting: 321, agentsAvailable: 3 };
    await page.locator('#waiting-now', { hasText: '321' }).waitFor();
    await page.locator('#agents-now', { hasText: '3' }).waitFor();
    await mkdir('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/dashboard-surge.png', fullPage: true });

    // A refused action shows the workflow's reason: pause twice.
    await page.locator('#action-pause').click();
    await dialog.getByLabel(/Reason/).fill('investigating');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#paused-badge').waitFor();
    await page.locator('#action-pause').click();
    await dialog.getByLabel(/Reason/).fill('again');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.locator('#confirm-error', { hasText: /already paused: investigating \(alice\)/ }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Chromium logs every 4xx response; the one refused pause is the only one allowed.
    const refusalLog = 'Failed to load resource: the server responded with a status of 409 (Conflict)';
    assert.deepEqual(consoleErrors.filter((e) => e !== refusalLog), [], 'no console errors');
    assert.equal(consoleErrors.filter((e) => e === refusalLog).length, 1, 'exactly the refused pause');
    assert.deepEqual(failedRequests, [], 'no failed requests');
    await page.close();
  });
});
