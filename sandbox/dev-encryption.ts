// The local stack runs with encryption on, like production: a dev key generated once into the git-ignored state
// folder (so a restarted stack still reads the histories it wrote), a codec server, and the dev server's Web UI
// pointed at it. SURGE_ENCRYPTION_KEYS / CODEC_SERVER_TOKEN from the environment win over the generated ones.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AesGcmPayloadCodec } from '../client/encryption/aes-gcm-codec';
import { startCodecServer, type RunningCodecServer } from '../client/encryption/codec-server';
import { generateKeyEntry, keyringFromEnv } from '../client/encryption/keys';

export interface DevEncryption {
  /** SURGE_ENCRYPTION_KEYS and SURGE_ENCRYPTION_KEY_ID, for the worker and the clients. */
  env: { SURGE_ENCRYPTION_KEYS: string; SURGE_ENCRYPTION_KEY_ID: string };
  codecServer: RunningCodecServer;
  codecToken: string;
}

export function devEncryptionEnv(stateDir: string, env: NodeJS.ProcessEnv = process.env): DevEncryption['env'] {
  if (env.SURGE_ENCRYPTION_KEYS) {
    const keyring = keyringFromEnv(env)!;
    return { SURGE_ENCRYPTION_KEYS: env.SURGE_ENCRYPTION_KEYS, SURGE_ENCRYPTION_KEY_ID: keyring.currentKeyId };
  }
  const file = path.join(stateDir, 'encryption-keys.env');
  if (!existsSync(file)) writeFileSync(file, `SURGE_ENCRYPTION_KEYS=${generateKeyEntry('dev-1')}\nSURGE_ENCRYPTION_KEY_ID=dev-1\n`, { mode: 0o600 });
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
  );
  const keyring = keyringFromEnv(vars);
  if (!keyring) throw new Error(`${file}: SURGE_ENCRYPTION_KEYS is missing; delete the file to generate a new dev key (histories written with the old one become unreadable)`);
  return { SURGE_ENCRYPTION_KEYS: vars.SURGE_ENCRYPTION_KEYS, SURGE_ENCRYPTION_KEY_ID: keyring.currentKeyId };
}

export async function startDevEncryption(options: { stateDir: string; port: number; temporalUiPort: number }): Promise<DevEncryption> {
  const env = devEncryptionEnv(options.stateDir);
  const codecToken = process.env.CODEC_SERVER_TOKEN ?? randomBytes(16).toString('hex');
  const codecServer = await startCodecServer({
    codec: new AesGcmPayloadCodec(keyringFromEnv(env)),
    token: codecToken,
    corsOrigins: [`http://127.0.0.1:${options.temporalUiPort}`, `http://localhost:${options.temporalUiPort}`],
    port: options.port,
    host: '127.0.0.1',
  });
  return { env, codecServer, codecToken };
}
