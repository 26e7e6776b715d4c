// Runs the Genesys sandbox on GENESYS_SANDBOX_PORT (default 8900) until interrupted.
import { DEFAULT_GENESYS_SANDBOX_PORT, startGenesysSandbox } from './server';
import { SANDBOX_CLIENT_ID } from './seed';

async function main(): Promise<void> {
  const raw = process.env.GENESYS_SANDBOX_PORT;
  const port = raw === undefined || raw === '' ? DEFAULT_GENESYS_SANDBOX_PORT : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GENESYS_SANDBOX_PORT must be a port number, got "${raw}"`);
  const sandbox = await startGenesysSandbox({ port, host: process.env.GENESYS_SANDBOX_HOST ?? '127.0.0.1' });
  console.log(`Genesys sandbox on ${sandbox.url} (OAuth client ${SANDBOX_CLIENT_ID}; admin API at ${sandbox.url}/__admin/state)`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
