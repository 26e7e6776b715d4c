// Scale: how many concurrent events one worker carries at 10 s polls with p99 lateness < 1 s and no missed
// poll, and what one poll costs. The dev server, the worker (its own process, so its CPU is measured apart) and
// this load generator share the machine. Steps up the number of events, with every event starting at the same
// instant (aligned: planned events start on the hour) and spread over one poll interval (staggered), in steady
// state; then one step at the largest count that held, with every event continuing as new inside the window.
//
// Per event-poll it prints worker CPU ms, dev-server CPU ms, workflow tasks, activity tasks, history events and
// billable actions; per event-hour the actions, counted two ways: from history (Temporal Cloud's list,
// docs.temporal.io/cloud/actions: a workflow start or continue-as-new, a timer, an activity, all local activities of
// one workflow task together, a search-attribute upsert, a child workflow, a signal or update) and from the dev
// server's own `action` counter (Prometheus), which also counts activity heartbeats (billable, not in history).
// Lateness is every task's schedule-to-start and every batched poll's delay after its slot.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { temporal } from '@temporalio/proto';
import { surgeEvent } from '../workflows/surge-event';
import { devServerEnv } from '../sandbox/temporal-env';
import { testEventConfig } from '../test/helpers/event-config';
import { DEFAULT_TIER_CONFIG } from '../workflows/tiers';
import { percentile, printTable, reportFigure } from './table';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const STEPS = (process.env.BENCH_SCALE_STEPS ?? '100,250,500,1000').split(',').map(Number);
/** BENCH_SCALE_CAN_ONLY=1: only the continue-as-new step, at the largest of STEPS (no steady steps first). */
const CAN_ONLY = process.env.BENCH_SCALE_CAN_ONLY === '1';
const MODES = (process.env.BENCH_SCALE_MODES ?? 'aligned,staggered').split(',') as ('aligned' | 'staggered')[];
const POLL_SECONDS = 10;
/** Polls measured per event after the first (warm-up) poll: two 5-minute batches of polls. */
const MEASURED_POLLS = Number(process.env.BENCH_SCALE_POLLS ?? 60);
/**
 * The steady-state steps continue as new where production does (3,900 history events: with batches of polls,
 * about every two days at 10 s polls), so never inside the window. One more step, at the largest count that held,
 * forces it low so every event continues as new once inside the window (after its second batch, 5 to 10 minutes
 * in): the cost and the timing across it are in that step's figures.
 */
const STEADY_CAN_EVENTS = 3_900;
const CONTINUE_AS_NEW_AFTER_EVENTS = Number(process.env.BENCH_SCALE_CAN_EVENTS ?? 30);
/**
 * Before batches of polls (single polls: one workflow task and one local activity each, commit ce4228b). CPU and
 * actions: this bench at 100 events, aligned, steady state, 30 measured polls, on this machine; the largest count:
 * the previous round's closing note. The issue's own starting point, before that round: 50 events, ~35 ms.
 */
const BEFORE = { events: '250 (single polls; 500 failed)', workerMsPerPoll: '13.0 ms', serverMsPerPoll: '12.2 ms', actionsPerEventHour: '362, no heartbeats then' };
const CLOCK_TICKS = 100;
/**
 * Polls before the window opens. 1: the window opens after every event's first poll, so the aligned start's burst
 * (every event's first polls and first writes within one interval) is in it. More measures the steady state after it.
 */
const WARMUP_POLLS = Number(process.env.BENCH_SCALE_WARMUP_POLLS ?? 1); // sysconf(_SC_CLK_TCK) on Linux

/**
 * The playbook's rules with every sustain window cut to fit the short bench event (the config refuses a window
 * longer than the event): the same rules evaluated every poll, so the cost measured is the real one.
 */
const shortWindow = <R extends object>(r: R): R => ('sustainSeconds' in r ? { ...r, sustainSeconds: POLL_SECONDS } : r);
const BENCH_TIERS = Object.fromEntries(
  ([1, 2, 3] as const).map((t) => [t, { activate: shortWindow(DEFAULT_TIER_CONFIG[t].activate), restore: shortWindow(DEFAULT_TIER_CONFIG[t].restore) }]),
);

