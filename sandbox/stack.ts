// `npm start`: the whole local stack in one process tree, on 127.0.0.1: the Temporal dev server (SQLite in
// .temporal/, Web UI), the sandboxes (Genesys driven by the contact-centre simulator, Cloudflare KV wired into
// the local edge Worker, SMTP with a web mailbox), the worker with the real activities, the ops dashboard,
// and the demo event `demo-flash-sale` in accelerated time, repeating (sandbox/demo.ts). Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startDashboard, type RunningDashboard } from '../client/dashboard/server';
import { SurgeClient } from '../client/surge-client';
import { ensureTemporalCli } from '../scripts/provision-temporal';
import { deflectionDepsFromEnv } from '../activities/deflection';
import { createNotifyActivities } from '../activities/notify';
import { startDeflectionServer } from '../client/deflections';
import { createSurgeWorker } from '../workers/worker';
import { encryptingDataConverter } from '../client/encryption/data-converter';
import { keyringFromEnv } from '../client/encryption/keys';
import { startDevEncryption } from './dev-encryption';
import { startLocalEdge, type LocalEdge } from './edge';
import { startMessengerSandbox, type MessengerSandbox } from './messenger/server';
import { startSandboxWorld, type SandboxWorld } from './world';
import type { KvBackend } from './cloudflare';
import { DEMO_EVENT_ID, startDemoEvent, startDemoStatusLine, type DemoEvent } from './demo';

export { DEMO_EVENT_ID };
const ROOT = path.resolve(__dirname, '..');

export interface StackPorts {
  temporal: number;
  temporalUi: number;
  dashboard: number;
  edge: number;
  genesys: number;
  cloudflare: number;
  smtp: number;
  smtpHttp: number;
  messenger: number;
  deflection: number;
  codecServer: number;
}

/** Each port overridable by env; 0 picks a free one (tests). */
export function stackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const port = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}: must be a port number 0-65535, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    temporal: port('TEMPORAL_PORT', 7233),
    temporalUi: port('TEMPORAL_UI_PORT', 8233),
    dashboard: port('DASHBOARD_PORT', 3000),
    edge: port('EDGE_PORT', 8787),
    genesys: port('GENESYS_SANDBOX_PORT', 8900),
    cloudflare: port('CLOUDFLARE_SANDBOX_PORT', 8901),
    smtp: port('SMTP_SANDBOX_PORT', 2525),
    smtpHttp: port('SMTP_SANDBOX_HTTP_PORT', 8902),
    messenger: port('MESSENGER_SANDBOX_PORT', 8903),
    deflection: port('DEFLECTION_PORT', 3001),
    codecServer: port('CODEC_SERVER_PORT', 8234),
  };
}

export interface StackOptions {
  ports?: Partial<StackPorts>;
  /** Simulated ms per wall ms for the demo scenario (default 30: the flash sale's 3 hours in 6 minutes). */
  acceleration?: number;
  /** Where Temporal keeps its SQLite file (default .temporal/ in the checkout). */
  stateDir?: string;
  dashboardToken?: string;
  scenario?: string;
  /** How long the demo event stays open, wall ms (default a week); the flash sale repeats within it. */
  demoWindowMs?: number;
  /** A line on `log` saying where the demo is, every this many ms (default 5000; 0: none). */
  demoStatusEveryMs?: number;
  log?: (line: string) => void;
}

export interface Stack {
  urls: Record<'dashboard' | 'temporalUi' | 'storefront' | 'mailbox' | 'deflections' | 'temporal' | 'genesys' | 'cloudflare' | 'smtp' | 'codecServer', string>;
  dashboardToken: string;
  deflectionSecret: string;
  /** Bearer token of the codec server (the CLI's --codec-auth). */
  codecToken: string;
  client: Client;
  world: SandboxWorld;
  demo: DemoEvent;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const wanted = { ...stackPorts(), ...options.ports };
  const ports = await claimPorts(wanted);
  const stateDir = options.stateDir ?? path.join(ROOT, '.temporal');
  mkdirSync(stateDir, { recursive: true });
  const acceleration = options.acceleration ?? 30;
  const deflectionSecret = process.env.DEFLECTION_SHARED_SECRET ?? randomBytes(16).toString('hex');
  const dashboardToken = options.dashboardToken ?? process.env.DASHBOARD_TOKEN ?? `operator:${randomBytes(12).toString('hex')}`;

  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    // Encryption on, as in production: a dev key in stateDir, and the UI decodes through the codec server.
    const encryption = await startDevEncryption({ stateDir, port: ports.codecServer, temporalUiPort: ports.temporalUi });
    stops.push(() => encryption.codecServer.close());
    const temporal = await startTemporalDevServer(ports, stateDir, log, encryption.codecServer.uiEndpoint);
    stops.push(() => stopProcess(temporal));
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    stops.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default', dataConverter: encryptingDataConverter(keyringFromEnv(encryption.env)) });

