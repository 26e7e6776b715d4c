// History figures for the surgeEvent workflow: events per hour of polling and the longest run before
// continue-as-new, at 10 s and 30 s polls, for a calm event and a busy one (tier transitions, actuators,
// alerts, a metrics outage every cycle). Measured on the time-skipping test server with the recording fake
// activities: a 6-hour event takes seconds. Each run's length is read back from the server, across the
// continue-as-new chain. Target: no run over 4,096 events (where the server suggests continue-as-new).
// Each event is long enough to continue as new at least once: 2.5 h at 10 s polls, 4 h at 30 s (about
// 100 s in all on two cores). BENCH_HOURS=6 runs 6-hour events for both (about 3 minutes).
// BENCH_CONTINUE_AS_NEW_AFTER=4000 makes the workflow continue as new at its own threshold as well.
// Run: npx tsx bench/history.ts   (figures only; nothing here is a test)
import { reportFigure } from './table';
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, makeTelemetryFilterString, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { surgeEvent } from '../workflows/surge-event';
import { surgeEventWorkflowId } from '../workflows/ids';
import type { EventConfig } from '../workflows/types';
import { testEventConfig } from '../test/helpers/event-config';
import { FakeWorld, type Metrics } from '../test/helpers/fake-world';
import { timeSkippingEnv, workflowBundle } from '../sandbox/temporal-env';

const HOURS_OVERRIDE = process.env.BENCH_HOURS ? Number(process.env.BENCH_HOURS) : undefined;
/** Optional: the workflow's own continue-as-new threshold (input.continueAsNewAfterEvents), to compare with the server's hint. */
const CONTINUE_AS_NEW_AFTER = process.env.BENCH_CONTINUE_AS_NEW_AFTER ? Number(process.env.BENCH_CONTINUE_AS_NEW_AFTER) : undefined;
const HISTORY_TARGET = 4096;
/** Server defaults: a warning is logged past the first, the workflow is terminated at the second. */
const HISTORY_WARN = 10_240;
const HISTORY_ERROR = 51_200;
const MINUTE = 60_000;

interface Scenario {
  pollSeconds: number;
  busy: boolean;
  hours: number;
}

interface RunFigures {
  runId: string;
  events: number;
  simulatedMs: number;
}

const CALM: Metrics = { waiting: 10, agentsAvailable: 20 };

/**
 * A 40-minute cycle that moves every tier: a surge past tiers 1-3 (tier 3 set to auto), then a 3-minute
 * metrics outage (tier 4 and a metrics alert), then calm long enough for every tier to restore.
 */
function busyMetrics(startMs: number): (atMs: number) => Metrics {
  return (atMs) => {
    const m = ((atMs - startMs) / MINUTE) % 40;
    if (m >= 10 && m < 22) return { waiting: 450, agentsAvailable: 1 };
    if (m >= 22 && m < 25) throw new Error('metrics API unavailable (bench outage)');
    return CALM;
  };
}

function scenarioConfig(scenario: Scenario, startMs: number): EventConfig {
  return testEventConfig({
    eventId: `bench-${randomUUID().slice(0, 8)}`,
    startAt: new Date(startMs).toISOString(),
    endAt: new Date(startMs + scenario.hours * 60 * MINUTE).toISOString(),
    pollIntervalSeconds: scenario.pollSeconds,
    tiers: scenario.busy ? { 3: { trigger: 'auto' } } : {},
    actuators: {
      1: [{ kind: 'dataTableFlag' }],
      2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: `flow-${randomUUID().slice(0, 8)}`, surgeVersion: '2.0', normalVersion: '1.0' }],
    },
    alerts: { recipients: ['ops@example.com'] },
  });
}

