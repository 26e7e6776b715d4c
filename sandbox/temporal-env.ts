// Temporal environments on the project's own provisioned binaries (no download at run time), for tests,
// drills and benchmarks.
import { Runtime, DefaultLogger, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, ensureTemporalTestServer } from '../scripts/provision-temporal';
import { SURGE_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { FAILURE_CONVERTER_PATH } from '../client/encryption/data-converter';

let runtimeInstalled = false;
/** The SDK's runtime is per process and installed once: the first caller's level wins. */
export function quietRuntime(level: 'WARN' | 'ERROR' = 'ERROR'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Another suite in this process installed it first: same settings, nothing to do.
  }
}

/** The Java-compatible time-skipping server: hours of timers in seconds. Search attributes registered. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = await ensureTemporalTestServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: { SurgeEventId: 2 /* KEYWORD */, SurgeTier: 3 /* INT */, SurgePhase: 2 /* KEYWORD */ },
  });
  return env;
}

/** The real `temporal server start-dev`, persisted to `dbFilename` when given. */
export async function devServerEnv(options: { dbFilename?: string; /** Serve Prometheus metrics here (bench/scale.ts reads the `action` counter). */ metricsPort?: number } = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = await ensureTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SURGE_SEARCH_ATTRIBUTES,
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      ...(options.metricsPort ? { extraArgs: ['--metrics-port', String(options.metricsPort)] } : {}),
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
/** Bundling takes seconds: once per process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  // The shipped failure converter (failure messages encoded, so the payload codec encrypts them), as in `npm run build`.
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: new DefaultLogger('WARN') });
  return bundle;
}
