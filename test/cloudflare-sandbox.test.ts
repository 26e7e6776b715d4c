// The Cloudflare API sandbox as the real SDK (and a raw client) sees it: paths, encodings, envelopes, limits.
import assert from 'node:assert/strict';
import Cloudflare, { NotFoundError, PermissionDeniedError, RateLimitError } from 'cloudflare';
import { createCloudflareClient } from '../activities/cloudflare';
import { SANDBOX_CLOUDFLARE, createMemoryKvBackend, startCloudflareSandbox, type CloudflareSandbox } from '../sandbox/cloudflare';

const { accountId, namespaceId, zoneId } = SANDBOX_CLOUDFLARE;
const kv = { account_id: accountId, namespace_id: namespaceId };

describe('Cloudflare API sandbox', () => {
  let sandbox: CloudflareSandbox;
  let cf: Cloudflare;

  beforeEach(async () => {
    sandbox = await startCloudflareSandbox();
    cf = createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.token, baseURL: sandbox.url });
  });
  afterEach(async () => {
    await sandbox?.close();
  });

  it('serves under /client/v4 like the real API', () => {
    assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
  });

  it('stores a multipart value written by the SDK and returns it raw', async () => {
    const value = 'ünïcödé & "quotes" {"json":true}';
    await cf.kv.namespaces.values.update('odd key/with:chars', { ...kv, value });
    const response = await cf.kv.namespaces.values.get('odd key/with:chars', kv);
    assert.equal(await response.text(), value);
    assert.equal(sandbox.requests.kvPut, 1);
  });

  it('shows the SDK sending string values with line breaks as CRLF (form encoding), and files byte-exact', async () => {
    // undici's FormData serialiser normalises newlines in string parts; a File part is sent untouched.
    await cf.kv.namespaces.values.update('text', { ...kv, value: 'a\nb' });
    assert.equal(await (await cf.kv.namespaces.values.get('text', kv)).text(), 'a\r\nb');
    await cf.kv.namespaces.values.update('file', { ...kv, value: new File(['a\nb'], 'value') });
    assert.equal(await (await cf.kv.namespaces.values.get('file', kv)).text(), 'a\nb');
  });

  it('also takes a raw (non-multipart) value body', async () => {
    const response = await fetch(`${sandbox.url}/accounts/${accountId}/storage/kv/namespaces/${namespaceId}/values/raw`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${SANDBOX_CLOUDFLARE.token}`, 'content-type': 'application/octet-stream' },
      body: 'raw-bytes',
    });
    assert.equal(response.status, 200);
    assert.equal(await (await cf.kv.namespaces.values.get('raw', kv)).text(), 'raw-bytes');
  });

  it('answers a missing key with 404 and code 10009', async () => {
    await assert.rejects(cf.kv.namespaces.values.get('absent', kv), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.deepEqual(error.errors.map((e) => e.code), [10009]);
      return true;
    });
  });

  it('deletes a value', async () => {
    await cf.kv.namespaces.values.update('gone', { ...kv, value: 'x' });
    await cf.kv.namespaces.values.delete('gone', kv);
    await assert.rejects(cf.kv.namespaces.values.get('gone', kv), NotFoundError);
  });

  it('lists keys by prefix, paging with a cursor the SDK follows', async () => {
    const body = Array.from({ length: 25 }, (_, i) => ({ key: `page_${String(i).padStart(2, '0')}`, value: String(i) }));
    await cf.kv.namespaces.bulkUpdate(namespaceId, { account_id: accountId, body: [...body, { key: 'other', value: 'x' }] });
    const firstPage = await cf.kv.namespaces.keys.list(namespaceId, { account_id: accountId, prefix: 'page_', limit: 10 });
    assert.equal(firstPage.result.length, 10);
    const names: string[] = [];
    for await (const key of cf.kv.namespaces.keys.list(namespaceId, { account_id: accountId, prefix: 'page_', limit: 10 })) names.push(key.name);
    assert.deepEqual(names, body.map((p) => p.key));
    assert.ok(sandbox.requests.kvList >= 4);
  });

  it('bulk-reads, bulk-writes and bulk-deletes', async () => {
    const written = await cf.kv.namespaces.bulkUpdate(namespaceId, {
      account_id: accountId,
      body: [{ key: 'a', value: '{"n":1}' }, { key: 'b', value: Buffer.from('bee').toString('base64'), base64: true }],
    });
    assert.deepEqual(written, { successful_key_count: 2, unsuccessful_keys: [] });
    const read = await cf.kv.namespaces.bulkGet(namespaceId, { account_id: accountId, keys: ['a', 'b', 'c'] });
    assert.deepEqual(read, { values: { a: '{"n":1}', b: 'bee', c: null } });
    const asJson = await cf.kv.namespaces.bulkGet(namespaceId, { account_id: accountId, keys: ['a'], type: 'json' });
    assert.deepEqual(asJson, { values: { a: { n: 1 } } });
    await cf.kv.namespaces.bulkDelete(namespaceId, { account_id: accountId, body: ['a', 'b'] });
    assert.deepEqual(await cf.kv.namespaces.bulkGet(namespaceId, { account_id: accountId, keys: ['a', 'b'] }), { values: { a: null, b: null } });
  });

  it('holds writes to one key to one per second, with retry-after, also in bulk', async () => {
    await cf.kv.namespaces.values.update('hot', { ...kv, value: '1' });
    await assert.rejects(cf.kv.namespaces.values.update('hot', { ...kv, value: '2' }), (error: unknown) => {
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.headers?.get('retry-after'), '1');
      assert.equal(error.errors[0]?.code, 10022);
      return true;
    });
    const bulk = await cf.kv.namespaces.bulkUpdate(namespaceId, { account_id: accountId, body: [{ key: 'hot', value: '3' }, { key: 'cold', value: '4' }] });
    assert.deepEqual(bulk, { successful_key_count: 1, unsuccessful_keys: ['hot'] });
    assert.equal(await (await cf.kv.namespaces.values.get('hot', kv)).text(), '1');
    assert.equal(sandbox.requests.rateLimited, 2);
  });

  it('refuses a bad token with 401 and the Cloudflare envelope', async () => {
    const response = await fetch(`${sandbox.url}/accounts/${accountId}/storage/kv/namespaces/${namespaceId}/values/x`, {
      headers: { authorization: 'Bearer wrong' },
    });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
      result: null,
    });
    const noHeader = await fetch(`${sandbox.url}/accounts/${accountId}/storage/kv/namespaces/${namespaceId}/values/x`);
    assert.equal(noHeader.status, 401);
    assert.equal(sandbox.requests.unauthorized, 2);
  });

  it('lets a read-only token read but refuses its writes and purges with 403', async () => {
    await cf.kv.namespaces.values.update('flag', { ...kv, value: 'true' });
    const readOnly = createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.readOnlyToken, baseURL: sandbox.url });
    assert.equal(await (await readOnly.kv.namespaces.values.get('flag', kv)).text(), 'true');
    await assert.rejects(readOnly.kv.namespaces.values.update('flag', { ...kv, value: 'false' }), PermissionDeniedError);
    await assert.rejects(readOnly.kv.namespaces.values.delete('flag', kv), PermissionDeniedError);
    await assert.rejects(readOnly.cache.purge({ zone_id: zoneId, files: ['https://www.example.com/'] }), PermissionDeniedError);
    assert.equal(sandbox.requests.forbidden, 3);
    assert.equal(await (await cf.kv.namespaces.values.get('flag', kv)).text(), 'true');
  });

  it('refuses another account with 403 and an unknown namespace with 404 code 10013', async () => {
    await assert.rejects(cf.kv.namespaces.values.get('x', { account_id: 'someone-else', namespace_id: namespaceId }), PermissionDeniedError);
    await assert.rejects(cf.kv.namespaces.values.get('x', { account_id: accountId, namespace_id: 'nope' }), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.errors[0]?.code, 10013);
      return true;
    });
  });

  it('records the URLs purged from the zone, and 404s another zone', async () => {
    const result = await cf.cache.purge({ zone_id: zoneId, files: ['https://www.example.com/a', 'https://www.example.com/b'] });
    assert.match(result?.id ?? '', /^[0-9a-f]{32}$/);
    await cf.cache.purge({ zone_id: zoneId, purge_everything: true });
    assert.deepEqual(sandbox.purgedUrls, ['https://www.example.com/a', 'https://www.example.com/b', '*']);
    await assert.rejects(cf.cache.purge({ zone_id: 'other-zone', files: ['https://x.example/'] }), NotFoundError);
  });

  it('rejects an expiration_ttl under 60 s, naming it', async () => {
    await assert.rejects(cf.kv.namespaces.values.update('ttl', { ...kv, value: 'x', expiration_ttl: 10 }), /invalid expiration_ttl/);
  });

  it('rejects a multipart body without a value part', async () => {
    const form = new FormData();
    form.set('metadata', '{}');
    const response = await fetch(`${sandbox.url}/accounts/${accountId}/storage/kv/namespaces/${namespaceId}/values/k`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${SANDBOX_CLOUDFLARE.token}` },
      body: form,
    });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(await response.json()), /no \\"value\\" part/);
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const response = await fetch(`${sandbox.url}/accounts/${accountId}/workers/scripts`, { headers: { authorization: `Bearer ${SANDBOX_CLOUDFLARE.token}` } });
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { success: boolean }).success, false);
  });
});

describe('in-memory KV backend', () => {
  it('expires values by TTL and pages its listing by name', async () => {
    let now = 1_000_000;
    const kv = createMemoryKvBackend(() => now);
    await kv.put('b', '2', { expirationTtl: 60 });
    await kv.put('a', '1');
    await kv.put('c', '3');
    const first = await kv.list({ limit: 2 });
    assert.deepEqual(first.keys, [{ name: 'a' }, { name: 'b', expiration: 1_060 }]);
    assert.equal(first.list_complete, false);
    assert.deepEqual((await kv.list({ limit: 2, cursor: first.cursor })).keys, [{ name: 'c' }]);
    now += 60_000;
    assert.equal(await kv.get('b'), null);
    assert.deepEqual((await kv.list()).keys.map((k) => k.name), ['a', 'c']);
  });
});
