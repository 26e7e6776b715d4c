// The AES-256-GCM payload codec and its keys, without a server: round trip, clear payloads passing through,
// rotation, and the errors a reader sees for a removed key, a tampered payload or a malformed key variable.
import assert from 'node:assert/strict';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, encryptionKeyIdOf } from '../client/encryption/aes-gcm-codec';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireEncryptionForCustomerData } from '../client/encryption/data-converter';
import { generateKeyEntry, keyringFromEnv } from '../client/encryption/keys';
import { devEncryptionEnv } from '../sandbox/dev-encryption';
import { TEST_KEY_A, TEST_KEY_B, testKeyring } from './helpers/encryption';

const customer = { customerName: 'Dana Doe', customerEmail: 'dana@example.com', customerPhone: '+447700900123' };
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v);
const fromPayload = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const bytesOf = (p: Payload) => Buffer.concat([...Object.values(p.metadata ?? {}).map((v) => Buffer.from(v)), Buffer.from(p.data ?? [])]).toString('latin1');

describe('AES-256-GCM payload codec', () => {
  const a = testKeyring([TEST_KEY_A], 'test-a');

  it('encrypts every payload (no customer data left in its bytes) and decodes it back', async () => {
    const codec = new AesGcmPayloadCodec(a);
    const [encrypted, empty] = await codec.encode([toPayload(customer), toPayload(undefined)]);
    assert.equal(Buffer.from(encrypted.metadata!.encoding).toString(), ENCRYPTED_ENCODING);
    assert.equal(encryptionKeyIdOf(encrypted), 'test-a');
    for (const secret of Object.values(customer)) assert.ok(!bytesOf(encrypted).includes(secret), `${secret} is not in the encrypted bytes`);
    const [decoded, decodedEmpty] = await codec.decode([encrypted, empty]);
    assert.deepEqual(fromPayload(decoded), customer);
    assert.equal(fromPayload(decodedEmpty), undefined);
    // A fresh IV each time: the same value never encrypts to the same bytes.
    const [again] = await codec.encode([toPayload(customer)]);
    assert.notDeepEqual(Buffer.from(again.data!), Buffer.from(encrypted.data!));
  });

  it('passes a clear payload (written before encryption was on) through decode unchanged', async () => {
    const clear = toPayload({ tier: 2 });
    const [decoded] = await new AesGcmPayloadCodec(a).decode([clear]);
    assert.equal(decoded, clear);
    const [alsoDecoded] = await new AesGcmPayloadCodec(null).decode([clear]);
    assert.deepEqual(fromPayload(alsoDecoded), { tier: 2 });
  });

  it('rotation: written with key A, decoded after B becomes current; new writes use B', async () => {
    const [byA] = await new AesGcmPayloadCodec(a).encode([toPayload(customer)]);
    const rotated = new AesGcmPayloadCodec(testKeyring([TEST_KEY_A, TEST_KEY_B], 'test-b'));
    assert.deepEqual(fromPayload((await rotated.decode([byA]))[0]), customer);
    const [byB] = await rotated.encode([toPayload(customer)]);
    assert.equal(encryptionKeyIdOf(byB), 'test-b');
  });

  it('fails readably once key A is removed: names the key, the known keys and what it means', async () => {
    const [byA] = await new AesGcmPayloadCodec(a).encode([toPayload(customer)]);
    const onlyB = new AesGcmPayloadCodec(testKeyring([TEST_KEY_B], 'test-b'));
    await assert.rejects(onlyB.decode([byA]), /encrypted with key "test-a": that key is not in SURGE_ENCRYPTION_KEYS \(known: test-b\).*erased/);
    await assert.rejects(new AesGcmPayloadCodec(null).decode([byA]), /key "test-a".*known: none/);
  });

  it('refuses a payload whose bytes or key ID were altered (authenticated encryption)', async () => {
    const codec = new AesGcmPayloadCodec(testKeyring([TEST_KEY_A, TEST_KEY_B], 'test-a'));
    const [byA] = await codec.encode([toPayload(customer)]);
    const flipped = Buffer.from(byA.data!);
    flipped[20] ^= 1;
    await assert.rejects(codec.decode([{ ...byA, data: flipped }]), /key "test-a": authentication failed/);
    const relabelled = { ...byA, metadata: { ...byA.metadata, [KEY_ID_METADATA]: Buffer.from('test-b') } };
    await assert.rejects(codec.decode([relabelled]), /key "test-b": authentication failed/);
  });

  it('reads keys from the environment and names the variable and entry of any mistake', () => {
    assert.equal(keyringFromEnv({}), null);
    const entry = generateKeyEntry('2026-12');
    assert.equal(keyringFromEnv({ SURGE_ENCRYPTION_KEYS: entry })!.currentKeyId, '2026-12', 'a single key is current');
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ SURGE_ENCRYPTION_KEYS: 'k1:' + Buffer.alloc(16).toString('base64') }, /entry 1 \("k1"\): the key must be 32 bytes.*got 16/],
      [{ SURGE_ENCRYPTION_KEYS: 'no-colon' }, /entry 1: must be id:base64key/],
      [{ SURGE_ENCRYPTION_KEYS: `${TEST_KEY_A},${TEST_KEY_A}` }, /entry 2 \("test-a"\): key ID "test-a" is listed twice/],
      [{ SURGE_ENCRYPTION_KEYS: `${TEST_KEY_A},${TEST_KEY_B}` }, /SURGE_ENCRYPTION_KEY_ID: required when SURGE_ENCRYPTION_KEYS lists 2 keys/],
      [{ SURGE_ENCRYPTION_KEYS: TEST_KEY_A, SURGE_ENCRYPTION_KEY_ID: 'test-z' }, /SURGE_ENCRYPTION_KEY_ID: "test-z" is not among/],
      [{ SURGE_ENCRYPTION_KEY_ID: 'test-a' }, /SURGE_ENCRYPTION_KEYS is empty/],
    ];
    for (const [env, expected] of cases) assert.throws(() => keyringFromEnv(env), expected);
  });

  it('the deflection endpoint refuses to store customer data without keys, unless SURGE_ENCRYPTION=off', () => {
    assert.throws(() => requireEncryptionForCustomerData({}), /SURGE_ENCRYPTION_KEYS: required by the deflection endpoint.*SURGE_ENCRYPTION=off/);
    assert.doesNotThrow(() => requireEncryptionForCustomerData({ SURGE_ENCRYPTION: 'off' }));
    assert.doesNotThrow(() => requireEncryptionForCustomerData({ SURGE_ENCRYPTION_KEYS: TEST_KEY_A }));
  });

  it('the local stack generates its dev key once into the state folder (owner-only) and reuses it; the environment wins', () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'surge-keys-'));
    try {
      const first = devEncryptionEnv(stateDir, {});
      assert.equal(first.SURGE_ENCRYPTION_KEY_ID, 'dev-1');
      assert.deepEqual(devEncryptionEnv(stateDir, {}), first, 'a restarted stack reads what it wrote before');
      const file = path.join(stateDir, 'encryption-keys.env');
      assert.match(readFileSync(file, 'utf8'), /^SURGE_ENCRYPTION_KEYS=dev-1:/);
      assert.equal(statSync(file).mode & 0o077, 0, 'not readable by other users');
      assert.equal(devEncryptionEnv(stateDir, { SURGE_ENCRYPTION_KEYS: TEST_KEY_A }).SURGE_ENCRYPTION_KEY_ID, 'test-a');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
