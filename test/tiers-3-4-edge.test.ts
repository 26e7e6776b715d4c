// Tiers 3 and 4 end to end: the real surgeEvent workflow (time-skipping server) decides, the REAL Cloudflare
// activity writes through the SDK to the Cloudflare API sandbox, whose KV is the namespace the REAL edge
// Worker reads in workerd (Miniflare), and Chromium shows what a visitor sees: the at-capacity notice once an
// operator approves tier 3, then the static fallback page once a platform outage (the Genesys Messenger
// bootstrap failing the REAL probe) raises tier 4. Queue metrics and Genesys writes are the recording fakes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { chromium, type Browser } from 'playwright-core';
import { createCloudflareActivities, createCloudflareClient } from '../activities/cloudflare';
import { createProbeActivities } from '../activities/probe';
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox, type KvBackend } from '../sandbox/cloudflare';
import { startLocalEdge, type LocalEdge } from '../sandbox/edge';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox, type MessengerSandbox } from '../sandbox/messenger/server';
import { endEventUpdate, setTierModeUpdate, statusQuery, type SurgeStatus } from '../workflows/messages';
import { surgeEvent } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { timeSkippingEnv, workflowBundle } from './helpers/temporal';

const POLL_SECONDS = 60;
// As edge-browser.test.ts launches it (importing that file would run its tests here too).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Awaits a condition, checking every 100 ms of wall time (the workflow and the edge run on their own). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('tiers 3 and 4 end to end: workflow -> Cloudflare activity -> KV -> edge Worker -> Chromium', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let messenger: MessengerSandbox;
  let edge: LocalEdge;
  let cloudflare: CloudflareSandbox;
  let browser: Browser;

  before(async function () {
    this.timeout(240_000);
    messenger = await startMessengerSandbox();
    edge = await startLocalEdge({ messengerUpstream: messenger.url });
    // The API sandbox stores values in the Worker's own namespace, so a write through the SDK reaches the edge.
    // The workflow runs on skipped time, so minutes of its time pass in a real second: KV's one-write-per-second
    // limit on the wall clock would refuse writes a skipped minute apart (test/cloudflare-sandbox.test.ts covers it).
    cloudflare = await startCloudflareSandbox({ kv: edge.kv as unknown as KvBackend, minWriteIntervalMs: 0 });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    env = await timeSkippingEnv();
  });
  after(async () => {
    await env?.teardown();
    await browser?.close();
    await cloudflare?.close();
    await edge?.dispose();
    await messenger?.close();
  });

  it('an approved tier 3 shows the at-capacity notice; a platform outage then raises tier 4 and the fallback page; the end restores both', async () => {
    const world = new FakeWorld();
    // A surge the whole time: tier 3 (manual) recommends once waiting > 400 for 3 polls.
    world.metrics = () => ({ waiting: 500, agentsAvailable: 0 });
    const realCloudflare = createCloudflareActivities({
      client: createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.token, baseURL: cloudflare.url }),
      accountId: SANDBOX_CLOUDFLARE.accountId,
      namespaceId: SANDBOX_CLOUDFLARE.namespaceId,
    });
    const cloudflareCalls: string[] = [];
    // The real Cloudflare activities (writes and the observe step's read-backs) and the real probe, with the order
    // of the writes recorded; the queue metrics are the fake world's.
    const activities = world.activities({
      setEdgeFlag: async (input) => {
        await realCloudflare.setEdgeFlag(input);
        cloudflareCalls.push(`${input.key}=${input.value}`);
      },
      publishSupportStatus: async (input) => {
        await realCloudflare.publishSupportStatus(input);
        cloudflareCalls.push(`support_status=${input.status.level}`);
      },
      readEdgeFlag: realCloudflare.readEdgeFlag,
      ...createProbeActivities({ timeoutMs: 5_000 }),
    });
    const now = await env.currentTimeMs();
    const config = testEventConfig({
      eventId: `e2e-${randomUUID().slice(0, 8)}`,
      startAt: new Date(now).toISOString(),
      endAt: new Date(now + 8 * 3_600_000).toISOString(),
      pollIntervalSeconds: POLL_SECONDS,
      // Tier 4's probe: the Messenger bootstrap on the Genesys apps host (the sandbox), as a browser loads it.
      messengerProbeUrl: `${messenger.url}${FAKE_BOOTSTRAP_PATH}`,
      // A sandbox config (real time, scale 1): only sandbox configs may probe a loopback Messenger host.
      simulatedTimeScale: 1,
    });
    const taskQueue = `e2e-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: await workflowBundle(), taskQueue, activities });

    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config }] });
      const status = () => handle.query(statusQuery);
      const tier = (s: SurgeStatus, t: number) => s.tiers[t - 1];

      // Three polls of the surge (skipped time): tier 3 is recommended, and stays off until approved.
      await env.sleep(3 * POLL_SECONDS * 1000);
      await until('tier 3 recommended', async () => tier(await status(), 3).recommendation?.action === 'activate');
      assert.equal(tier(await status(), 3).active, false);
      assert.notEqual(await edge.kv.get('chat_surge_active'), 'true', 'the stub is not switched on before the operator approves');

      // The operator approves tier 3 by forcing it on; the workflow confirms the real KV write.
      await handle.executeUpdate(setTierModeUpdate, { args: [{ tier: 3, mode: 'on', reason: 'approved: queue at 500', by: 'ops@example.com' }] });
      await until('tier 3 applied', async () => tier(await status(), 3).applied === true);
      assert.equal(await edge.kv.get('chat_surge_active'), 'true');

      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const pageErrors: string[] = [];
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.goto(`${edge.url}/store`);
        await page.getByRole('status').filter({ hasText: 'Chat is at capacity right now' }).waitFor({ state: 'visible' });
        assert.equal(await page.locator('#genesys-fake-launcher').count(), 0, 'the real Messenger did not load');

        // A platform outage: the Messenger bootstrap fails at Genesys. Three failed probes raise tier 4.
        messenger.failWith(503);
        await env.sleep(3 * POLL_SECONDS * 1000);
        await until('tier 4 applied', async () => {
          const s = await status();
          return tier(s, 4).active && tier(s, 4).applied === true;
        });
        const raised = await status();
        assert.match(tier(raised, 4).reason, /consecutive failed probes/);
        assert.equal(tier(raised, 3).active, true, 'tier 4 never moves tier 3');
        assert.equal(await edge.kv.get('chat_fallback_active'), 'true');
        const published = JSON.parse((await edge.kv.get('support_status')) ?? 'null') as { level: string; message: string };
        assert.equal(published.level, 'outage');
        const fallbackOn = cloudflareCalls.indexOf('chat_fallback_active=true');
        assert.equal(cloudflareCalls[fallbackOn - 1], 'support_status=outage', 'README rule: "tier 4 publishes the fallback page\'s status (KV `support_status`) just before it flips `chat_fallback_active`"');

        // The support page is now the static fallback page, showing the status the workflow published.
        await page.goto(`${edge.url}/support`);
        await page.locator('#status-message', { hasText: published.message }).waitFor();
        assert.ok(await page.getByRole('heading', { name: "We're still here to help" }).isVisible());
        assert.equal(await page.locator('#status').getAttribute('data-level'), 'outage');

        // The event ends: every tier is restored, and the visitor gets the real Messenger again.
        messenger.failWith(null);
        await handle.executeUpdate(endEventUpdate, { args: [{ reason: 'drill over', by: 'ops@example.com' }] });
        const ended = await handle.result();
        assert.equal(ended.phase, 'ended', JSON.stringify((await handle.query(statusQuery)).endingFailures));
        assert.equal(await edge.kv.get('chat_surge_active'), 'false');
        assert.equal(await edge.kv.get('chat_fallback_active'), 'false');
        await page.goto(`${edge.url}/store`);
        await page.locator('#genesys-fake-launcher').waitFor({ state: 'visible' });
        assert.equal(await page.locator('#genesys-capacity-notice').count(), 0);
        assert.deepEqual(pageErrors, []);
      } finally {
        await context.close();
      }
    });
  });
});