/** An event's kind: the name of the one attributes field it carries (`timerStarted`, `markerRecorded`, ...). */
const eventKind = (e: HistoryEvent): string =>
  (Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? '?').replace(/EventAttributes$/, '');

const tsMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

/** CPU ms (user + system) of a process and every descendant still alive, from /proc. */
function treeCpuMs(rootPid: number, filter: (comm: string) => boolean): number {
  const stats = new Map<number, { ppid: number; comm: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = raw.lastIndexOf(')');
      const comm = raw.slice(raw.indexOf('(') + 1, close);
      const fields = raw.slice(close + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), comm, cpu: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS });
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const [pid, s] of stats) {
    let p: number | undefined = pid;
    while (p && p !== rootPid && p !== 1) p = stats.get(p)?.ppid;
    if (p === rootPid && pid !== rootPid && filter(s.comm)) total += s.cpu;
  }
  return total;
}

function startWorker(address: string, taskQueue: string): Promise<{ child: ChildProcess; cpuMs: () => Promise<number> }> {
  const child = fork(path.join(__dirname, 'scale-worker.ts'), [], {
    // BENCH_SCALE_WORKER_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the worker (written when it exits).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SCALE_WORKER_ARGS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, BENCH_TEMPORAL_ADDRESS: address, BENCH_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpuMs = () =>
    new Promise<number>((resolve) => {
      const onMessage = (m: { type: string; userMs: number; systemMs: number }) => {
        if (m.type !== 'cpu') return;
        child.off('message', onMessage);
        resolve(m.userMs + m.systemMs);
      };
      child.on('message', onMessage);
      child.send({ type: 'cpu' });
    });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve({ child, cpuMs }));
    child.once('exit', (code) => reject(new Error(`scale worker exited ${code} before it was ready`)));
  });
}

interface Costs {
  polls: number;
  workflowTasks: number;
  activityTasks: number;
  historyEvents: number;
  actions: number;
  payloadBytes: number;
  scheduleToStart: number[];
  /** How late each batched poll ran after its slot (the batch's own schedule-to-start, a poll at a time). */
  pollLateness: number[];
  missedPolls: number;
  /** Every lateness above with when it happened (epoch ms): where in the window the late ones fall. */
  lateAt: [atMs: number, lateMs: number, what: string][];
  /** Each missed poll: when the poll after the gap came (epoch ms) and the gap. */
  missedAt: [atMs: number, gapMs: number][];
  /** The billable actions in the window by kind (an activity's by its name): where they go. */
  actionsByKind: Map<string, number>;
}

/** The polls a pollBatch result lists (the bench's client has no codec: JSON payloads). */
function batchedPolls(payload: { data?: Uint8Array | null } | undefined, reasons: Map<string, number>): { atMs: number; lateMs: number }[] {
  if (!payload?.data) return [];
  const result = JSON.parse(Buffer.from(payload.data).toString('utf8')) as { polls?: { at: string; lateMs: number }[]; handedBack?: string };
  reasons.set(result.handedBack ?? '?', (reasons.get(result.handedBack ?? '?') ?? 0) + 1);
  return (result.polls ?? []).map((p) => ({ atMs: Date.parse(p.at), lateMs: p.lateMs }));
}

/** Why batches handed back, over every step (printed at the end: a batch of one poll is a poll that cost a task). */
const handBacks = new Map<string, number>();
let batchedPollCount = 0;

