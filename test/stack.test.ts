// Boots the local stack the way `npm start` does (random ports, a temporary state folder, the flash sale
// faster than the demo's default) and checks every printed URL answers, the demo event reaches tier 2 and
// comes back, and alert emails arrive in the sandbox mailbox.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { SurgeClient } from '../client/surge-client';
import { DEMO_EVENT_ID, startStack, type Stack } from '../sandbox/stack';

const ANY_PORT = { temporal: 0, temporalUi: 0, dashboard: 0, edge: 0, genesys: 0, cloudflare: 0, smtp: 0, smtpHttp: 0, messenger: 0, deflection: 0, codecServer: 0 };

describe('local stack (npm start)', function () {
  this.timeout(420_000);
  let stack: Stack;
  let stateDir: string;

  before(async function () {
    this.timeout(180_000);
    stateDir = mkdtempSync(path.join(tmpdir(), 'surge-stack-'));
    stack = await startStack({ ports: ANY_PORT, stateDir, acceleration: 60, log: () => undefined });
  });
  after(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('every printed URL answers', async () => {
    const answers = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;
    assert.equal(await answers(stack.urls.temporalUi), 200, 'Temporal UI');
    assert.equal(await answers(stack.urls.storefront), 200, 'storefront through the edge');
    assert.equal(await answers(stack.urls.mailbox), 200, 'mailbox');
    assert.equal(await answers(stack.urls.deflections, { method: 'POST', body: '{}' }), 401, 'the deflection endpoint wants its secret');
    assert.equal(await answers(`${stack.urls.dashboard}/api/events`), 401, 'the dashboard answers, and wants a token');
    assert.equal(await answers(`${stack.urls.dashboard}/api/events`, { headers: { authorization: `Bearer ${tokenSecret(stack.dashboardToken)}` } }), 200);
    assert.equal(await answers(`${stack.urls.genesys}/api/v2/routing/queues`), 401, 'Genesys sandbox wants OAuth');
    assert.equal(await answers(`${stack.urls.cloudflare}/user/tokens/verify`), 401, 'Cloudflare sandbox wants a token');
    assert.equal(await answers(`${stack.urls.storefront}/genesys-bootstrap/genesys.min.js`), 200, 'Messenger bootstrap through the edge');
    await stack.client.workflowService.getSystemInfo({});
    // The Web UI decodes the (encrypted) payloads through the local codec server.
    const settings = (await (await fetch(`${stack.urls.temporalUi}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    assert.equal(settings.Codec?.Endpoint?.startsWith(stack.urls.codecServer), true, JSON.stringify(settings.Codec));
    assert.equal(await answers(`${stack.urls.codecServer}/decode`, { method: 'POST', body: '{"payloads":[]}' }), 401, 'the codec server wants its token');
  });

  it('the demo event reaches at least tier 2 and comes back, and alerts arrive by email', async () => {
    const surge = new SurgeClient(stack.client);
    const status = () => surge.status(DEMO_EVENT_ID);
    // At 60x the sale's onset (minute 30) comes after 30 s, its decay to baseline (minute 150) after 150 s.
    await waitFor(async () => (await status()).tiers[1]?.active === true, 'tier 2 activated', 150_000, async () => JSON.stringify((await status()).lastSample));
    await waitFor(async () => {
      const s = await status();
      return s.transitions.some((t) => t.tier === 2 && !t.to) && !s.tiers[1]?.active;
    }, 'tier 2 restored', 240_000, async () => JSON.stringify((await status()).lastSample));
    const mail = await stack.world.smtp.waitForMessage((m) => /tier 2 ACTIVATED/.test(m.subject), 10_000);
    assert.deepEqual(mail.envelope.to, ['cc-ops@example.com']);
  });
});

function tokenSecret(token: string): string {
  return token.includes(':') ? token.slice(token.indexOf(':') + 1) : token;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // the demo workflow may not have been picked up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}; last sample ${explain ? await explain().catch(String) : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