    const messenger: MessengerSandbox = await startMessengerSandbox({ port: ports.messenger, host: '127.0.0.1' });
    stops.push(() => messenger.close());
    const edge: LocalEdge = await startLocalEdge({ port: ports.edge, messengerUpstream: messenger.url });
    stops.push(() => edge.dispose());
    const world = await startSandboxWorld({
      scenario: options.scenario ?? 'flash-sale-10x',
      clock: 'realtime',
      acceleration,
      loop: true,
      kv: edge.kv as unknown as KvBackend,
      ports: { genesys: ports.genesys, cloudflare: ports.cloudflare, smtp: ports.smtp, smtpHttp: ports.smtpHttp },
    });
    stops.push(() => world.close());

    const deps = world.activityDeps();
    deps.deflection = deflectionDepsFromEnv(
      {
        ...world.env,
        DEFLECTION_EMAIL_FROM: 'Demo Store Care <care@demo-store.example>',
        DEFLECTION_ALERT_RECIPIENTS: 'cc-ops@example.com',
        DEFLECTION_BRAND_NAME: 'Demo Store',
        DEFLECTION_SUPPORT_URL: `${edge.url}/support`,
      },
      { sendAlert: createNotifyActivities(deps.notify).sendAlert, genesys: deps.genesys },
    );
    const { worker } = await createSurgeWorker({ deps, env: { ...process.env, ...encryption.env, TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`, TEMPORAL_NAMESPACE: 'default' } });
    const running = worker.run();
    stops.push(async () => {
      // The SDK's runtime may already be shutting it down on the same Ctrl-C.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    const temporalUi = `http://127.0.0.1:${ports.temporalUi}`;
    const dashboard: RunningDashboard = await startDashboard({ surge: new SurgeClient(client), token: dashboardToken, temporalUiUrl: temporalUi, port: ports.dashboard, host: '127.0.0.1' });
    stops.push(() => dashboard.close());

    const deflections = await startDeflectionServer({ client, secret: deflectionSecret, port: ports.deflection, host: '127.0.0.1' });
    stops.push(() => deflections.close());

    const demo = await startDemoEvent(client, world, {
      acceleration,
      ...(options.demoWindowMs !== undefined ? { windowMs: options.demoWindowMs } : {}),
      dashboardUrl: dashboard.url,
      temporalUiUrl: temporalUi,
    });
    const statusEveryMs = options.demoStatusEveryMs ?? 5_000;
    if (statusEveryMs > 0) {
      const stopStatusLine = startDemoStatusLine(client, world, { everyMs: statusEveryMs, log });
      stops.push(async () => stopStatusLine());
    }
    return {
      urls: {
        dashboard: dashboard.url,
        temporalUi,
        storefront: edge.url,
        mailbox: world.smtp.httpUrl,
        deflections: `${deflections.url}/deflections`,
        temporal: `127.0.0.1:${ports.temporal}`,
        genesys: world.genesys.url,
        cloudflare: world.cloudflare.url,
        smtp: world.env.SMTP_URL!,
        codecServer: encryption.codecServer.url,
      },
      dashboardToken,
      deflectionSecret,
      codecToken: encryption.codecToken,
      client,
      world,
      demo,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startTemporalDevServer(ports: StackPorts, stateDir: string, log: (line: string) => void, codecEndpoint: string): Promise<ChildProcess> {
  const cli = await ensureTemporalCli();
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(ports.temporal),
    '--ui-port', String(ports.temporalUi),
    '--db-filename', path.join(stateDir, 'dev.db'),
    '--search-attribute', 'SurgeEventId=Keyword',
    '--search-attribute', 'SurgeTier=Int',
    '--search-attribute', 'SurgePhase=Keyword',
    '--log-level', 'error',
    // The Web UI decodes payloads through the local codec server (flag checked with `temporal server start-dev --help`, CLI 1.9.1).
    '--ui-codec-endpoint', codecEndpoint,
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the Temporal dev server exited (${code}) before it was ready:\n${output.slice(-2000)}`))),
  );
  // Ready when the frontend accepts a gRPC connection.
  const ready = (async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const c = await Connection.connect({ address: `127.0.0.1:${ports.temporal}`, connectTimeout: 1000 });
        await c.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer on 127.0.0.1:${ports.temporal} within 60 s:\n${output.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => log('the Temporal dev server stopped'));
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Checks every fixed port first, so a clash is reported by name before anything starts; 0 becomes a free port. */
async function claimPorts(wanted: StackPorts): Promise<StackPorts> {
  const envName: Record<keyof StackPorts, string> = {
    temporal: 'TEMPORAL_PORT', temporalUi: 'TEMPORAL_UI_PORT', dashboard: 'DASHBOARD_PORT', edge: 'EDGE_PORT', genesys: 'GENESYS_SANDBOX_PORT',
    cloudflare: 'CLOUDFLARE_SANDBOX_PORT', smtp: 'SMTP_SANDBOX_PORT', smtpHttp: 'SMTP_SANDBOX_HTTP_PORT', messenger: 'MESSENGER_SANDBOX_PORT', deflection: 'DEFLECTION_PORT',
    codecServer: 'CODEC_SERVER_PORT',
  };
  const result = { ...wanted };
  const busy: string[] = [];
  for (const key of Object.keys(wanted) as (keyof StackPorts)[]) {
    const got = await probePort(wanted[key]);
    if (got === null) busy.push(`port ${wanted[key]} (${envName[key]}) is in use`);
    else result[key] = got;
  }
  if (busy.length > 0) {
    throw new Error(`cannot start the local stack:\n  - ${busy.join('\n  - ')}\nStop what uses them (an earlier \`npm start\`?) or set those variables to free ports.`);
  }
  return result;
}

function probePort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(actual));
    });
  });
}

