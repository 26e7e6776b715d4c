// Runs the Cloudflare API sandbox on its own (in-memory KV): `npx tsx sandbox/cloudflare/main.ts`.
// Port and host from CLOUDFLARE_SANDBOX_PORT (default 8901) and CLOUDFLARE_SANDBOX_HOST (default 127.0.0.1).
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox } from './server';

async function main(): Promise<void> {
  const portText = process.env.CLOUDFLARE_SANDBOX_PORT ?? '8901';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`CLOUDFLARE_SANDBOX_PORT must be a port number (0-65535), got ${JSON.stringify(portText)}`);
  }
  const sandbox = await startCloudflareSandbox({ port, host: process.env.CLOUDFLARE_SANDBOX_HOST ?? '127.0.0.1' });
  // Sandbox credentials only: they open nothing but this process.
  console.log(`Cloudflare API sandbox listening on ${sandbox.url}`);
  console.log('Point the worker at it with:');
  console.log(`  CLOUDFLARE_BASE_URL=${sandbox.url}`);
  console.log(`  CLOUDFLARE_API_TOKEN=${SANDBOX_CLOUDFLARE.token}   (read-only: ${SANDBOX_CLOUDFLARE.readOnlyToken})`);
  console.log(`  CLOUDFLARE_ACCOUNT_ID=${SANDBOX_CLOUDFLARE.accountId}`);
  console.log(`  CLOUDFLARE_KV_NAMESPACE_ID=${SANDBOX_CLOUDFLARE.namespaceId}`);
  console.log(`  CLOUDFLARE_ZONE_ID=${SANDBOX_CLOUDFLARE.zoneId}`);

  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('closing the Cloudflare sandbox failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