/** Every run of the chain, first to last, with its event count and its span in workflow time. */
async function runsOf(client: Client, workflowId: string, firstRunId: string): Promise<RunFigures[]> {
  const runs: RunFigures[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const time = (i: number) => {
      const t = events[i]?.eventTime;
      return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
    };
    runs.push({ runId, events: events.length, simulatedMs: time(events.length - 1) - time(0) });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

async function measure(scenario: Scenario, bundle: WorkflowBundleWithSourceMap) {
  // A fresh server per scenario: its skipped clock is shared by everything on it.
  const env = await timeSkippingEnv();
  try {
    const world = new FakeWorld();
    const startMs = (await env.currentTimeMs()) + MINUTE;
    const config = scenarioConfig(scenario, startMs);
    if (scenario.busy) world.metrics = busyMetrics(startMs);
    const taskQueue = `bench-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: world.activities() });
    const workflowId = surgeEventWorkflowId(config.eventId);
    const wallStart = performance.now();
    const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId, args: [{ config, ...(CONTINUE_AS_NEW_AFTER ? { continueAsNewAfterEvents: CONTINUE_AS_NEW_AFTER } : {}) }] });
    const result = await worker.runUntil(handle.result());
    const wallMs = performance.now() - wallStart;
    const runs = await runsOf(env.client, workflowId, handle.firstExecutionRunId);
    return { scenario, result, runs, world, wallMs };
  } finally {
    await env.teardown();
  }
}

function report(m: Awaited<ReturnType<typeof measure>>): boolean {
  const { scenario, runs, world, result } = m;
  const total = runs.reduce((sum, r) => sum + r.events, 0);
  const perHour = total / scenario.hours;
  const largest = Math.max(...runs.map((r) => r.events));
  // A run that ended in continue-as-new (every one but the last) shows how long a run lasts.
  const continued = runs.slice(0, -1);
  const longestHours = continued.length > 0 ? Math.max(...continued.map((r) => r.simulatedMs)) / 3_600_000 : null;
  const pass = largest <= HISTORY_TARGET;
  const cells = [
    `${scenario.pollSeconds} s ${scenario.busy ? 'busy' : 'calm'}`.padEnd(10),
    `${scenario.hours} h`.padStart(5),
    String(Math.round(perHour)).padStart(7),
    String(runs.length).padStart(4),
    String(largest).padStart(8),
    (longestHours === null ? `none (> ${scenario.hours} h)` : `${longestHours.toFixed(2)} h`).padStart(13),
    String(result.transitions).padStart(5),
    String(world.flagRows.length + world.publishCalls.length + world.edgeFlagWrites.length).padStart(6),
    String(world.alerts.length).padStart(6),
    `${(m.wallMs / 1000).toFixed(1)} s`.padStart(7),
    pass ? 'PASS' : `FAIL (${largest} > ${HISTORY_TARGET})`,
  ];
  console.log(cells.join('  '));
  reportFigure(`history events per hour, ${cells[0]!.trim()} poll`, String(Math.round(perHour)), '-', null);
  reportFigure(`longest run before continue-as-new, ${cells[0]!.trim()} poll`, `${largest} events, ${cells[5]!.trim()}`, `<= ${HISTORY_TARGET} events`, pass);
  if (result.runs !== runs.length) console.log(`  note: the workflow counted ${result.runs} runs, the server chain has ${runs.length}`);
  return pass;
}

async function main(): Promise<void> {
  // The busy event's outages make every failed poll log a warning; only errors matter here.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  const bundle = await workflowBundle();
  const scenarios: Scenario[] = [
    { pollSeconds: 10, hours: HOURS_OVERRIDE ?? 2.5 },
    { pollSeconds: 30, hours: HOURS_OVERRIDE ?? 4 },
  ].flatMap((s) => [false, true].map((busy) => ({ ...s, busy })));
  console.log('== surgeEvent history per run (time-skipping server, recording fakes; busy = a surge through tiers 1-3 and a metrics outage every 40 min)');
  if (CONTINUE_AS_NEW_AFTER) console.log(`   with continueAsNewAfterEvents = ${CONTINUE_AS_NEW_AFTER}`);
  console.log(`   target: no run over ${HISTORY_TARGET} events (server suggests continue-as-new there; warns at ${HISTORY_WARN}, terminates at ${HISTORY_ERROR})`);
  console.log(['event'.padEnd(10), 'span'.padStart(5), 'ev/hour'.padStart(7), 'runs', 'max ev/run', 'longest run'.padStart(13), 'moves', 'actu.', 'alerts', 'wall'.padStart(7), 'result'].join('  '));
  let allPass = true;
  for (const scenario of scenarios) allPass = report(await measure(scenario, bundle)) && allPass;
  console.log(
    allPass
      ? 'PASS: every run stayed within the target'
      : 'FAIL: a run went past the target: the workflow continues as new in the task after the server suggests it, a few events past it',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
