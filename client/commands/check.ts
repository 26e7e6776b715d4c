// `surge check <event-config>`: validate the config, then exercise every lever the event will pull, directly
// from this machine (no Temporal needed), one PASS/FAIL line each. `--schedule` runs the same checks as the
// `preEventCheck` workflow instead, so the result lands in the Temporal UI and the operators' inbox.
import { Command, Option } from 'commander';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { createCloudflareChecks, createGenesysChecks, createSmtpCheck, type ReadinessResult } from '../../activities/readiness';
import { cloudflareDepsFromEnv } from '../../activities/cloudflare';
import { createGenesysSession } from '../../activities/genesys-client';
import { notifyDepsFromEnv } from '../../activities/notify';
import { TASK_QUEUE } from '../../workflows/ids';
import {
  formatReadinessReport,
  planReadinessChecks,
  preEventCheck,
  preEventCheckWorkflowId,
  readinessHeadline,
  type PlannedCheck,
  type PreEventCheckInput,
  type ReadinessReport,
} from '../../workflows/pre-event-check';
import { loadEventConfig } from '../event-config';
import { SurgeClientError } from '../surge-client';
import { connectTemporal } from '../temporal-connection';

type Subsystem = 'genesys' | 'cloudflare' | 'smtp';
type Checks = ReturnType<typeof createGenesysChecks> & ReturnType<typeof createCloudflareChecks> & ReturnType<typeof createSmtpCheck>;

const SUBSYSTEM_OF: Record<PlannedCheck['activity'], Subsystem> = {
  checkGenesysCredentials: 'genesys',
  checkQueues: 'genesys',
  checkFlowVersions: 'genesys',
  checkFlagsTable: 'genesys',
  checkKvWritable: 'cloudflare',
  checkFallbackPage: 'cloudflare',
  checkSmtp: 'smtp',
};

const ENV_VARS: Record<Subsystem, string> = {
  genesys: 'GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION (or GENESYS_GATEWAY_URL)',
  cloudflare: 'CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_KV_NAMESPACE_ID',
  smtp: 'SMTP_URL and ALERT_FROM',
};

/**
 * Runs the workflow's plan in this process. A subsystem whose environment is incomplete fails its own checks
 * (naming the variables) and leaves the others to run, as the worker would report them.
 */
export async function runReadinessChecks(input: PreEventCheckInput, env: NodeJS.ProcessEnv = process.env): Promise<ReadinessResult[]> {
  const problems = new Map<Subsystem, string>();
  const build = <T>(subsystem: Subsystem, make: () => T): T | undefined => {
    try {
      return make();
    } catch (err) {
      problems.set(subsystem, (err as Error).message);
      return undefined;
    }
  };
  const notify = build('smtp', () => notifyDepsFromEnv(env));
  const checks = {
    ...build('genesys', () => createGenesysChecks(createGenesysSession(env))),
    ...build('cloudflare', () => createCloudflareChecks(cloudflareDepsFromEnv(env))),
    ...(notify ? createSmtpCheck(notify) : {}),
  } as Partial<Checks>;
  const results: ReadinessResult[] = [];
  try {
    for (const planned of planReadinessChecks(input)) {
      const subsystem = SUBSYSTEM_OF[planned.activity];
      const problem = problems.get(subsystem);
      if (problem !== undefined) {
        results.push({ check: planned.activity, ok: false, detail: problem, fix: `set ${ENV_VARS[subsystem]} in the environment` });
        continue;
      }
      const run = checks[planned.activity] as (arg: unknown) => Promise<ReadinessResult>;
      results.push(await run(planned.input));
    }
  } finally {
    notify?.transport.close();
  }
  return results;
}

function toReport(input: PreEventCheckInput, results: ReadinessResult[]): ReadinessReport {
  const failures = results.filter((r) => !r.ok);
  return {
    eventId: input.config.eventId,
    eventName: input.config.name,
    complete: true,
    ok: failures.length === 0,
    checkedAt: new Date().toISOString(),
    results,
    failures,
    email: null,
  };
}

function printReport(report: ReadinessReport, json: boolean): void {
  if (json) return console.log(JSON.stringify(report, null, 2));
  console.log(`${formatReadinessReport(report)}\n\n${readinessHeadline(report)}`);
}

interface CheckOptions {
  json?: boolean;
  schedule?: boolean;
  wait?: boolean;
  replace?: boolean;
  fallbackUrl?: string;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('validate an event config and check every lever it uses (credentials, queues, flows and both versions, data table, KV write, fallback page, SMTP)')
    .argument('<event-config>', 'path to the event config file (JSON or YAML)')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--fallback-url <url>', "the static fallback page's public URL: checks its CF-Cache-Status").env('SURGE_FALLBACK_PAGE_URL'))
    .option('--schedule', 'run the checks now as the preEventCheck workflow (result in the Temporal UI and by email) instead of from here')
    .option('--wait', 'with --schedule: wait for the workflow and print its report')
    .option('--replace', 'with --schedule: replace a check already scheduled or running for this event')
    .action(async (file: string, opts: CheckOptions) => {
      const config = await loadEventConfig(file);
      if (opts.fallbackUrl !== undefined && !/^https?:\/\/\S+$/.test(opts.fallbackUrl)) {
        throw new SurgeClientError(`--fallback-url must be an http(s) URL, got ${JSON.stringify(opts.fallbackUrl)}`, 'invalid');
      }
      const input: PreEventCheckInput = { config, ...(opts.fallbackUrl ? { fallbackPageUrl: opts.fallbackUrl } : {}) };
      if (!opts.schedule) {
        const report = toReport(input, await runReadinessChecks(input));
        printReport(report, !!opts.json);
        if (!report.ok) process.exitCode = 1;
        return;
      }
      const client = await connectTemporal();
      const workflowId = preEventCheckWorkflowId(config.eventId);
      let handle;
      try {
        handle = await client.workflow.start(preEventCheck, {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [input],
          workflowIdConflictPolicy: opts.replace ? 'TERMINATE_EXISTING' : 'FAIL',
          staticSummary: `readiness check for ${config.name} (starts ${config.startAt})`,
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          throw new SurgeClientError(`a readiness check for "${config.eventId}" is already scheduled or running (workflow ${workflowId}); use --replace to start a fresh one`, 'already-running');
        }
        throw err;
      }
      if (!opts.wait) {
        if (opts.json) return console.log(JSON.stringify({ workflowId, runId: handle.firstExecutionRunId }));
        return console.log(`started readiness check ${workflowId} (run ${handle.firstExecutionRunId}); query \`result\` or see it in the Temporal UI`);
      }
      const report = await handle.result();
      printReport(report, !!opts.json);
      if (!report.ok) process.exitCode = 1;
    });
}
