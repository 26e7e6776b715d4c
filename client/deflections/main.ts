// `tsx client/deflections/main.ts`: the deflection endpoint as its own small process.
import { encryptionNotice, requireEncryptionForCustomerData } from '../encryption/data-converter';
import { connectTemporal } from '../temporal-connection';
import { deflectionServerOptionsFromEnv, startDeflectionServer } from './server';

async function main(): Promise<void> {
  const options = deflectionServerOptionsFromEnv();
  requireEncryptionForCustomerData();
  const client = await connectTemporal();
  const running = await startDeflectionServer({ ...options, client, host: process.env.DEFLECTION_HOST ?? '127.0.0.1' });
  const { recipientLimit, callerLimit } = options;
  console.log(`deflection endpoint on ${running.url}/deflections; ${encryptionNotice()}`);
  console.log(
    `  limits (this process): ${recipientLimit!.limit} new promises per recipient per ${recipientLimit!.windowMs / 1000} s, ` +
      `${callerLimit!.limit} requests per caller per ${callerLimit!.windowMs / 1000} s; X-Forwarded-For trusted for ${options.trustProxyHops ?? 0} hop(s)`,
  );
  const stop = () => void running.close().then(() => client.connection.close());
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
