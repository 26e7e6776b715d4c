// The worker process: reads the environment, builds the real clients, and runs the workflows and activities
// on task queue `surge-fallback`. Secrets stay here, in the environment; they never enter workflow history.
import { NativeConnection, Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createActivities, type ActivityDeps } from '../activities';
import { cloudflareDepsFromEnv } from '../activities/cloudflare';
import { createGenesysSession } from '../activities/genesys-client';
import { deflectionDepsFromEnv } from '../activities/deflection';
import { createNotifyActivities, notifyDepsFromEnv } from '../activities/notify';
import { loadTemporalConnectConfig } from '../client/temporal-connection';
import { dataConverterFromEnv, encryptionNotice } from '../client/encryption/data-converter';
import { TASK_QUEUE } from '../workflows/ids';
import { surgeWorkerOptions } from './worker-options';

const PREBUILT_BUNDLE = path.resolve(__dirname, '../dist/workflow-bundle.js');

/** Every missing or malformed variable at once, so a misconfigured deploy fails with one readable message. */
export function activityDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  const problems: string[] = [];
  const attempt = <T>(build: () => T): T | undefined => {
    try {
      return build();
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const genesys = attempt(() => createGenesysSession(env));
  const cloudflare = attempt(() => cloudflareDepsFromEnv(env));
  const notify = attempt(() => notifyDepsFromEnv(env));
  if (!genesys || !cloudflare || !notify) throw new Error(`the worker is not configured:\n  - ${problems.join('\n  - ')}`);
  // Deflection follow-ups are optional: the tiers work without them.
  let deflection: ActivityDeps['deflection'];
  try {
    deflection = deflectionDepsFromEnv(env, { sendAlert: createNotifyActivities(notify).sendAlert, genesys });
  } catch (err) {
    deflection = { notConfigured: (err as Error).message };
    console.warn(`worker: ${(err as Error).message}; deflection follow-ups will fail until it is`);
  }
  return { genesys, cloudflare, notify, deflection };
}

export async function createSurgeWorker(options: { env?: NodeJS.ProcessEnv; deps?: ActivityDeps; taskQueue?: string } = {}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const env = options.env ?? process.env;
  const deps = options.deps ?? activityDepsFromEnv(env);
  const config = loadTemporalConnectConfig(env);
  // Customer data is encrypted before it leaves this process (client/encryption); a malformed key fails here.
  const dataConverter = dataConverterFromEnv(env);
  const connection = await NativeConnection.connect(config.connectionOptions);
  // The prebuilt bundle (npm run build) starts in milliseconds; without it, bundle now (development).
  const workflowSource = existsSync(PREBUILT_BUNDLE) ? { workflowBundle: { codePath: PREBUILT_BUNDLE } } : { workflowsPath: require.resolve('../workflows') };
  const worker = await Worker.create({
    connection,
    namespace: config.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...workflowSource,
    dataConverter,
    activities: createActivities(deps),
    ...surgeWorkerOptions(env),
  });
  return { worker, connection };
}

async function run(): Promise<void> {
  const { worker, connection } = await createSurgeWorker();
  console.log(`surge-fallback worker polling task queue ${TASK_QUEUE}; ${encryptionNotice()}`);
  try {
    // Resolves after SIGINT/SIGTERM (installed by the SDK runtime): drains, then stops.
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
