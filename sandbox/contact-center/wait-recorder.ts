// Keeps every answered wait (a Float64Array that grows by doubling: 8 bytes a conversation, so a 3-hour
// 10x surge costs well under a megabyte) so percentiles are exact rather than bucketed.
import type { WaitStats } from './types';

export interface WaitRecorder {
  answered(waitMs: number): void;
  abandoned(waitMs: number): void;
  queued(delayed: boolean): void;
  stats(): WaitStats;
  /** The running sums without sorting (cheap enough to call every batch). */
  counts(): WaitCounts;
}

export interface WaitCounts {
  queued: number;
  delayed: number;
  answered: number;
  abandoned: number;
  totalWaitSeconds: number;
}

export function createWaitRecorder(serviceLevelTargetSeconds: number): WaitRecorder {
  let answeredWaits = new Float64Array(1024);
  let answeredCount = 0;
  let answeredWithinTarget = 0;
  let abandonedCount = 0;
  let totalWaitMs = 0;
  let queuedCount = 0;
  let delayedCount = 0;
  const targetMs = serviceLevelTargetSeconds * 1000;

  const percentile = (sorted: Float64Array, q: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1000;

  return {
    answered(waitMs) {
      if (answeredCount === answeredWaits.length) {
        const bigger = new Float64Array(answeredWaits.length * 2);
        bigger.set(answeredWaits);
        answeredWaits = bigger;
      }
      answeredWaits[answeredCount++] = waitMs;
      totalWaitMs += waitMs;
      if (waitMs <= targetMs) answeredWithinTarget++;
    },
    abandoned(waitMs) {
      abandonedCount++;
      totalWaitMs += waitMs;
    },
    queued(delayed) {
      queuedCount++;
      if (delayed) delayedCount++;
    },
    counts: () => ({ queued: queuedCount, delayed: delayedCount, answered: answeredCount, abandoned: abandonedCount, totalWaitSeconds: totalWaitMs / 1000 }),
    stats() {
      const sorted = answeredWaits.slice(0, answeredCount).sort();
      const resolved = answeredCount + abandonedCount;
      return {
        queued: queuedCount,
        delayed: delayedCount,
        meanWaitSeconds: queuedCount === 0 ? 0 : totalWaitMs / queuedCount / 1000,
        p50Seconds: percentile(sorted, 0.5),
        p90Seconds: percentile(sorted, 0.9),
        p99Seconds: percentile(sorted, 0.99),
        serviceLevel: resolved === 0 ? 1 : answeredWithinTarget / resolved,
        serviceLevelTargetSeconds,
      };
    },
  };
}
