// `npx tsx client/dashboard/main.ts`: the ops dashboard from the environment.
//   DASHBOARD_TOKEN (required unless DASHBOARD_BASIC_AUTH=user:password), DASHBOARD_PORT (3000),
//   DASHBOARD_HOST (127.0.0.1), TEMPORAL_UI_URL (http://127.0.0.1:8233), and the Temporal connection
//   variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...). Abuse guards: DASHBOARD_PUBLIC_URL (https => Secure
//   cookie), DASHBOARD_TRUST_PROXY (false), DASHBOARD_AUTH_FAILURE_LIMIT (10) per
//   DASHBOARD_AUTH_FAILURE_WINDOW_SECONDS (900).
import { SurgeClient } from '../surge-client';
import { connectTemporal } from '../temporal-connection';
import { clientOptionsNote, dashboardGuardsFromEnv } from './guards-env';
import { startDashboard } from './server';

async function main(): Promise<void> {
  const token = process.env.DASHBOARD_TOKEN;
  const basicAuth = process.env.DASHBOARD_BASIC_AUTH;
  if (!token && !basicAuth) {
    throw new Error('set DASHBOARD_TOKEN (an operator token, or name:token,...) or DASHBOARD_BASIC_AUTH=user:password: the dashboard never runs open');
  }
  const guards = dashboardGuardsFromEnv(process.env);
  const note = clientOptionsNote(guards);
  if (note) console.warn(`dashboard: ${note}`);
  const client = await connectTemporal();
  const dashboard = await startDashboard({
    surge: new SurgeClient(client),
    ...(token ? { token } : {}),
    ...(basicAuth ? { basicAuth } : {}),
    temporalUiUrl: process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233',
    ...(process.env.DASHBOARD_HOST ? { host: process.env.DASHBOARD_HOST } : {}),
    ...guards,
  });
  console.log(`ops dashboard: ${dashboard.url}  (Temporal namespace ${client.options.namespace})`);
  const stop = () => {
    void dashboard.close().then(() => client.connection.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`dashboard: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