/** Billable actions the server counted so far in `default` (its Prometheus `action` counter, heartbeats included). */
async function serverActions(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('action{') && line.includes('namespace="default"')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function payloadBytes(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  if (value instanceof Uint8Array) return 0;
  const v = value as Record<string, unknown>;
  if (v.metadata && v.data instanceof Uint8Array) return v.data.byteLength;
  let sum = 0;
  for (const child of Object.values(v)) sum += payloadBytes(child);
  return sum;
}

/** What one event's histories cost inside [fromMs, toMs]. */
function measure(histories: HistoryEvent[][], fromMs: number, toMs: number): Costs {
  const c: Costs = { polls: 0, workflowTasks: 0, activityTasks: 0, historyEvents: 0, actions: 0, payloadBytes: 0, scheduleToStart: [], pollLateness: [], missedPolls: 0, lateAt: [], missedAt: [], actionsByKind: new Map() };
  const pollTimes: number[] = [];
  for (const events of histories) {
    const scheduled = new Map<number, number>();
    const scheduledNames = new Map<number, string>();
    let localActivitiesInTask = false;
    for (const e of events) {
      const at = tsMs(e.eventTime);
      if (e.workflowTaskScheduledEventAttributes || e.activityTaskScheduledEventAttributes) scheduled.set(Number(e.eventId), at);
      const started = e.activityTaskStartedEventAttributes ?? e.workflowTaskStartedEventAttributes;
      const inWindow = at >= fromMs && at <= toMs;
      if (started && inWindow && scheduled.has(Number(started.scheduledEventId))) {
        const late = at - scheduled.get(Number(started.scheduledEventId))!;
        c.scheduleToStart.push(late);
        const what = e.workflowTaskStartedEventAttributes ? 'workflow task' : `activity ${scheduledNames.get(Number(started.scheduledEventId)) ?? '?'}`;
        c.lateAt.push([at, late, what]);
      }
      // A poll: the observe step, as an activity or a local activity (one marker per workflow task counts once),
      // or each poll a batch took (its result lists them with their slot and lateness).
      const activityName = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
      if (activityName) scheduledNames.set(Number(e.eventId), activityName);
      const isPollActivity = /^(fetchQueueMetrics|observe\w*)$/.test(activityName);
      const isMarker = e.markerRecordedEventAttributes?.markerName === 'core_local_activity';
      if (isPollActivity || (isMarker && !localActivitiesInTask)) pollTimes.push(at);
      const completed = e.activityTaskCompletedEventAttributes;
      if (completed && scheduledNames.get(Number(completed.scheduledEventId)) === 'pollBatch') {
        for (const p of batchedPolls(completed.result?.payloads?.[0], handBacks)) {
          batchedPollCount++;
          pollTimes.push(p.atMs + p.lateMs);
          if (p.atMs >= fromMs && p.atMs <= toMs) {
            c.pollLateness.push(p.lateMs);
            c.lateAt.push([p.atMs, p.lateMs, 'batched poll']);
          }
        }
      }
      if (isMarker) localActivitiesInTask = true;
      if (e.workflowTaskCompletedEventAttributes) localActivitiesInTask = false;
      if (!inWindow) continue;
      c.historyEvents++;
      c.payloadBytes += payloadBytes(e);
      if (e.workflowTaskCompletedEventAttributes) c.workflowTasks++;
      if (e.activityTaskScheduledEventAttributes) c.activityTasks++;
      if (
        e.workflowExecutionStartedEventAttributes ||
        e.timerStartedEventAttributes ||
        e.activityTaskScheduledEventAttributes ||
        (isMarker && !localActivitiesInTask) ||
        e.upsertWorkflowSearchAttributesEventAttributes ||
        e.startChildWorkflowExecutionInitiatedEventAttributes ||
        e.workflowExecutionSignaledEventAttributes ||
        e.workflowExecutionUpdateAcceptedEventAttributes
      ) {
        c.actions++;
        const kind = activityName ? `activity ${activityName}` : isMarker ? 'local activities' : eventKind(e);
        c.actionsByKind.set(kind, (c.actionsByKind.get(kind) ?? 0) + 1);
      }
    }
  }
  pollTimes.sort((a, b) => a - b);
  const inWindow = pollTimes.filter((t) => t >= fromMs && t <= toMs);
  c.polls = inWindow.length;
  // Missed: a whole poll slot skipped, across continue-as-new too (lateness shows in schedule-to-start).
  for (let i = 1; i < pollTimes.length; i++) {
    if (pollTimes[i]! >= fromMs && pollTimes[i]! <= toMs && pollTimes[i]! - pollTimes[i - 1]! > 1.5 * POLL_SECONDS * 1000) {
      c.missedPolls++;
      c.missedAt.push([pollTimes[i]!, pollTimes[i]! - pollTimes[i - 1]!]);
    }
  }
  return c;
}

type Mode = 'aligned' | 'staggered';

async function step(env: Awaited<ReturnType<typeof devServerEnv>>, metricsPort: number, events: number, mode: Mode, canEvents = STEADY_CAN_EVENTS) {
  const taskQueue = `bench-scale-${randomUUID()}`;
  const { child, cpuMs } = await startWorker(env.address, taskQueue);
  try {
    // Start every event ahead of time (scheduled phase), as `surge start` does hours ahead: creating the workflows
    // (each one's first task builds its context, several times a poll's cost) is not in the window. The lead leaves
    // the worker time to finish those first tasks before the events start; the step says how long creating took.
    const leadMs = 15_000 + events * 60;
    const activeAt = Date.now() + leadMs;
    const endAt = activeAt + (WARMUP_POLLS + MEASURED_POLLS + 1) * POLL_SECONDS * 1000;
    const handles = [];
    for (let i = 0; i < events; i += 50) {
      handles.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, events - i) }, async (_, j) => {
            const n = i + j;
            const startMs = mode === 'aligned' ? activeAt : activeAt + Math.floor((n / events) * POLL_SECONDS * 1000);
            const config = testEventConfig({
              eventId: `scale-${events}-${mode}-${n}`,
              startAt: new Date(startMs).toISOString(),
              endAt: new Date(endAt).toISOString(),
              pollIntervalSeconds: POLL_SECONDS,
              tiers: BENCH_TIERS,
            });
            return env.client.workflow.start(surgeEvent, {
              taskQueue,
              workflowId: `surge-event-${config.eventId}-${randomUUID().slice(0, 6)}`,
              args: [{ config, continueAsNewAfterEvents: canEvents }],
            });
          }),
        )),
      );
    }
    const createdInMs = leadMs - (activeAt - Date.now());
    console.log(`${events} ${mode}: ${events} events created in ${(createdInMs / 1000).toFixed(1)} s, starting ${(leadMs / 1000).toFixed(0)} s after the first was`);
    // The window: after the first poll of the last event to start, until the end.
    const fromMs = activeAt + WARMUP_POLLS * POLL_SECONDS * 1000 + 2_000;
    await new Promise((r) => setTimeout(r, Math.max(0, fromMs - Date.now())));
    const workerCpu0 = await cpuMs();
    const serverCpu0 = treeCpuMs(process.pid, (comm) => comm.startsWith('temporal'));
    const serverActions0 = await serverActions(metricsPort);
    const toMs = endAt - 1_000;
    await new Promise((r) => setTimeout(r, Math.max(0, toMs - Date.now())));
    const workerCpu = (await cpuMs()) - workerCpu0;
    const serverCpu = treeCpuMs(process.pid, (comm) => comm.startsWith('temporal')) - serverCpu0;
    const actionsCounted = (await serverActions(metricsPort)) - serverActions0;
    for (const h of handles) await h.result();

    const total: Costs = { polls: 0, workflowTasks: 0, activityTasks: 0, historyEvents: 0, actions: 0, payloadBytes: 0, scheduleToStart: [], pollLateness: [], missedPolls: 0, lateAt: [], missedAt: [], actionsByKind: new Map() };
    let continuedAsNew = 0;
    for (const h of handles) {
      // Every run of the event (each continue-as-new starts one), oldest first.
      const runs: HistoryEvent[][] = [];
      for await (const execution of env.client.workflow.list({ query: `WorkflowId = '${h.workflowId}'` })) {
        const history = await env.client.workflow.getHandle(h.workflowId, execution.runId).fetchHistory();
        runs.push(history.events ?? []);
      }
      runs.sort((a, b) => tsMs(a[0]?.eventTime) - tsMs(b[0]?.eventTime));
      if (process.env.BENCH_SCALE_DUMP === '1' && h === handles[0]) {
        for (const e of runs.flat()) {
          const kind = eventKind(e);
          const extra = kind === 'upsertWorkflowSearchAttributes' ? JSON.stringify(Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})) : kind === 'activityTaskScheduled' ? e.activityTaskScheduledEventAttributes?.activityType?.name : '';
          console.log(`  dump ${((tsMs(e.eventTime) - activeAt) / 1000).toFixed(1)} ${kind} ${extra ?? ''}`);
        }
      }
      continuedAsNew += runs.length - 1;
      const c = measure(runs, fromMs, toMs);
      for (const k of ['polls', 'workflowTasks', 'activityTasks', 'historyEvents', 'actions', 'payloadBytes', 'missedPolls'] as const) total[k] += c[k];
      total.scheduleToStart.push(...c.scheduleToStart);
      total.pollLateness.push(...c.pollLateness);
      total.lateAt.push(...c.lateAt);
      total.missedAt.push(...c.missedAt);
      for (const [k, n] of c.actionsByKind) total.actionsByKind.set(k, (total.actionsByKind.get(k) ?? 0) + n);
    }
    // Lateness of every task and of every batched poll: a poll is late if either its task or its slot was.
    const lateness = [...total.scheduleToStart, ...total.pollLateness];
    const p99 = percentile(lateness, 99);
    // p99 per minute of the window, from the start: whether the late ones are the start's or steady.
    const byMinute: number[][] = [];
    // Where the latest ones are and what they were (seconds from the start), and where polls were missed.
    const fromStart = (at: number) => `+${((at - activeAt) / 1000).toFixed(1)} s`;
    const worst = [...total.lateAt].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`  latest: ${worst.map(([at, late, what]) => `${what} at ${fromStart(at)} ${late} ms`).join('; ')} (the end at ${fromStart(endAt)})`);
    const perEvent = [...total.actionsByKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / events).toFixed(2)}`);
    console.log(`  actions per event in the window, by kind: ${perEvent.join('; ')}`);
    if (total.missedAt.length > 0) console.log(`  missed: ${total.missedAt.map(([at, gap]) => `a ${(gap / 1000).toFixed(1)} s gap before ${fromStart(at)}`).join('; ')}`);
    for (const [at, late] of total.lateAt) (byMinute[Math.floor((at - activeAt) / 60_000)] ??= []).push(late);
    const p99ByMinute = byMinute.map((l) => (l ? Math.round(percentile(l, 99)) : NaN));
    const windowHours = (toMs - fromMs) / 3_600_000;
    const per = (n: number) => (total.polls ? n / total.polls : NaN);
    return {
      events,
      mode: canEvents === STEADY_CAN_EVENTS ? mode : (`${mode} + continue-as-new` as const),
      pass: p99 < 1000 && total.missedPolls === 0,
      p50: percentile(lateness, 50),
      p99Tasks: percentile(total.scheduleToStart, 99),
      p99Batched: percentile(total.pollLateness, 99),
      p99,
      p99ByMinute,
      missed: total.missedPolls,
      continuedAsNew,
      workerMsPerPoll: per(workerCpu),
      serverMsPerPoll: per(serverCpu),
      workflowTasksPerPoll: per(total.workflowTasks),
      activityTasksPerPoll: per(total.activityTasks),
      historyEventsPerPoll: per(total.historyEvents),
      actionsPerPoll: per(total.actions),
      actionsPerEventHour: total.actions / (events * windowHours),
      serverActionsPerEventHour: actionsCounted / (events * windowHours),
      payloadBytesPerTask: total.workflowTasks ? total.payloadBytes / total.workflowTasks : NaN,
    };
  } finally {
    child.send({ type: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}

async function run(): Promise<void> {
  const metricsPort = await freePort();
  const env = await devServerEnv({ metricsPort });
  const results = [];
  const say = (r: Awaited<ReturnType<typeof step>>) =>
    console.log(`${r.mode} ${r.events}: p99 ${Math.round(r.p99)} ms (tasks ${Math.round(r.p99Tasks)}, batched polls ${Math.round(r.p99Batched)}), missed ${r.missed}, CAN ${r.continuedAsNew}, worker ${r.workerMsPerPoll.toFixed(2)} ms/poll, server ${r.serverMsPerPoll.toFixed(2)} ms/poll; p99 by minute from the start: ${r.p99ByMinute.join(' ')}`);
  for (const mode of CAN_ONLY ? [] : MODES) {
    for (const events of STEPS) {
      const r = await step(env, metricsPort, events, mode);
      results.push(r);
      say(r);
      if (!r.pass) break;
    }
  }
  // Across a continue-as-new: the largest count that held in steady state, aligned (the harder start).
  const held = CAN_ONLY ? STEPS : results.filter((r) => r.pass).map((r) => r.events);
  const canStep = held.length > 0 && process.env.BENCH_SCALE_SKIP_CAN !== '1' ? await step(env, metricsPort, Math.max(...held), MODES[0]!, CONTINUE_AS_NEW_AFTER_EVENTS) : null;
  if (canStep) {
    results.push(canStep);
    say(canStep);
  }
  await env.teardown();
  const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  printTable(
    `Scale: concurrent events on one worker, ${POLL_SECONDS} s polls, ${MEASURED_POLLS} measured polls each after ${WARMUP_POLLS} warm-up; pass = p99 lateness (task schedule-to-start and batched poll after its slot) < 1000 ms and no missed poll`,
    ['mode', 'events', 'p50 ms', 'p99 ms', 'missed', 'CAN', 'worker ms/poll', 'server ms/poll', 'WFT/poll', 'act/poll', 'events/poll', 'actions/poll', 'actions/event-h', 'server actions/event-h', 'payload B/WFT', 'result'],
    results.map((r) => [r.mode, String(r.events), f1(r.p50), f1(r.p99), String(r.missed), String(r.continuedAsNew), f1(r.workerMsPerPoll), f1(r.serverMsPerPoll), f1(r.workflowTasksPerPoll), f1(r.activityTasksPerPoll), f1(r.historyEventsPerPoll), f1(r.actionsPerPoll), f1(r.actionsPerEventHour), f1(r.serverActionsPerEventHour), f1(r.payloadBytesPerTask), r.pass ? 'PASS' : 'FAIL']),
  );
  const batches = [...handBacks.values()].reduce((a, b) => a + b, 0);
  console.log(`batches: ${batches}, polls in them: ${batchedPollCount} (${(batchedPollCount / Math.max(1, batches)).toFixed(1)} a batch); handed back: ${JSON.stringify(Object.fromEntries(handBacks))}`);
  for (const mode of CAN_ONLY ? [] : MODES) {
    const passed = results.filter((r) => r.mode === mode && r.pass);
    const best = passed.length ? passed.reduce((a, b) => (b.events > a.events ? b : a)) : null;
    reportFigure(`concurrent events per worker at 10 s polls, ${mode} starts (before: ${BEFORE.events})`, best ? String(best.events) : '0', '>= 1000, p99 lateness < 1 s, no missed poll', (best?.events ?? 0) >= 1000);
    if (best) {
      reportFigure(`worker CPU per event-poll, ${mode}, ${best.events} events (before: ${BEFORE.workerMsPerPoll})`, `${best.workerMsPerPoll.toFixed(2)} ms`, '<= 3 ms', best.workerMsPerPoll <= 3);
      reportFigure(`dev-server CPU per event-poll, ${mode}, ${best.events} events (before: ${BEFORE.serverMsPerPoll})`, `${best.serverMsPerPoll.toFixed(2)} ms`, '-', null);
      reportFigure(`billable actions per event-hour, ${mode}, from history (before: ${BEFORE.actionsPerEventHour})`, best.actionsPerEventHour.toFixed(0), '-', null);
      reportFigure(`billable actions per event-hour, ${mode}, server's action counter with heartbeats`, best.serverActionsPerEventHour.toFixed(0), '-', null);
    }
  }
  if (canStep) {
    reportFigure(`across a continue-as-new, ${canStep.events} events aligned (${canStep.continuedAsNew} continued as new)`, `p99 ${Math.round(canStep.p99)} ms, ${canStep.missed} missed, worker ${canStep.workerMsPerPoll.toFixed(2)} ms/poll`, 'p99 < 1 s, no missed poll', canStep.pass && canStep.continuedAsNew >= canStep.events);
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
