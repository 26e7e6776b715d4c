// The encryption keys, from the environment: SURGE_ENCRYPTION_KEYS=id1:base64key,id2:base64key (each key 32 random
// bytes, AES-256) and SURGE_ENCRYPTION_KEY_ID=the ID new payloads are encrypted with. Old keys stay listed so the
// histories they wrote still decode; removing a key makes what it wrote unreadable (that is the erasure lever).
import { randomBytes } from 'node:crypto';

export interface EncryptionKeyring {
  /** The key new payloads are written with. */
  currentKeyId: string;
  /** Every key that may still decode: ID -> 32 bytes. */
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * null when SURGE_ENCRYPTION_KEYS is unset or empty (payloads are then written in clear); throws naming the
 * variable and the entry for anything malformed, so a bad deploy fails at start, not at the first payload.
 */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): EncryptionKeyring | null {
  const raw = env.SURGE_ENCRYPTION_KEYS?.trim();
  if (!raw) {
    if (env.SURGE_ENCRYPTION_KEY_ID) throw new Error('SURGE_ENCRYPTION_KEY_ID is set but SURGE_ENCRYPTION_KEYS is empty: list the keys as id:base64key,...');
    return null;
  }
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of raw.split(',').map((e) => e.trim()).entries()) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const where = `SURGE_ENCRYPTION_KEYS entry ${i + 1}${id ? ` ("${id}")` : ''}`;
    if (!KEY_ID.test(id)) throw new Error(`${where}: must be id:base64key with an ID of letters, digits, . _ - (at most 64)`);
    if (keys.has(id)) throw new Error(`${where}: key ID "${id}" is listed twice`);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== material.replace(/=+$/, '')) {
      throw new Error(`${where}: the key must be 32 bytes in base64 (AES-256), got ${key.length} bytes; make one with \`openssl rand -base64 32\``);
    }
    keys.set(id, key);
  }
  const currentKeyId = env.SURGE_ENCRYPTION_KEY_ID?.trim() || (keys.size === 1 ? [...keys.keys()][0] : '');
  if (!currentKeyId) throw new Error(`SURGE_ENCRYPTION_KEY_ID: required when SURGE_ENCRYPTION_KEYS lists ${keys.size} keys (one of ${[...keys.keys()].join(', ')})`);
  if (!keys.has(currentKeyId)) throw new Error(`SURGE_ENCRYPTION_KEY_ID: "${currentKeyId}" is not among SURGE_ENCRYPTION_KEYS (${[...keys.keys()].join(', ')})`);
  return { currentKeyId, keys };
}

/** A fresh key entry for SURGE_ENCRYPTION_KEYS. */
export function generateKeyEntry(id: string): string {
  if (!KEY_ID.test(id)) throw new Error(`key ID "${id}": letters, digits, . _ - only (at most 64)`);
  return `${id}:${randomBytes(32).toString('base64')}`;
}
