// Boots the local stack the way `npm start` does (random ports, a temporary state folder, the flash sale
// faster than the demo's default) and checks every printed URL answers and the status line moves; then stops
// it, waits until that demo's (deliberately short) window has passed, starts again on the same state, and
// checks the new start runs a fresh demo: tier 2 comes on within two minutes, its alert arrives by email, and
// the flash sale starts over with every tier restored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { SurgeClient } from '../client/surge-client';
import { DEMO_EVENT_ID, startStack, type Stack } from '../sandbox/stack';

const ANY_PORT = { temporal: 0, temporalUi: 0, dashboard: 0, edge: 0, genesys: 0, cloudflare: 0, smtp: 0, smtpHttp: 0, messenger: 0, deflection: 0, codecServer: 0 };
const ACCELERATION = 60;

describe('local stack (npm start)', function () {
  this.timeout(600_000);
  let stack: Stack | undefined;
  let stateDir: string;
  let lines: string[] = [];
  const boot = (demoWindowMs?: number) =>
    startStack({
      ports: ANY_PORT,
      stateDir,
      acceleration: ACCELERATION,
      ...(demoWindowMs ? { demoWindowMs } : {}),
      demoStatusEveryMs: 1_000,
      log: (line) => lines.push(line),
    });

  before(async function () {
    this.timeout(180_000);
    stateDir = mkdtempSync(path.join(tmpdir(), 'surge-stack-'));
    // A window of 40 s: long enough for the checks below, over before the second start.
    stack = await boot(40_000);
  });
  after(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('every printed URL answers', async () => {
    const s = stack!;
    const answers = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;
    assert.equal(await answers(s.urls.temporalUi), 200, 'Temporal UI');
    assert.equal(await answers(s.urls.storefront), 200, 'storefront through the edge');
    assert.equal(await answers(s.urls.mailbox), 200, 'mailbox');
    assert.equal(await answers(s.urls.deflections, { method: 'POST', body: '{}' }), 401, 'the deflection endpoint wants its secret');
    assert.equal(await answers(`${s.urls.dashboard}/api/events`), 401, 'the dashboard answers, and wants a token');
    assert.equal(await answers(`${s.urls.dashboard}/api/events`, { headers: { authorization: `Bearer ${tokenSecret(s.dashboardToken)}` } }), 200);
    assert.equal(await answers(`${s.urls.genesys}/api/v2/routing/queues`), 401, 'Genesys sandbox wants OAuth');
    assert.equal(await answers(`${s.urls.cloudflare}/user/tokens/verify`), 401, 'Cloudflare sandbox wants a token');
    assert.equal(await answers(`${s.urls.storefront}/genesys-bootstrap/genesys.min.js`), 200, 'Messenger bootstrap through the edge');
    await s.client.workflowService.getSystemInfo({});
    // The Web UI decodes the (encrypted) payloads through the local codec server.
    const settings = (await (await fetch(`${s.urls.temporalUi}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    assert.equal(settings.Codec?.Endpoint?.startsWith(s.urls.codecServer), true, JSON.stringify(settings.Codec));
    assert.equal(await answers(`${s.urls.codecServer}/decode`, { method: 'POST', body: '{"payloads":[]}' }), 401, 'the codec server wants its token');
  });

  it('a status line says where the demo is, and it moves', async () => {
    const minutes = () => lines.flatMap((l) => /^demo: cycle 1 · minute (\d+) of 180 · demand [\d.]+x · waiting \d+ · /.exec(l)?.[1] ?? []).map(Number);
    await waitFor(async () => new Set(minutes()).size >= 2, 'two status lines at different simulated minutes', 30_000, async () => lines.slice(-3).join('\n'));
    assert.ok(minutes().every((m, i, all) => i === 0 || m >= all[i - 1]!), `minutes go forward: ${minutes().join(', ')}`);
  });

  it('a start after the earlier demo window has passed runs a fresh demo whose tiers move', async () => {
    const first = stack!.demo;
    const beforeStop = await new SurgeClient(stack!.client).status(DEMO_EVENT_ID);
    const stillOpen = beforeStop.phase === 'active';
    await stack!.stop();
    stack = undefined;
    // Nothing runs the earlier demo while the stack is down, so it is left open past its end.
    await waitFor(async () => Date.now() > Date.parse(first.endAt), "the first demo's window has passed", 60_000);

    lines = [];
    stack = await boot();
    const s = stack;
    if (stillOpen) assert.ok(['ended', 'terminated'].includes(s.demo.earlier), `the earlier demo was ${s.demo.earlier}`);
    assert.ok(Date.parse(s.demo.startAt) > Date.parse(first.endAt), 'a fresh demo, not the old one');
    const surge = new SurgeClient(s.client);
    const status = () => surge.status(DEMO_EVENT_ID);
    const fresh = await status();
    assert.equal(fresh.startAt, s.demo.startAt);
    assert.ok(Date.parse(fresh.endAt) - Date.now() > 24 * 3600_000, `the demo stays open for days (ends ${fresh.endAt})`);
    assert.ok(['scheduled', 'active'].includes(fresh.phase), fresh.phase);

    // At 60x the sale's onset (minute 30) comes after 30 s.
    await waitFor(async () => (await status()).tiers[1]?.active === true, 'tier 2 activated within two minutes', 120_000, async () => JSON.stringify((await status()).lastSample));
    const mail = await s.world.smtp.waitForMessage((m) => /tier 2 ACTIVATED/.test(m.subject), 10_000);
    assert.deepEqual(mail.envelope.to, ['cc-ops@example.com']);
    // The sale decays by minute 150 of 180: tiers restore and the next cycle starts calm (3 min at 60x).
    await waitFor(async () => lines.some((l) => /^demo: cycle 2 · minute \d+ .* · no tier on/.test(l)), 'cycle 2 begins with every tier restored', 240_000, async () => lines.slice(-3).join('\n'));
    const later = await status();
    assert.ok(later.transitions.some((t) => t.tier === 2 && !t.to), 'tier 2 was restored by its rule');
    assert.equal(later.phase, 'active');
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
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}; last: ${explain ? await explain().catch(String) : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
