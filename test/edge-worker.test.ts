// The edge Worker in real workerd (Miniflare API): every mode and path, live-conversation pass-through,
// fail-open on a broken KV binding, and the fallback asset.
import assert from 'node:assert/strict';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { edgeWorkerOptions, startLocalEdge, type LocalEdge, type LocalKvNamespace } from '../sandbox/edge';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox, type MessengerSandbox } from '../sandbox/messenger/server';
import { DEFAULT_MESSENGER_UPSTREAM, EdgeConfigError, failSafeConfig, fallbackMessengerUpstream, readEdgeConfig } from '../edge/src/config';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('edge Worker (workerd via Miniflare)', function () {
  this.timeout(30_000);
  let messenger: MessengerSandbox;
  let edge: LocalEdge;

  before(async () => {
    messenger = await startMessengerSandbox();
    edge = await startLocalEdge({ messengerUpstream: messenger.url });
  });
  after(async () => {
    await edge?.dispose();
    await messenger?.close();
  });
  beforeEach(async () => {
    messenger.failWith(null);
    for (const key of ['chat_surge_active', 'chat_fallback_active', 'support_status']) await edge.kv.delete(key);
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(edge.url + path, { headers, method, redirect: 'manual' });

  describe('/genesys-bootstrap/*', () => {
    it('serves the real Messenger from MESSENGER_UPSTREAM normally, revalidated on every page load', async () => {
      const before = messenger.requests.length;
      const res = await get(FAKE_BOOTSTRAP_PATH);
      const body = await res.text();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-surge-mode'), 'normal');
      assert.match(body, /Fake Genesys Messenger bootstrap/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(res.headers.get('vary') ?? '', /Cookie/);
      assert.deepEqual(messenger.requests.slice(before), [FAKE_BOOTSTRAP_PATH]);
    });

    it('passes a conditional request through, so an unchanged Messenger costs browsers a 304', async () => {
      const first = await get(FAKE_BOOTSTRAP_PATH);
      await first.body?.cancel();
      const etag = first.headers.get('etag');
      assert.ok(etag, 'the sandbox sends an ETag');
      const again = await get(FAKE_BOOTSTRAP_PATH, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      assert.equal(again.headers.get('cache-control'), 'no-cache');
      await edge.kv.put('chat_surge_active', 'true');
      const surge = await get(FAKE_BOOTSTRAP_PATH, { 'if-none-match': etag });
      assert.equal(surge.status, 200, 'a cached real Messenger is replaced by the stub at once');
      assert.equal(surge.headers.get('x-surge-mode'), 'stub');
      await surge.body?.cancel();
    });

    it('serves the stub while chat_surge_active is "true", without touching the upstream', async () => {
      await edge.kv.put('chat_surge_active', 'true');
      const before = messenger.requests.length;
      const res = await get(FAKE_BOOTSTRAP_PATH);
      const body = await res.text();
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-surge-mode'), 'stub');
      assert.match(res.headers.get('content-type') ?? '', /^application\/javascript/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(body, /stub\.atCapacity = true/);
      assert.match(body, /"launcherSelector":"\[data-chat-launcher\]"/);
      assert.doesNotMatch(body, /STUB_CONFIG/);
      assert.equal(messenger.requests.length, before);
    });

    it('treats any value other than "true" as off', async () => {
      for (const value of ['false', 'TRUE ', 'yes', '1']) {
        await edge.kv.put('chat_surge_active', value);
        const res = await get(FAKE_BOOTSTRAP_PATH);
        await res.body?.cancel();
        assert.equal(res.headers.get('x-surge-mode'), 'normal', `value ${JSON.stringify(value)}`);
      }
    });

    it('keeps the real Messenger for a visitor with a live conversation during surge', async () => {
      await edge.kv.put('chat_surge_active', 'true');
      const live = await get(FAKE_BOOTSTRAP_PATH, { cookie: 'theme=dark; surge_live_conversation=1' });
      assert.equal(live.headers.get('x-surge-mode'), 'normal');
      assert.match(await live.text(), /Fake Genesys Messenger bootstrap/);
      const ended = await get(FAKE_BOOTSTRAP_PATH, { cookie: 'surge_live_conversation=0' });
      await ended.body?.cancel();
      assert.equal(ended.headers.get('x-surge-mode'), 'stub');
    });

    it('passes other bootstrap files through in surge (only the entry point is swapped)', async () => {
      await edge.kv.put('chat_surge_active', 'true');
      const res = await get('/genesys-bootstrap/other.js');
      assert.equal(res.status, 404);
      assert.match(await res.text(), /no such messenger file/);
      assert.equal(messenger.requests.at(-1), '/genesys-bootstrap/other.js');
    });

    it('passes upstream errors through, uncached by browsers', async () => {
      messenger.failWith(503);
      const res = await get(FAKE_BOOTSTRAP_PATH);
      assert.equal(res.status, 503);
      assert.match(await res.text(), /failing with 503/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    it('answers HEAD for the stub and refuses other methods', async () => {
      await edge.kv.put('chat_surge_active', 'true');
      const head = await get(FAKE_BOOTSTRAP_PATH, {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('x-surge-mode'), 'stub');
      const post = await get(FAKE_BOOTSTRAP_PATH, {}, 'POST');
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
    });
  });

  describe('support paths', () => {
    it('pass through to the site normally', async () => {
      const res = await get('/support', HTML);
      assert.equal(res.headers.get('x-origin'), 'storefront');
      assert.match(await res.text(), /normal support pages/);
    });

    it('get the static fallback page while chat_fallback_active is "true"', async () => {
      await edge.kv.put('chat_fallback_active', 'true');
      for (const path of ['/support', '/support/orders?id=1', '/help', '/help/returns']) {
        const res = await get(path, HTML);
        const body = await res.text();
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('x-surge-mode'), 'fallback', path);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(body, /We're still here to help/);
      }
    });

    it('leave non-navigations and unrelated paths alone during fallback', async () => {
      await edge.kv.put('chat_fallback_active', 'true');
      const api = await get('/support', { accept: 'application/json' });
      assert.equal(api.headers.get('x-origin'), 'storefront');
      await api.body?.cancel();
      const post = await fetch(`${edge.url}/support`, { method: 'POST', headers: HTML, body: 'x' });
      assert.equal(post.headers.get('x-surge-mode'), null);
      await post.body?.cancel();
      const other = await get('/supportive', HTML);
      assert.equal(other.status, 404);
      assert.equal(other.headers.get('x-surge-mode'), null);
      await other.body?.cancel();
      const store = await get('/', HTML);
      assert.match(await store.text(), /Sandbox Store/);
    });
  });

  describe('/support-status.json', () => {
    it('serves a neutral status when none is published', async () => {
      const res = await get('/support-status.json');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await res.json(), { level: 'unknown', message: '', updatedAt: null });
    });

    it('serves the published status, keeping only known fields and markup as plain data', async () => {
      const message = '<img src=x onerror=alert(1)> Chat is busy';
      await edge.kv.put('support_status', JSON.stringify({ level: 'degraded', message, updatedAt: '2026-11-27T10:00:00Z', extra: 1 }));
      assert.deepEqual(await (await get('/support-status.json')).json(), { level: 'degraded', message, updatedAt: '2026-11-27T10:00:00Z' });
    });

    it('falls back to the neutral status on unreadable JSON or an unknown level', async () => {
      for (const raw of ['{not json', '"text"', JSON.stringify({ level: 'panic', message: 'x' })]) {
        await edge.kv.put('support_status', raw);
        assert.deepEqual(await (await get('/support-status.json')).json(), { level: 'unknown', message: '', updatedAt: null }, raw);
      }
    });
  });
});

describe('edge Worker with a failing KV binding', function () {
  this.timeout(30_000);
  let messenger: MessengerSandbox;
  const instances: Miniflare[] = [];

  before(async () => {
    messenger = await startMessengerSandbox();
  });
  after(async () => {
    for (const mf of instances) await mf.dispose();
    await messenger?.close();
  });

  // SURGE_FLAGS is a wrapped binding whose get() fails the given way; everything else is wrangler.toml's.
  async function edgeWithKv(getBody: string): Promise<string> {
    const worker = await edgeWorkerOptions({ vars: { MESSENGER_UPSTREAM: messenger.url, ORIGIN_OVERRIDE: messenger.url, FLAG_READ_TIMEOUT_MS: '200' } });
    const { kvNamespaces: _kv, ...edgeWorker } = worker;
    const mf = new Miniflare({
      host: '127.0.0.1',
      port: 0,
      workers: [
        { ...edgeWorker, wrappedBindings: { SURGE_FLAGS: { scriptName: 'broken-kv' } } },
        { name: 'broken-kv', modules: true, script: `export default function () { return { get() { ${getBody} } }; }` },
      ],
    } as MiniflareOptions);
    instances.push(mf);
    return (await mf.ready).origin;
  }

  for (const [failure, getBody] of [
    ['throws', 'throw new Error("KV is down")'],
    ['rejects', 'return Promise.reject(new Error("KV is down"))'],
    ['never answers', 'return new Promise(() => {})'],
  ] as const) {
    it(`fails open when KV ${failure}: real Messenger, site support pages, neutral status`, async () => {
      const url = await edgeWithKv(getBody);
      const bootstrap = await fetch(url + FAKE_BOOTSTRAP_PATH);
      assert.equal(bootstrap.status, 200);
      assert.equal(bootstrap.headers.get('x-surge-mode'), 'normal');
      assert.match(await bootstrap.text(), /Fake Genesys Messenger bootstrap/);
      const status = await fetch(`${url}/support-status.json`);
      assert.deepEqual(await status.json(), { level: 'unknown', message: '', updatedAt: null });
      // The origin here is the messenger sandbox: a 404 from it, never the fallback page.
      const support = await fetch(`${url}/support`, { headers: HTML });
      assert.equal(support.status, 404);
      assert.equal(support.headers.get('x-surge-mode'), null);
      await support.body?.cancel();
    });
  }
});

describe('edge Worker with a broken variable', function () {
  this.timeout(30_000);
  let messenger: MessengerSandbox;
  const instances: Miniflare[] = [];

  before(async () => {
    messenger = await startMessengerSandbox();
  });
  after(async () => {
    for (const mf of instances) await mf.dispose();
    await messenger?.close();
  });

  /** The edge with wrangler.toml's settings over `vars`; every outbound fetch the Worker makes is recorded. */
  async function edgeWith(vars: Record<string, string>, outbound: (request: Request) => Response | Promise<Response>) {
    const mf = new Miniflare({ host: '127.0.0.1', port: 0, ...(await edgeWorkerOptions({ vars })), outboundService: outbound } as MiniflareOptions);
    instances.push(mf);
    return { url: (await mf.ready).origin, kv: (await mf.getKVNamespace('SURGE_FLAGS')) as unknown as LocalKvNamespace };
  }

  it('still serves the real Messenger from MESSENGER_UPSTREAM, never the stub, even in surge', async () => {
    const seen: string[] = [];
    const { url, kv } = await edgeWith({ MESSENGER_UPSTREAM: messenger.url, ORIGIN_OVERRIDE: messenger.url, FLAG_CACHE_TTL_SECONDS: '10' },
      (request) => { seen.push(request.url); return fetch(request.url); });
    await kv.put('chat_surge_active', 'true');
    const res = await fetch(url + FAKE_BOOTSTRAP_PATH);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-surge-mode'), 'normal');
    assert.match(await res.text(), /Fake Genesys Messenger bootstrap/);
    assert.deepEqual(seen, [messenger.url + FAKE_BOOTSTRAP_PATH]);
  });

  it('falls back to the built-in Genesys apps host when MESSENGER_UPSTREAM itself is invalid', async () => {
    const seen: string[] = [];
    const { url } = await edgeWith({ MESSENGER_UPSTREAM: 'apps.mypurecloud.de' }, (request) => {
      seen.push(request.url);
      return new Response('/* real genesys.min.js */', { headers: { 'content-type': 'application/javascript' } });
    });
    const res = await fetch(url + FAKE_BOOTSTRAP_PATH);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '/* real genesys.min.js */');
    assert.deepEqual(seen, ['https://apps.mypurecloud.com' + FAKE_BOOTSTRAP_PATH]);
  });
});

describe('edge config', () => {
  it('names the variable that is wrong', () => {
    assert.throws(() => readEdgeConfig({ MESSENGER_UPSTREAM: 'apps.mypurecloud.com' }), (e: Error) =>
      e instanceof EdgeConfigError && /MESSENGER_UPSTREAM must be an absolute http\(s\) URL/.test(e.message));
    assert.throws(() => readEdgeConfig({ FLAG_CACHE_TTL_SECONDS: '10' }), /FLAG_CACHE_TTL_SECONDS must be an integer >= 30/);
    assert.throws(() => readEdgeConfig({ NOTICE_FAQ_URL: 'javascript:alert(1)' }), /NOTICE_FAQ_URL must be an http\(s\) URL or a path/);
    assert.throws(() => readEdgeConfig({ NOTICE_EMAIL: 'not an email' }), /NOTICE_EMAIL must be an email address/);
    assert.throws(() => readEdgeConfig({ SUPPORT_PATH_PREFIXES: '/support,help' }), /SUPPORT_PATH_PREFIXES entries must be paths/);
  });

  it('finds an upstream for the real Messenger whatever the vars hold', () => {
    assert.equal(fallbackMessengerUpstream({ MESSENGER_UPSTREAM: 'https://apps.mypurecloud.de/x' }), 'https://apps.mypurecloud.de');
    assert.equal(fallbackMessengerUpstream({ MESSENGER_UPSTREAM: 'not a url' }), DEFAULT_MESSENGER_UPSTREAM);
    assert.equal(fallbackMessengerUpstream({}), DEFAULT_MESSENGER_UPSTREAM);
    assert.equal(failSafeConfig({ FLAG_CACHE_TTL_SECONDS: '1', NOTICE_EMAIL: 'x' }).messengerUpstream, DEFAULT_MESSENGER_UPSTREAM);
  });

  it('reads the defaults', () => {
    const config = readEdgeConfig({});
    assert.equal(config.messengerUpstream, 'https://apps.mypurecloud.com');
    assert.deepEqual(config.supportPathPrefixes, ['/support', '/help']);
    assert.equal(config.flagCacheTtlSeconds, 30);
    assert.equal(config.originOverride, null);
  });
});
