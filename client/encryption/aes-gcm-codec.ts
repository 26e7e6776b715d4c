// A PayloadCodec that encrypts every payload with AES-256-GCM (node:crypto). Modelled on Temporal's
// samples-typescript `encryption` sample: the encrypted payload carries `encoding: binary/encrypted` and the key's
// ID in its metadata, so a rotated key still decodes old histories. A payload without that encoding (histories
// written before encryption was on, like the committed replay fixtures) passes through decode unchanged.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { EncryptionKeyring } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
// data = FORMAT_VERSION (1 byte) | IV (12) | ciphertext | tag (16). The key ID is bound in as associated data,
// so a payload whose metadata is edited to name another key fails authentication instead of decrypting.
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class UnknownEncryptionKeyError extends Error {
  constructor(readonly keyId: string, known: string[]) {
    super(
      `cannot decrypt a payload encrypted with key "${keyId}": that key is not in SURGE_ENCRYPTION_KEYS (known: ${known.join(', ') || 'none'}). ` +
        `Add "${keyId}" back to read it; if it was removed on purpose, what it encrypted is erased.`,
    );
    this.name = 'UnknownEncryptionKeyError';
  }
}

export class PayloadDecryptionError extends Error {
  constructor(keyId: string, detail: string) {
    super(`cannot decrypt a payload with key "${keyId}": ${detail} (wrong key material under that ID, or the payload was altered)`);
    this.name = 'PayloadDecryptionError';
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

/** The original payload as bytes: its metadata and data, base64 in a small JSON document. */
function serialize(payload: Payload): Buffer {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return Buffer.from(JSON.stringify({ metadata, data: payload.data ? Buffer.from(payload.data).toString('base64') : '' }));
}

function deserialize(bytes: Buffer): Payload {
  const parsed = JSON.parse(bytes.toString('utf8')) as { metadata: Record<string, string>; data: string };
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(parsed.metadata)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(parsed.data, 'base64')) };
}

const associatedData = (keyId: string) => Buffer.from(`surge-fallback/payload/v${FORMAT_VERSION}/${keyId}`);

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export function encryptionKeyIdOf(payload: Payload): string | null {
  return isEncrypted(payload) ? text(payload.metadata?.[KEY_ID_METADATA]) : null;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  /** `keyring` null: nothing is encrypted, and an encrypted payload fails to decode saying which key it needs. */
  constructor(private readonly keyring: EncryptionKeyring | null) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyring = this.keyring;
    if (!keyring) return payloads;
    const key = keyring.keys.get(keyring.currentKeyId)!;
    return payloads.map((payload) => {
      if (isEncrypted(payload)) return payload; // never wrap twice
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(keyring.currentKeyId));
      const ciphertext = Buffer.concat([cipher.update(serialize(payload)), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyring.currentKeyId), [CIPHER_METADATA]: utf8(CIPHER) },
        data: new Uint8Array(Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, ciphertext, cipher.getAuthTag()])),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload; // written in clear (before encryption was on): readable as is
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = this.keyring?.keys.get(keyId);
      if (!key) throw new UnknownEncryptionKeyError(keyId, [...(this.keyring?.keys.keys() ?? [])]);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_VERSION) {
        throw new PayloadDecryptionError(keyId, `unknown format (version byte ${data[0] ?? 'missing'}, ${data.length} bytes)`);
      }
      const iv = data.subarray(1, 1 + IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(associatedData(keyId));
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(keyId, 'authentication failed');
      }
      return deserialize(plain);
    });
  }
}
