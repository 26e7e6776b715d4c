// The batch of polls as an activity (workflows/poll-batch.ts says why and what it decides: only when to hand
// back). It heartbeats every poll: the server then knows it is alive (a dead worker is noticed within the
// heartbeat timeout and the workflow goes back to single polls), a cancellation reaches it, and the latest poll
// is readable from the workflow's pending activity (`surge status` shows it as the live reading).
// Cancelled (an operator's message, worker shutdown), it returns the polls it has: they are real samples, and
// the workflow records them rather than leave a gap in the rules' streaks and in the audit log.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { runPollBatch, type BatchedPoll, type PollBatchInput, type PollBatchResult } from '../workflows/poll-batch';
import type { SurgeStatus } from '../workflows/messages';
import type { Observation, ObserveInput } from '../workflows/observation';

/** What a heartbeat carries: the latest poll, small (no per-queue detail), for the live reading (SurgeClient.status). */
export type PollBatchProgress = NonNullable<SurgeStatus['livePoll']>;

export function progressOf(poll: BatchedPoll, index: number): PollBatchProgress {
  const m = poll.observation.metrics;
  return { polls: index + 1, at: poll.at, ...(m?.ok ? { waiting: m.value.waiting, agentsAvailable: m.value.agentsAvailable } : {}) };
}

export function createPollBatchActivity(deps: { observeWorld(input: ObserveInput): Promise<Observation> }) {
  return {
    async pollBatch(input: PollBatchInput): Promise<PollBatchResult> {
      if (!input?.config || !Number.isFinite(input.firstSlotMs) || !Number.isInteger(input.maxPolls) || input.maxPolls < 1) {
        throw ApplicationFailure.nonRetryable('pollBatch needs { config, policy, known, firstSlotMs, maxPolls >= 1, ... }', 'InvalidActivityInput');
      }
      const ctx = Context.current();
      return runPollBatch(input, {
        observe: (i) => deps.observeWorld(i),
        nowMs: () => Date.now(),
        waitUntil: async (ms) => {
          if (ctx.cancellationSignal.aborted) return false;
          try {
            await ctx.sleep(Math.max(0, ms - Date.now()));
            return true;
          } catch {
            // Cancelled while waiting: hand back what was taken.
            return false;
          }
        },
        progress: (poll, index) => ctx.heartbeat(progressOf(poll, index)),
      });
    },
  };
}
