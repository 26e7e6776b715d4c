// Runs the SMTP sandbox on its own: `npx tsx sandbox/smtp/main.ts`.
// Env: SMTP_SANDBOX_PORT (2525), SMTP_SANDBOX_HTTP_PORT (8902), SMTP_SANDBOX_HOST (127.0.0.1).
import { startSmtpSandbox } from './server';

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  }
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSmtpSandbox({
    port: portFromEnv('SMTP_SANDBOX_PORT', 2525),
    httpPort: portFromEnv('SMTP_SANDBOX_HTTP_PORT', 8902),
    host: process.env.SMTP_SANDBOX_HOST || '127.0.0.1',
  });
  console.log(`SMTP sandbox: SMTP_URL=${sandbox.smtpUrl}  messages: ${sandbox.httpUrl}/`);

  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
