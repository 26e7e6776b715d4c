// Scale: how many concurrent events one worker sustains at 10 s polls with schedule-to-start p99 under 1 s
// and no missed poll, on the real dev server (the activities are in-memory fakes: this measures the
// controller and Temporal, not Genesys). Steps up the number of events until a step fails.
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { google } from '@temporalio/proto';
import { surgeEvent } from '../workflows/surge-event';
import { devServerEnv, workflowBundle } from '../sandbox/temporal-env';
import { testEventConfig } from '../test/helpers/event-config';
import { FakeWorld } from '../test/helpers/fake-world';
import { percentile, printTable, reportFigure } from './table';

const STEPS = (process.env.BENCH_SCALE_STEPS ?? '25,50,100,200').split(',').map(Number);
const RUN_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 45);
const POLL_SECONDS = 10;

const ms = (t: google.protobuf.ITimestamp | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

async function run(): Promise<void> {
  const env = await devServerEnv();
  const bundle = await workflowBundle();
  const rows: string[][] = [];
  for (const events of STEPS) {
    const world = new FakeWorld();
    world.metrics = () => ({ waiting: 20, agentsAvailable: 10 });
    const taskQueue = `bench-scale-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    const ids: string[] = [];
    await worker.runUntil(async () => {
      const now = Date.now();
      await Promise.all(
        Array.from({ length: events }, async (_, i) => {
          const config = testEventConfig({
            eventId: `scale-${events}-${i}`,
            startAt: new Date(now).toISOString(),
            endAt: new Date(now + RUN_SECONDS * 1000).toISOString(),
            pollIntervalSeconds: POLL_SECONDS,
          });
          const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: `surge-event-${config.eventId}-${randomUUID().slice(0, 6)}`, args: [{ config }] });
          ids.push(handle.workflowId);
        }),
      );
      await Promise.all(ids.map((id) => env.client.workflow.getHandle(id).result()));
    });
    const scheduleToStart: number[] = [];
    let missedPolls = 0;
    for (const id of ids) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      const scheduled = new Map<number, number>();
      const pollTimes: number[] = [];
      for (const e of history.events ?? []) {
        const at = ms(e.eventTime);
        // One observe step per poll (observeWorld) since issue 10; fetchQueueMetrics in histories from before it.
        if (['fetchQueueMetrics', 'observeWorld'].includes(e.activityTaskScheduledEventAttributes?.activityType?.name ?? '')) {
          scheduled.set(Number(e.eventId), at);
          pollTimes.push(at);
        }
        if (e.workflowTaskScheduledEventAttributes) scheduled.set(Number(e.eventId), at);
        const started = e.activityTaskStartedEventAttributes ?? e.workflowTaskStartedEventAttributes;
        if (started && scheduled.has(Number(started.scheduledEventId))) scheduleToStart.push(at - scheduled.get(Number(started.scheduledEventId))!);
      }
      // Missed: a whole poll slot skipped (drift of a few hundred ms is lateness, which schedule-to-start already shows).
      for (let i = 1; i < pollTimes.length; i++) if (pollTimes[i]! - pollTimes[i - 1]! > 1.5 * POLL_SECONDS * 1000) missedPolls++;
    }
    const p99 = percentile(scheduleToStart, 99);
    const pass = p99 < 1000 && missedPolls === 0;
    rows.push([String(events), String(scheduleToStart.length), String(Math.round(percentile(scheduleToStart, 50))), String(Math.round(p99)), String(missedPolls), pass ? 'PASS' : 'FAIL']);
    if (!pass) break;
  }
  await env.teardown();
  const sustained = rows.filter((r) => r[5] === 'PASS').map((r) => Number(r[0]));
  reportFigure('concurrent events per worker at 10 s polls', `${sustained.length ? Math.max(...sustained) : 0}${rows.every((r) => r[5] === 'PASS') ? '+ (largest step tried)' : ''}`, 'p99 schedule-to-start < 1 s, no missed poll', sustained.length > 0);
  printTable(
    `Scale: concurrent events on one worker (2 cores), ${POLL_SECONDS} s polls, ${RUN_SECONDS} s each; target p99 schedule-to-start < 1000 ms, no missed poll`,
    ['events', 'tasks', 'p50 ms', 'p99 ms', 'missed polls', 'result'],
    rows,
  );
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
