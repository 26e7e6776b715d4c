// The storefront, the stub and the fallback page in headless Chromium, through the local edge (workerd).
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalEdge, type LocalEdge } from '../sandbox/edge';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox, type MessengerSandbox } from '../sandbox/messenger/server';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

/** Everything that went wrong on a page: script errors, failed requests, error responses; and every URL asked for. */
interface PageWatch {
  errors: string[];
  failures: string[];
  requests: string[];
}

function watch(page: Page): PageWatch {
  const w: PageWatch = { errors: [], failures: [], requests: [] };
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('requestfailed', (r) => w.failures.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) w.failures.push(`${r.url()} ${r.status()}`); });
  page.on('request', (r) => w.requests.push(r.url()));
  return w;
}

describe('edge in the browser (Chromium)', function () {
  this.timeout(60_000);
  let messenger: MessengerSandbox;
  let edge: LocalEdge;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    messenger = await startMessengerSandbox();
    edge = await startLocalEdge({ messengerUpstream: messenger.url });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await edge?.dispose();
    await messenger?.close();
  });
  beforeEach(async () => {
    for (const key of ['chat_surge_active', 'chat_fallback_active', 'support_status']) await edge.kv.delete(key);
    context = await browser.newContext();
  });
  afterEach(async () => {
    await context?.close();
  });

  it('shows the real launcher normally, with no page error or failed request', async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/store`);
    await page.locator('#genesys-fake-launcher').waitFor({ state: 'visible' });
    await page.getByText('Chat is available').waitFor();
    assert.equal(await page.locator('#genesys-capacity-notice').count(), 0);
    assert.ok(w.requests.includes(edge.url + FAKE_BOOTSTRAP_PATH));
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
  });

  it('shows the accessible notice in surge instead of the launcher, and page code keeps working', async () => {
    await edge.kv.put('chat_surge_active', 'true');
    const upstreamBefore = messenger.requests.length;
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/store`);
    const notice = page.getByRole('status').filter({ hasText: 'Chat is at capacity right now' });
    await notice.waitFor({ state: 'visible' });
    // The page's own chat button was replaced; the Messenger never loaded.
    assert.equal(await page.locator('[data-chat-launcher]').count(), 0);
    assert.equal(await page.locator('#genesys-fake-launcher').count(), 0);
    assert.equal(messenger.requests.length, upstreamBefore);
    // The queued Launcher.show was rejected through its callback; Messenger.ready never fired.
    await page.getByText(/Chat unavailable: Chat is at capacity: "Launcher.show" was not run/).waitFor();
    // Links are real, keyboard-reachable links.
    const links = notice.getByRole('link');
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href)),
      ['mailto:support@example.com', `${edge.url}/help`, 'https://status.example.com/']);
    await links.first().focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), 'mailto:support@example.com');
    // Page code calling the API later neither throws nor gets a resolved promise.
    const outcome = await page.evaluate(() => new Promise<string>((resolve) => {
      const g = (window as unknown as { Genesys: (...a: unknown[]) => void }).Genesys;
      g('subscribe', 'Messenger.opened', () => resolve('opened event'));
      g('command', 'Messenger.open', {}, () => resolve('resolved'), (e: Error) => resolve(`rejected: ${e.message}`));
    }));
    assert.equal(outcome, 'rejected: Chat is at capacity: "Messenger.open" was not run');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'genesys-capacity-notice');
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
  });

  it('keeps the real Messenger across page loads for a live conversation during surge; a new visitor gets the notice', async () => {
    // Record every MessagingService event the bootstrap publishes, by the real Messenger's names (see the snippet).
    const realEvents = ['started', 'restored', 'conversationCleared', 'readOnlyConversation', 'sessionCleared', 'sessionExpired'];
    await context.addInitScript((names: string[]) => {
      const w = window as unknown as { __events: string[]; Genesys: (...a: unknown[]) => void };
      w.__events = [];
      document.addEventListener('DOMContentLoaded', () => {
        for (const n of [...names, 'conversationStarted']) {
          w.Genesys('subscribe', `MessagingService.${n}`, (e: { data?: { newSession?: boolean } }) =>
            w.__events.push(n + (e.data?.newSession === undefined ? '' : `:${e.data.newSession}`)));
        }
      });
    }, realEvents);
    const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: string[] }).__events);
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/store`);
    await page.locator('#genesys-fake-launcher').click();
    await page.locator('#genesys-fake-start').click();
    await page.getByText('Conversation started').waitFor();
    assert.deepEqual(await events(page), ['started:true'], 'a new conversation publishes started {newSession: true} only');
    const cookie = (await context.cookies()).find((c) => c.name === 'surge_live_conversation');
    assert.equal(cookie?.value, '1');

    await edge.kv.put('chat_surge_active', 'true');
    await page.reload();
    await page.locator('#genesys-fake-launcher').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.includes('restored'));
    assert.deepEqual(await events(page), ['started:false', 'restored'], 'the next page load resumes the session');
    assert.equal(await page.locator('#genesys-capacity-notice').count(), 0);

    // Meanwhile a new visitor (no cookie) gets the notice.
    const stranger = await browser.newContext();
    try {
      const other = await stranger.newPage();
      await other.goto(`${edge.url}/store`);
      await other.locator('#genesys-capacity-notice').waitFor({ state: 'visible' });
      assert.equal(await other.locator('#genesys-fake-launcher').count(), 0);
    } finally {
      await stranger.close();
    }

    // Ending the conversation drops the cookie; the next page load gets the notice.
    await page.locator('#genesys-fake-launcher').click();
    await page.locator('#genesys-fake-end').click();
    await page.waitForFunction(() => !document.cookie.includes('surge_live_conversation=1'));
    await page.reload();
    await page.locator('#genesys-capacity-notice').waitFor({ state: 'visible' });
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
  });

  it('renders the fallback page with the current status, asking nothing beyond its own origin', async () => {
    await edge.kv.put('chat_fallback_active', 'true');
    await edge.kv.put('support_status', JSON.stringify({ level: 'outage', message: 'Chat is down; email still works.', updatedAt: '2026-11-27T10:00:00Z' }));
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/support`);
    await page.locator('#status-message', { hasText: 'Chat is down; email still works.' }).waitFor();
    assert.equal(await page.locator('#status-level').textContent(), 'Service disruption');
    assert.equal(await page.locator('#status').getAttribute('data-level'), 'outage');
    assert.ok(await page.locator('#status-updated').isVisible());
    assert.ok(await page.getByRole('heading', { name: "We're still here to help" }).isVisible());
    assert.equal(await page.locator('form#contact-form').getAttribute('action'), 'mailto:support@example.com');
    const foreign = w.requests.filter((u) => !u.startsWith(`${edge.url}/`) && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(w.requests.filter((u) => u.startsWith(edge.url)).map((u) => new URL(u).pathname).sort(), ['/support', '/support-status.json']);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
  });

  it('shows a status holding markup as text', async () => {
    await edge.kv.put('chat_fallback_active', 'true');
    const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b> <script>window.__pwned=2</script>';
    await edge.kv.put('support_status', JSON.stringify({ level: 'degraded', message: markup, updatedAt: 'not a date' }));
    const page = await context.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/help`);
    await page.locator('#status-message', { hasText: '<img' }).waitFor();
    assert.equal(await page.locator('#status-message').textContent(), markup);
    assert.equal(await page.locator('#status img, #status b, #status script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok(await page.locator('#status-updated').isHidden());
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
  });

  it('keeps the fallback page readable without JavaScript', async () => {
    await edge.kv.put('chat_fallback_active', 'true');
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      const w = watch(page);
      await page.goto(`${edge.url}/support`);
      assert.ok(await page.getByRole('heading', { name: "We're still here to help" }).isVisible());
      assert.match((await page.locator('#status-message').textContent()) ?? '', /working to restore full service/);
      assert.ok(await page.getByRole('link', { name: 'Track an order' }).isVisible());
      assert.ok(await page.getByRole('button', { name: 'Open in my email app' }).isVisible());
      assert.deepEqual(w.requests.map((u) => new URL(u).pathname), ['/support']);
    } finally {
      await noJs.close();
    }
  });
});

describe('stub notice from hostile config (Chromium)', function () {
  this.timeout(60_000);
  let messenger: MessengerSandbox;
  let edge: LocalEdge;
  let browser: Browser;
  const title = '<img src=x onerror="window.__pwned=1"></script><b>Busy</b>';

  before(async () => {
    messenger = await startMessengerSandbox();
    edge = await startLocalEdge({ messengerUpstream: messenger.url, vars: { NOTICE_TITLE: title, LAUNCHER_SELECTOR: '#no-such-launcher' } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await edge?.dispose();
    await messenger?.close();
  });

  it('shows config text as text, as a floating notice when the launcher is absent', async () => {
    await edge.kv.put('chat_surge_active', 'true');
    const page = await browser.newPage();
    const w = watch(page);
    await page.goto(`${edge.url}/store`);
    const notice = page.locator('#genesys-capacity-notice');
    await notice.waitFor({ state: 'visible' });
    assert.equal(await notice.locator('strong').textContent(), title);
    assert.equal(await notice.locator('img, b').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await notice.evaluate((n) => getComputedStyle(n).position), 'fixed');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'hidden' });
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.failures, []);
    await page.close();
  });
});
