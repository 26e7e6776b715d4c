// The edge Worker's fetch handler run in Node with in-memory KV and assets and a local upstream: fast, and
// the tier that mutation testing uses for edge/src (workerd runs in its own process, out of Stryker's reach).
// The same behaviour in real workerd is covered by edge-worker.test.ts and edge-browser.test.ts.
import './helpers/browser-text';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Script } from 'node:vm';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readEdgeConfig, EdgeConfigError, failSafeConfig, fallbackMessengerUpstream } from '../edge/src/config';

interface Handler {
  fetch(request: Request, env: Record<string, unknown>, ctx: { passThroughOnException(): void; waitUntil(p: Promise<unknown>): void }): Promise<Response>;
}
// edge/src is typed against the Workers runtime (its own tsconfig); loaded by a path TypeScript does not follow.
const WORKER_MODULE = '../edge/src/index';

const ENTRY = '/genesys-bootstrap/genesys.min.js';
const FALLBACK_HTML = '<!doctype html><title>Support</title><p>fallback page';
const HTML = { accept: 'text/html,application/xhtml+xml' };

/** A tiny HTTP server recording requests; answers per path. */
type Answer = { status: number; body?: string; headers?: Record<string, string> };
async function startServer(answer: (path: string, headers: Record<string, string | string[] | undefined>) => Answer) {
  const requests: { path: string; method: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers });
    const a = answer(req.url ?? '', req.headers);
    res.writeHead(a.status, a.headers ?? {});
    res.end(req.method === 'HEAD' ? undefined : a.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('edge Worker handler (Node, in-memory KV)', function () {
  // Each test is a few local requests; a short limit also turns a mutant that hangs into a quick failure.
  this.timeout(5_000);
  let worker: Handler;
  let upstream: Awaited<ReturnType<typeof startServer>>;
  let origin: Awaited<ReturnType<typeof startServer>>;
  let kv: Map<string, string>;
  let kvReads: { key: string; options: unknown }[];
  let kvFails: boolean;
  let kvHangs: boolean;
  let assetStatus: number;
  let errors: unknown[][];
  const originalConsoleError = console.error;

  before(async () => {
    worker = ((await import(WORKER_MODULE)) as { default: Handler }).default;
    upstream = await startServer((path, headers): Answer => {
      if (path.startsWith('/genesys-bootstrap/broken') || path.endsWith('?fail')) return { status: 503, body: 'down' };
      if (headers['if-none-match'] === '"v1"') return { status: 304, headers: { etag: '"v1"' } };
      return { status: 200, body: `real messenger ${path}`, headers: { 'content-type': 'application/javascript', etag: '"v1"' } };
    });
    origin = await startServer((path) => ({ status: 200, body: `origin ${path}`, headers: { 'content-type': 'text/html' } }));
  });
  after(async () => {
    await upstream?.close();
    await origin?.close();
  });
  beforeEach(() => {
    kv = new Map();
    kvReads = [];
    kvFails = false;
    kvHangs = false;
    assetStatus = 200;
    errors = [];
    upstream.requests.length = 0;
    origin.requests.length = 0;
    console.error = (...args: unknown[]) => void errors.push(args);
  });
  afterEach(() => {
    console.error = originalConsoleError;
  });

  function env(vars: Record<string, string> = {}): Record<string, unknown> {
    return {
      MESSENGER_UPSTREAM: upstream.url,
      ORIGIN_OVERRIDE: origin.url,
      FLAG_READ_TIMEOUT_MS: '200',
      SURGE_FLAGS: {
        get: (key: string, options: unknown) => {
          kvReads.push({ key, options });
          if (kvFails) return Promise.reject(new Error('KV is down'));
          if (kvHangs) return new Promise(() => {});
          return Promise.resolve(kv.get(key) ?? null);
        },
      },
      ASSETS: {
        fetch: (request: Request) =>
          Promise.resolve(
            assetStatus === 200 && new URL(request.url).pathname === '/support-fallback.html'
              ? new Response(FALLBACK_HTML, { headers: { 'content-type': 'text/html' } })
              : new Response('not found', { status: assetStatus === 200 ? 404 : assetStatus }),
          ),
      },
      ...vars,
    };
  }
  let passedThrough = 0;
  const ctx = { passThroughOnException: () => void passedThrough++, waitUntil: () => {} };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET', vars: Record<string, string> = {}) =>
    worker.fetch(new Request(`https://shop.example${path}`, { headers, method }), env(vars), ctx);

  describe('the Messenger bootstrap', () => {
    it('normally serves the real Messenger from MESSENGER_UPSTREAM, revalidated every page load, varying by Cookie', async () => {
      const res = await get(ENTRY, { accept: 'application/javascript', cookie: 'secret=1', 'if-none-match': '"v0"' });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), `real messenger ${ENTRY}`);
      assert.equal(res.headers.get('x-surge-mode'), 'normal');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.match(res.headers.get('vary') ?? '', /\bCookie\b/);
      assert.equal(upstream.requests.length, 1);
      const forwarded = upstream.requests[0];
      assert.equal(forwarded.path, ENTRY);
      assert.equal(forwarded.headers.accept, 'application/javascript');
      assert.equal(forwarded.headers['if-none-match'], '"v0"');
      assert.equal(forwarded.headers.cookie, undefined, 'visitor cookies never go to Genesys');
      assert.ok(passedThrough > 0, 'an exception would pass the request to the origin');
    });

    it('keeps the query string and asks with */* when the browser sends no Accept', async () => {
      await (await get(`${ENTRY}?v=2`)).text();
      assert.equal(upstream.requests[0].path, `${ENTRY}?v=2`);
      assert.equal(upstream.requests[0].headers.accept, '*/*');
      assert.equal(upstream.requests[0].headers['if-none-match'], undefined, 'no conditional header invented');
      assert.equal(upstream.requests[0].headers['if-modified-since'], undefined);
    });

    it('an unchanged Messenger costs a 304, still revalidated on every load', async () => {
      const res = await get(ENTRY, { 'if-modified-since': 'Tue, 01 Dec 2026 00:00:00 GMT', 'if-none-match': '"v1"' });
      assert.equal(res.status, 304);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(upstream.requests[0].headers['if-modified-since'], 'Tue, 01 Dec 2026 00:00:00 GMT');
    });

    it('an upstream error on the entry point passes through as it is, never kept by browsers', async () => {
      const res = await get(`${ENTRY}?fail`);
      assert.equal(res.status, 503);
      assert.equal(await res.text(), 'down');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(res.headers.get('vary') ?? '', /\bCookie\b/);
    });

    it('an upstream error on another Messenger file passes through untouched', async () => {
      const res = await get('/genesys-bootstrap/broken/genesys.min.js');
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('x-surge-mode'), 'normal');
      assert.equal(res.headers.get('vary'), null, 'only the entry point varies by Cookie');
      assert.equal(res.headers.get('cache-control'), null);
    });

    it('answers 502 (JavaScript, never cached) when the upstream is unreachable', async () => {
      const closed = await startServer(() => ({ status: 200 }));
      await closed.close();
      const res = await get(ENTRY, {}, 'GET', { MESSENGER_UPSTREAM: closed.url });
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('content-type'), 'application/javascript; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(await res.text(), /messenger upstream unreachable/);
      assert.equal(errors.length, 1, 'the failure is logged');
      assert.equal(errors[0][0], `messenger upstream ${closed.url}${ENTRY} unreachable:`);
    });

    it('refuses methods other than GET and HEAD with 405', async () => {
      const res = await get(ENTRY, {}, 'POST');
      assert.equal(res.status, 405);
      assert.equal(await res.text(), 'Method not allowed\n');
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
      assert.equal(upstream.requests.length, 0);
    });

    it('while chat_surge_active is exactly "true" serves the stub, varying by Cookie, never touching the upstream', async () => {
      kv.set('chat_surge_active', 'true');
      const res = await get(ENTRY);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-surge-mode'), 'stub');
      assert.equal(res.headers.get('vary'), 'Cookie');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('content-type'), 'application/javascript; charset=utf-8');
      assert.match(await res.text(), /Chat is at capacity right now/);
      assert.equal(upstream.requests.length, 0);
      assert.deepEqual(kvReads.map((r) => r.key), ['chat_surge_active']);
      assert.deepEqual(kvReads[0].options, { type: 'text', cacheTtl: 30 });
    });

    it('a HEAD for the stub has headers and no body', async () => {
      kv.set('chat_surge_active', 'true');
      const res = await get(ENTRY, {}, 'HEAD');
      assert.equal(res.headers.get('x-surge-mode'), 'stub');
      assert.equal(await res.text(), '');
    });

    for (const value of ['false', 'TRUE', 'yes', '1', '']) {
      it(`only "true" turns the stub on: ${JSON.stringify(value)} keeps the real Messenger`, async () => {
        kv.set('chat_surge_active', value);
        const res = await get(ENTRY);
        assert.equal(res.headers.get('x-surge-mode'), 'normal');
      });
    }

    it('" true " with surrounding whitespace still reads as on', async () => {
      kv.set('chat_surge_active', ' true\n');
      assert.equal((await get(ENTRY)).headers.get('x-surge-mode'), 'stub');
    });

    it('in surge only the entry point is swapped: a live conversation\'s follow-up files pass', async () => {
      kv.set('chat_surge_active', 'true');
      const res = await get('/genesys-bootstrap/genesys-chunk.js');
      assert.equal(res.headers.get('x-surge-mode'), 'normal');
      assert.equal(kvReads.length, 0, 'no flag read for files that are never swapped');
    });

    const cookies: { cookie: string; live: boolean }[] = [
      { cookie: 'surge_live_conversation=1', live: true },
      { cookie: 'a=b; surge_live_conversation=1; c=d', live: true },
      { cookie: 'a=b;surge_live_conversation = 1', live: true },
      { cookie: 'surge_live_conversation=0', live: false },
      { cookie: 'surge_live_conversation=10', live: false },
      { cookie: 'x_surge_live_conversation=1', live: false },
      { cookie: 'surge_live_conversation_old=1', live: false },
      { cookie: 'other=surge_live_conversation=1', live: false },
    ];
    for (const c of cookies) {
      it(`the live-conversation cookie matches exactly: ${JSON.stringify(c.cookie)} ${c.live ? 'keeps' : 'does not keep'} the real Messenger in surge`, async () => {
        kv.set('chat_surge_active', 'true');
        const res = await get(ENTRY, { cookie: c.cookie });
        assert.equal(res.headers.get('x-surge-mode'), c.live ? 'normal' : 'stub');
      });
    }

    it('a KV read that fails or hangs reads as "off": the real Messenger is served (fail open)', async () => {
      kv.set('chat_surge_active', 'true');
      kvFails = true;
      assert.equal((await get(ENTRY)).headers.get('x-surge-mode'), 'normal');
      assert.match(String(errors[0]?.[0]), /KV read of chat_surge_active failed; failing open: KV is down/);
      kvFails = false;
      kvHangs = true;
      assert.equal((await get(ENTRY, {}, 'GET', { FLAG_READ_TIMEOUT_MS: '20' })).headers.get('x-surge-mode'), 'normal');
      assert.match(String(errors[1]?.[0]), /timed out after 20 ms/);
    });

    it('a missing KV binding, or one that is not a KV namespace, reads as "off"', async () => {
      for (const binding of [undefined, {}]) {
        errors = [];
        const res = await worker.fetch(new Request(`https://shop.example${ENTRY}`), { ...env(), SURGE_FLAGS: binding }, ctx);
        assert.equal(res.headers.get('x-surge-mode'), 'normal');
        assert.match(String(errors[0]?.[0]), /SURGE_FLAGS binding is missing or not a KV namespace/);
      }
    });
  });

  describe('the stub', () => {
    it('escapes "<" and line separators in the notice so config text cannot end the script', async () => {
      kv.set('chat_surge_active', 'true');
      const res = await get(ENTRY, {}, 'GET', { NOTICE_TEXT: 'Busy </script><script>alert(1)</script> \u2028 \u2029 now' });
      const body = await res.text();
      assert.ok(!body.includes('</script>'), 'no closing script tag in the stub');
      assert.ok(!body.includes('\u2028') && !body.includes('\u2029'), 'no raw line separators');
      assert.ok(body.includes('Busy \\u003c/script>\\u003cscript>alert(1)\\u003c/script> \\u2028 \\u2029 now'));
    });

    it('bakes the whole notice config in, compacted (no comments, no indentation)', async () => {
      kv.set('chat_surge_active', 'true');
      const body = await (await get(ENTRY, {}, 'GET', { NOTICE_EMAIL: 'help@shop.example', NOTICE_FAQ_URL: '/faq', LAUNCHER_SELECTOR: '#chat' })).text();
      assert.ok(body.includes('{"title":"Chat is at capacity right now","text":"You can still reach us by email or find answers in our help centre.","email":"help@shop.example","faqUrl":"/faq","statusUrl":null,"launcherSelector":"#chat"}'));
      assert.ok(!body.includes('STUB_CONFIG'), 'the marker is replaced');
      assert.doesNotThrow(() => new Script(body), 'the stub is valid JavaScript');
      assert.ok(!body.includes('surge-fallback: served in place'), 'comments are dropped');
      assert.ok(!/^\s/m.test(body), 'no indentation');
      assert.ok(!body.includes('\n\n'), 'no blank lines');
    });
  });

  describe('support paths (tier 4)', () => {
    it('while chat_fallback_active is "true" a support navigation gets the fallback page, never cached', async () => {
      kv.set('chat_fallback_active', 'true');
      for (const path of ['/support', '/support/', '/support/orders?x=1', '/support.html', '/help']) {
        const res = await get(path, HTML);
        assert.equal(res.headers.get('x-surge-mode'), 'fallback', path);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
        assert.equal(res.headers.get('cache-control'), 'no-store');
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(await res.text(), FALLBACK_HTML);
      }
      assert.equal(origin.requests.length, 0);
    });

    it('a HEAD for the fallback page has no body', async () => {
      kv.set('chat_fallback_active', 'true');
      const res = await get('/support', HTML, 'HEAD');
      assert.equal(res.headers.get('x-surge-mode'), 'fallback');
      assert.equal(await res.text(), '');
    });

    it('other paths, non-HTML requests and non-GET methods go to the site', async () => {
      kv.set('chat_fallback_active', 'true');
      const cases: [string, Record<string, string>, string][] = [
        ['/supportive', HTML, 'GET'],
        ['/products/support', HTML, 'GET'],
        ['/support/logo.png', { accept: 'image/png' }, 'GET'],
        ['/support', {}, 'GET'],
        ['/support', HTML, 'POST'],
      ];
      for (const [path, headers, method] of cases) {
        const res = await get(path, headers, method);
        assert.equal(res.headers.get('x-surge-mode'), null, `${method} ${path}`);
        assert.equal(await res.text(), `origin ${path}`);
      }
    });

    it('with the flag off support pages are the site\'s own', async () => {
      const res = await get('/support/orders?id=7', HTML);
      assert.equal(await res.text(), 'origin /support/orders?id=7');
      assert.equal(origin.requests[0].path, '/support/orders?id=7');
    });

    it('a missing fallback asset passes the request through to the site (and logs it)', async () => {
      kv.set('chat_fallback_active', 'true');
      assetStatus = 404;
      const res = await get('/support', HTML);
      assert.equal(res.headers.get('x-surge-mode'), null);
      assert.equal(await res.text(), 'origin /support');
      assert.match(String(errors[0]?.[0]), /fallback asset \/support-fallback\.html answered 404/);
    });

    it('SUPPORT_PATH_PREFIXES decides which paths are support paths', async () => {
      kv.set('chat_fallback_active', 'true');
      const vars = { SUPPORT_PATH_PREFIXES: ' /kundenservice/ , /faq' };
      assert.equal((await get('/kundenservice/x', HTML, 'GET', vars)).headers.get('x-surge-mode'), 'fallback');
      assert.equal((await get('/faq', HTML, 'GET', vars)).headers.get('x-surge-mode'), 'fallback');
      assert.equal((await get('/support', HTML, 'GET', vars)).headers.get('x-surge-mode'), null);
    });
  });

  describe('/support-status.json', () => {
    const status = async () => {
      const res = await get('/support-status.json');
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(res.headers.get('cache-control'), 'public, max-age=15');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      return res.json() as Promise<unknown>;
    };
    const NEUTRAL = { level: 'unknown', message: '', updatedAt: null };

    it('serves the published status, keeping only the known fields', async () => {
      kv.set('support_status', JSON.stringify({ level: 'degraded', message: 'Slow replies', updatedAt: '2026-11-27T10:00:00Z', secret: 1 }));
      assert.deepEqual(await status(), { level: 'degraded', message: 'Slow replies', updatedAt: '2026-11-27T10:00:00Z' });
    });

    it('caps the status message at 2000 characters', async () => {
      kv.set('support_status', JSON.stringify({ level: 'outage', message: 'x'.repeat(2500) }));
      assert.deepEqual(await status(), { level: 'outage', message: 'x'.repeat(2000), updatedAt: null });
    });

    it('accepts the levels ok, degraded and outage', async () => {
      for (const level of ['ok', 'degraded', 'outage']) {
        kv.set('support_status', JSON.stringify({ level, message: 'm', updatedAt: 5 }));
        assert.deepEqual(await status(), { level, message: 'm', updatedAt: null });
      }
    });

    const bad: [string, string | undefined][] = [
      ['nothing published', undefined],
      ['not JSON', '{level:'],
      ['JSON null', 'null'],
      ['a string', '"outage"'],
      ['an unknown level', JSON.stringify({ level: 'fine', message: 'm' })],
      ['a message that is not text', JSON.stringify({ level: 'ok', message: 5 })],
    ];
    for (const [name, raw] of bad) {
      it(`serves the neutral status when the KV value is ${name}`, async () => {
        if (raw !== undefined) kv.set('support_status', raw);
        assert.deepEqual(await status(), NEUTRAL);
        if (raw !== undefined && raw !== 'null' && raw !== '"outage"') assert.match(String(errors[0]?.[0]), /KV support_status (is not JSON|lacks a valid level\/message)/);
      });
    }
  });

  describe('a broken edge config (any bad variable) never switches on a customer-facing tier', () => {
    // Design: a controller-side mistake holds tiers and alerts; at the edge that means the real Messenger and the
    // origin, whatever KV says, and the problem in the log.
    const broken = { BOOTSTRAP_CACHE_SECONDS: '-1' };

    it('the bootstrap still serves the real Messenger from MESSENGER_UPSTREAM, with surge and fallback flags on, and logs why', async () => {
      kv.set('chat_surge_active', 'true');
      kv.set('chat_fallback_active', 'true');
      const res = await get(ENTRY, {}, 'GET', broken);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), `real messenger ${ENTRY}`);
      assert.equal(res.headers.get('x-surge-mode'), 'normal');
      assert.equal(kvReads.length, 0, 'no flag is read: every flag is off');
      assert.equal(String(errors[0]?.[0]), 'edge config: BOOTSTRAP_CACHE_SECONDS must be an integer >= 0, got "-1"; serving the real Messenger and passing everything else through');
    });

    it('every other path fails to the origin (Cloudflare passes a thrown request through): no fallback page, no Worker error', async () => {
      kv.set('chat_fallback_active', 'true');
      const before = passedThrough;
      await assert.rejects(get('/support/contact', HTML, 'GET', broken), (e: unknown) => e instanceof EdgeConfigError);
      assert.ok(passedThrough > before, 'passThroughOnException was asked for before anything could throw');
      assert.equal(kvReads.length, 0);
    });

    it('the fail-safe config is the built-in defaults with MESSENGER_UPSTREAM if that one is valid, else the Genesys default', () => {
      assert.deepEqual(failSafeConfig({ MESSENGER_UPSTREAM: 'https://apps.mypurecloud.de', BOOTSTRAP_CACHE_SECONDS: '-1', NOTICE_TITLE: 'Closed' }), {
        ...readEdgeConfig({}),
        messengerUpstream: 'https://apps.mypurecloud.de',
      });
      for (const upstream of ['ftp://apps.example', 'not a url', '', undefined]) {
        assert.equal(fallbackMessengerUpstream(upstream === undefined ? {} : { MESSENGER_UPSTREAM: upstream }), 'https://apps.mypurecloud.com', String(upstream));
      }
    });
  });

  describe('pass-through', () => {
    it('without ORIGIN_OVERRIDE a request goes on to where it was addressed (the zone\'s origin)', async () => {
      const vars = env();
      delete vars.ORIGIN_OVERRIDE;
      const res = await worker.fetch(new Request(`${origin.url}/cart?x=1`, { headers: HTML }), vars, ctx);
      assert.equal(await res.text(), 'origin /cart?x=1');
    });

    it('every other path goes to the origin unchanged', async () => {
      const res = await get('/products/42?colour=red', HTML);
      assert.equal(await res.text(), 'origin /products/42?colour=red');
      assert.equal(kvReads.length, 0);
    });
  });
});

