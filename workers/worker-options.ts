// Worker sizing, read from the environment so one worker can carry a whole BPO's events. Each event is
// a long-lived workflow that wakes every poll: keeping every one in the sticky cache means a poll replays
// nothing, and enough task slots mean events polling at the same moment do not queue behind each other.
import type { WorkerOptions } from '@temporalio/worker';

export interface SurgeWorkerSizing {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
}

const DEFAULTS: SurgeWorkerSizing = {
  // At least the number of events the worker carries (each cached run costs tens of KB with the shared V8 context).
  maxCachedWorkflows: 2_000,
  maxConcurrentWorkflowTaskExecutions: 100,
  // Each event in steady state holds one batch of polls (activities/poll-batch.ts), asleep between its slots
  // most of the time: a slot per event, or batches queue behind each other and polls run late.
  maxConcurrentActivityTaskExecutions: 2_000,
  maxConcurrentLocalActivityExecutions: 200,
};

const ENV_NAMES: Record<keyof SurgeWorkerSizing, string> = {
  maxCachedWorkflows: 'SURGE_WORKER_MAX_CACHED_WORKFLOWS',
  maxConcurrentWorkflowTaskExecutions: 'SURGE_WORKER_MAX_WORKFLOW_TASKS',
  maxConcurrentActivityTaskExecutions: 'SURGE_WORKER_MAX_ACTIVITIES',
  maxConcurrentLocalActivityExecutions: 'SURGE_WORKER_MAX_LOCAL_ACTIVITIES',
};

/** The worker's sizing from the environment; a malformed value is an error naming the variable. */
export function surgeWorkerOptions(env: NodeJS.ProcessEnv = process.env): SurgeWorkerSizing & Pick<WorkerOptions, 'shutdownGraceTime'> {
  const sizing = { ...DEFAULTS };
  for (const key of Object.keys(ENV_NAMES) as (keyof SurgeWorkerSizing)[]) {
    const raw = env[ENV_NAMES[key]];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 2) throw new Error(`${ENV_NAMES[key]} must be a whole number of at least 2, got "${raw}"`);
    sizing[key] = value;
  }
  return { ...sizing, shutdownGraceTime: '10 seconds' };
}
