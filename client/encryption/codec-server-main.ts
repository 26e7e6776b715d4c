// `npm run codec-server`: the codec server from the environment (see codec-server.ts and the README).
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import { startCodecServer } from './codec-server';
import { keyringFromEnv } from './keys';

async function main(): Promise<void> {
  const keyring = keyringFromEnv();
  if (!keyring) throw new Error('SURGE_ENCRYPTION_KEYS: required (the codec server decrypts with the same keys as the worker)');
  const token = process.env.CODEC_SERVER_TOKEN;
  if (!token) throw new Error('CODEC_SERVER_TOKEN: required (callers send Authorization: Bearer <token>)');
  const corsOrigins = (process.env.CODEC_SERVER_CORS_ORIGINS ?? 'http://127.0.0.1:8233,http://localhost:8233').split(',').map((o) => o.trim()).filter(Boolean);
  const portRaw = process.env.CODEC_SERVER_PORT ?? '8234';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CODEC_SERVER_PORT: must be a port number 0-65535, got ${JSON.stringify(portRaw)}`);
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(keyring),
    token,
    corsOrigins,
    port,
    host: process.env.CODEC_SERVER_HOST ?? '127.0.0.1',
    log: (line) => console.error(line),
  });
  console.log(`codec server on ${server.url} (keys: ${[...keyring.keys.keys()].join(', ')}; current ${keyring.currentKeyId}; CORS: ${corsOrigins.join(', ')})`);
  console.log(`  CLI:   temporal workflow show -w <id> --codec-endpoint ${server.url} --codec-auth "Bearer $CODEC_SERVER_TOKEN"`);
  console.log(`  Web UI codec endpoint: ${server.url}/<CODEC_SERVER_TOKEN>`);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`codec server: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