describe('edge config', () => {
  const bad = (vars: Record<string, string>, name: string, problem = /./) =>
    assert.throws(
      () => readEdgeConfig(vars),
      (e: unknown) => e instanceof EdgeConfigError && e.name === 'EdgeConfigError' && e.message.startsWith(`edge config: ${name} `) && problem.test(e.message),
    );

  it('defaults: the Genesys apps host, 300 s bootstrap cache, 30 s flag cache, 500 ms KV timeout, /support and /help', () => {
    const c = readEdgeConfig({});
    assert.equal(c.messengerUpstream, 'https://apps.mypurecloud.com');
    assert.equal(c.bootstrapCacheSeconds, 300);
    assert.equal(c.flagCacheTtlSeconds, 30);
    assert.equal(c.flagReadTimeoutMs, 500);
    assert.deepEqual(c.supportPathPrefixes, ['/support', '/help']);
    assert.equal(c.originOverride, null);
    assert.deepEqual(c.notice, {
      title: 'Chat is at capacity right now',
      text: 'You can still reach us by email or find answers in our help centre.',
      email: null,
      faqUrl: null,
      statusUrl: null,
      launcherSelector: null,
    });
  });

  it('an empty MESSENGER_UPSTREAM or blank integer falls back to the default', () => {
    const c = readEdgeConfig({ MESSENGER_UPSTREAM: '', BOOTSTRAP_CACHE_SECONDS: ' ', NOTICE_TITLE: '  ' });
    assert.equal(c.messengerUpstream, 'https://apps.mypurecloud.com');
    assert.equal(c.bootstrapCacheSeconds, 300);
    assert.equal(c.notice.title, 'Chat is at capacity right now');
  });

  it('integers at their minimum are accepted; one below is refused naming the variable', () => {
    const c = readEdgeConfig({ BOOTSTRAP_CACHE_SECONDS: '0', FLAG_CACHE_TTL_SECONDS: '30', FLAG_READ_TIMEOUT_MS: '1' });
    assert.deepEqual([c.bootstrapCacheSeconds, c.flagCacheTtlSeconds, c.flagReadTimeoutMs], [0, 30, 1]);
    bad({ BOOTSTRAP_CACHE_SECONDS: '-1' }, 'BOOTSTRAP_CACHE_SECONDS', /must be an integer >= 0, got "-1"$/);
    bad({ FLAG_CACHE_TTL_SECONDS: '29' }, 'FLAG_CACHE_TTL_SECONDS');
    bad({ FLAG_READ_TIMEOUT_MS: '0' }, 'FLAG_READ_TIMEOUT_MS');
    bad({ FLAG_READ_TIMEOUT_MS: '1.5' }, 'FLAG_READ_TIMEOUT_MS');
  });

  it('upstream and origin are reduced to their http(s) origin; anything else is refused', () => {
    const c = readEdgeConfig({ MESSENGER_UPSTREAM: 'http://127.0.0.1:9/x?y', ORIGIN_OVERRIDE: ' https://shop.example/path ' });
    assert.equal(c.messengerUpstream, 'http://127.0.0.1:9');
    assert.equal(c.originOverride, 'https://shop.example');
    bad({ MESSENGER_UPSTREAM: 'apps.mypurecloud.com' }, 'MESSENGER_UPSTREAM', /must be an absolute http\(s\) URL, got "apps.mypurecloud.com"$/);
    bad({ MESSENGER_UPSTREAM: 'ftp://apps.mypurecloud.com' }, 'MESSENGER_UPSTREAM', /must use http or https, got "ftp:\/\/apps.mypurecloud.com"$/);
    bad({ ORIGIN_OVERRIDE: 'javascript:alert(1)' }, 'ORIGIN_OVERRIDE');
  });

  it('notice links: http(s) URLs and same-site paths; protocol-relative, javascript: and data: are refused', () => {
    const c = readEdgeConfig({ NOTICE_FAQ_URL: '/help/faq', NOTICE_STATUS_URL: 'https://status.example' });
    assert.equal(c.notice.faqUrl, '/help/faq');
    assert.equal(c.notice.statusUrl, 'https://status.example/');
    assert.equal(readEdgeConfig({ NOTICE_FAQ_URL: 'http://faq.example/a' }).notice.faqUrl, 'http://faq.example/a');
    bad({ NOTICE_FAQ_URL: '//evil.example/faq' }, 'NOTICE_FAQ_URL', /must be an http\(s\) URL or a path starting with '\/', got "\/\/evil.example\/faq"$/);
    bad({ NOTICE_STATUS_URL: '//evil.example' }, 'NOTICE_STATUS_URL');
    bad({ NOTICE_FAQ_URL: 'javascript:alert(1)' }, 'NOTICE_FAQ_URL');
    bad({ NOTICE_STATUS_URL: 'data:text/html,x' }, 'NOTICE_STATUS_URL');
    bad({ NOTICE_FAQ_URL: 'faq.html' }, 'NOTICE_FAQ_URL');
  });

  it('notice text is at most 500 characters', () => {
    assert.equal(readEdgeConfig({ NOTICE_TEXT: 'x'.repeat(500) }).notice.text.length, 500);
    bad({ NOTICE_TEXT: 'x'.repeat(501) }, 'NOTICE_TEXT', /must be at most 500 characters, got 501$/);
    bad({ NOTICE_TITLE: 'x'.repeat(501) }, 'NOTICE_TITLE');
  });

  it('the notice email must be an address', () => {
    assert.equal(readEdgeConfig({ NOTICE_EMAIL: ' help@shop.example ' }).notice.email, 'help@shop.example');
    for (const email of ['help', 'help@shop', 'a b@shop.example', 'help@shop.example other', '<a@shop.example>', '"a"@shop.example']) bad({ NOTICE_EMAIL: email }, 'NOTICE_EMAIL', /must be an email address, got "/);
  });

  it('support path prefixes must be paths: no bare "/", wildcards, queries or spaces', () => {
    assert.deepEqual(readEdgeConfig({ SUPPORT_PATH_PREFIXES: '/support//,,/help' }).supportPathPrefixes, ['/support', '/help']);
    for (const p of ['support', '/', '/sup*', '/a?b', '/a#b', '/a b']) bad({ SUPPORT_PATH_PREFIXES: p }, 'SUPPORT_PATH_PREFIXES', /entries must be paths like \/support \(no '\/', wildcards or queries\), got "/);
  });
});
