// Runs the REAL activities against a sandbox world whose clock is the Temporal test server's. The time-skipping
// server leaps over timers and only runs at wall speed while an activity is in flight, so the simulated clock
// is anchored at each activity's scheduled time (the server's time then) and moves with the wall clock from
// there. The thin pass-through brings the world up to that time before the real activity code runs.
import { Context } from '@temporalio/activity';
import type { QueueMetricsSample } from '../../activities';
import type { WorkerActivities } from '../../activities';
import type { SandboxWorld } from '../world';
import { runPollBatch } from '../../workflows/poll-batch';

/** Simulated ms since `epochMs`, following the test server's time as activities report it. */
export interface ServerAnchoredClock {
  (): number;
  /** The server's time is at least `serverMs` now. */
  anchor(serverMs: number): void;
}

export function createServerAnchoredClock(epochMs: number): ServerAnchoredClock {
  let anchorServerMs = epochMs;
  let anchorWallMs = performance.now();
  const now = (() => anchorServerMs - epochMs + (performance.now() - anchorWallMs)) as ServerAnchoredClock;
  now.anchor = (serverMs) => {
    // Time never goes back: a late-reported schedule time must not rewind the simulator.
    if (serverMs - epochMs > now()) {
      anchorServerMs = serverMs;
      anchorWallMs = performance.now();
    }
  };
  return now;
}

/** One poll as the workflow saw it: what a drill's report and the "rule first met" replay are built from. */
export interface PollRecord {
  simMs: number;
  ok: boolean;
  /** Temporal's attempt number: a failed attempt followed by the next one is one poll, not two. */
  attempt: number;
  waiting?: number;
  agentsAvailable?: number;
  error?: string;
}

export interface SimTimeActivityOptions {
  world: SandboxWorld;
  clock: ServerAnchoredClock;
  activities: WorkerActivities;
  /** Every fetchQueueMetrics outcome is appended here. */
  polls?: PollRecord[];
}

/**
 * The server's time when the workflow asked for this activity, or null when it cannot be known. A local activity
 * (the poll's observe step, the queue check) is scheduled by the worker, whose clock is not the time-skipping
 * server's: the observe step's input carries the workflow's `at`; the queue check's does not (it needs no time).
 */
export function scheduledServerMs(input?: unknown): number | null {
  const info = Context.current().info;
  if (!info.isLocal) return info.currentAttemptScheduledTimestampMs;
  const at = input && typeof input === 'object' ? (input as { at?: unknown }).at : undefined;
  return typeof at === 'string' ? Date.parse(at) : null;
}

export function createSimTimeActivities({ world, clock, activities, polls }: SimTimeActivityOptions): WorkerActivities {
  /** Anchors the clock at the activity's schedule; unknown (a local activity with no time of its own): it runs on. */
  const anchor = (input?: unknown) => {
    const serverMs = scheduledServerMs(input);
    if (serverMs !== null) clock.anchor(serverMs);
  };
  const before = async (input?: unknown) => {
    anchor(input);
    await world.sync();
  };
  const wrapped = { ...activities };
  for (const name of Object.keys(activities) as (keyof WorkerActivities)[]) {
    const real = activities[name] as (input: unknown) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[name] = async (input: unknown) => {
      await before(input);
      try {
        return await real(input);
      } finally {
        // An actuator just wrote a flag: let the simulator see it before the next step.
        await world.controls.refresh();
      }
    };
  }
  wrapped.fetchQueueMetrics = async (input) => {
    await before();
    const simMs = clock();
    const attempt = Context.current().info.attempt;
    try {
      const sample = await activities.fetchQueueMetrics(input);
      polls?.push({ simMs, attempt, ok: true, waiting: sample.waiting, agentsAvailable: sample.agentsAvailable });
      // The real activity stamps the wall clock; on the test server the observation time is the server's.
      return { ...sample, at: new Date(world.epochMs + simMs).toISOString() } satisfies QueueMetricsSample;
    } catch (err) {
      polls?.push({ simMs, attempt, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  };
  // The workflow's observe step (one activity per poll) carries the metrics now: record its metrics part.
  wrapped.observeWorld = async (input) => {
    await before(input);
    const simMs = clock();
    const attempt = Context.current().info.attempt;
    try {
      const observation = await activities.observeWorld(input);
      const m = observation.metrics;
      if (m) polls?.push(m.ok ? { simMs, attempt, ok: true, waiting: m.value.waiting, agentsAvailable: m.value.agentsAvailable } : { simMs, attempt, ok: false, error: m.error });
      return observation;
    } finally {
      await world.controls.refresh();
    }
  };
  // A batch of polls cannot wait for its later slots here: the time-skipping server only skips time while no
  // activity is in flight. So it takes its first poll (through the recording observe step above) and hands back:
  // the workflow still polls through the batch activity, one poll a batch, and decides exactly as it would.
  wrapped.pollBatch = (input) => {
    // Anchored at the batch's schedule (the server's now), so a batch whose first slot is due takes that poll.
    anchor(input);
    return runPollBatch(input, { observe: wrapped.observeWorld, nowMs: () => world.epochMs + clock(), waitUntil: async () => false, progress: () => undefined });
  };
  return wrapped;
}

/** The polls as the workflow saw them: a failed attempt that Temporal retried is dropped. */
export function finalPolls(polls: readonly PollRecord[]): PollRecord[] {
  return polls.filter((p, i) => p.ok || polls[i + 1]?.attempt !== p.attempt + 1);
}
