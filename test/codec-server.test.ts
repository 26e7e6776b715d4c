// The codec server as the Temporal UI and CLI use it, over HTTP: round trip, CORS preflight, auth.
import assert from 'node:assert/strict';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../client/encryption/aes-gcm-codec';
import { startCodecServer, type RunningCodecServer } from '../client/encryption/codec-server';
import { TEST_KEY_A, testKeyring } from './helpers/encryption';

const TOKEN = 'codec-test-token-0123456789';
const UI = 'http://127.0.0.1:8233';

describe('codec server (Temporal remote codec protocol over HTTP)', () => {
  let server: RunningCodecServer;
  before(async () => {
    server = await startCodecServer({ codec: new AesGcmPayloadCodec(testKeyring([TEST_KEY_A], 'test-a')), token: TOKEN, corsOrigins: [UI], port: 0 });
  });
  after(async () => server?.close());

  const jsonPayload = (value: unknown) => {
    const p = defaultPayloadConverter.toPayload(value);
    return { metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data!).toString('base64') };
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify(body) });

  it('encodes then decodes a payload round trip; the encoded one holds no clear text', async () => {
    const original = jsonPayload({ customerEmail: 'dana@example.com' });
    const encoded = await post('/encode', { payloads: [original] });
    assert.equal(encoded.status, 200);
    const { payloads: [sealed] } = (await encoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    assert.equal(Buffer.from(sealed.metadata.encoding, 'base64').toString(), 'binary/encrypted');
    assert.equal(Buffer.from(sealed.metadata['encryption-key-id'], 'base64').toString(), 'test-a');
    assert.ok(!Buffer.from(sealed.data, 'base64').toString('latin1').includes('dana@example.com'));
    // The Web UI's way: token as the endpoint's first path segment, no header.
    const decoded = await post(new URL(server.uiEndpoint).pathname + '/decode', { payloads: [sealed] }, { origin: UI });
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), UI);
    assert.deepEqual((await decoded.json()) as unknown, { payloads: [original] });
  });

  it('answers the UI origin\'s CORS preflight, and not another origin\'s', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' } });
    const ok = await preflight(UI);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), UI);
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const other = await preflight('https://evil.example');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('answers 401 without the token or with a wrong one, and decodes nothing', async () => {
    const body = { payloads: [jsonPayload('x')] };
    assert.equal((await post('/decode', body, {})).status, 401);
    assert.equal((await post('/decode', body, { authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await post(`/${TOKEN}x/decode`, body, {})).status, 401);
    const unauthorized = await post('/encode', body, {});
    assert.match(((await unauthorized.json()) as { error: string }).error, /Bearer/);
  });

  it('says which key is missing (422) and names a malformed field (400)', async () => {
    const foreign = { metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('retired-2025').toString('base64') }, data: Buffer.alloc(40).toString('base64') };
    const missing = await post('/decode', { payloads: [foreign] });
    assert.equal(missing.status, 422);
    assert.match(((await missing.json()) as { error: string }).error, /key "retired-2025".*not in SURGE_ENCRYPTION_KEYS/);
    const bad = await post('/decode', { payloads: [{ data: '***' }] });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /payloads\[0\]\.data: must be base64/);
  });
});