async function main(): Promise<void> {
  // The SDK's info logs (bundling, state changes) would bury the URLs.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log('starting the local stack (first run provisions the Temporal CLI into .tools/)...');
  const stack = await startStack();
  const token = stack.dashboardToken.includes(':') ? stack.dashboardToken.slice(stack.dashboardToken.indexOf(':') + 1) : stack.dashboardToken;
  console.log(
    [
      '',
      'surge-fallback local stack is up:',
      `  ops dashboard      ${stack.urls.dashboard}   (operator token: ${token})`,
      `  Temporal UI        ${stack.urls.temporalUi}`,
      `  demo storefront    ${stack.urls.storefront}   (through the local edge Worker)`,
      `  alert mailbox      ${stack.urls.mailbox}`,
      `  deflections (Data Action endpoint) ${stack.urls.deflections}   (header X-Surge-Deflection-Secret: ${stack.deflectionSecret})`,
      `  Temporal gRPC      ${stack.urls.temporal}`,
      `  Genesys sandbox    ${stack.urls.genesys}   (client sandbox-client / sandbox-secret)`,
      `  Cloudflare sandbox ${stack.urls.cloudflare}`,
      `  SMTP sandbox       ${stack.urls.smtp}`,
      `  codec server       ${stack.urls.codecServer}   (payloads are encrypted; the Temporal UI decodes through it. CLI: temporal workflow show -w <id> --codec-endpoint ${stack.urls.codecServer} --codec-auth "Bearer ${stack.codecToken}")`,
      '',
      `demo event ${stack.demo.eventId} started${stack.demo.earlier === 'none' ? '' : ` (the one from an earlier start was ${stack.demo.earlier})`}: the flash sale in accelerated time, repeating until ${stack.demo.endAt}.`,
      'Try: npx surge status demo-flash-sale      Ctrl-C stops everything. Where the demo is, every few seconds:',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the stack...`);
    stack.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
