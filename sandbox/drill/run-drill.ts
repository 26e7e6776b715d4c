// A drill: the scenario run twice on the simulator, once with the controller (the surgeEvent workflow and the
// real activities against the sandbox world, on the time-skipping server: simulated hours in seconds) and
// once without it (the baseline), with everything a report needs.
import { randomBytes, randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type WorkerActivities } from '../../activities';
import { deflectionDepsFromEnv } from '../../activities/deflection';
import { createNotifyActivities } from '../../activities/notify';
import { startDeflectionServer } from '../../client/deflections';
import { surgeEventWorkflowId } from '../../workflows/ids';
import { statusQuery } from '../../workflows/messages';
import { surgeEvent } from '../../workflows/surge-event';
import type { EventConfig, TierNumber, Transition } from '../../workflows/types';
import { createContactCenter, loadScenario, type MinuteSample, type Outcomes, type Scenario, type WaitStats } from '../contact-center';
import type { CounterSnapshot } from '../genesys';
import { drillEventConfig, startSandboxWorld } from '../world';
import { quietRuntime, timeSkippingEnv, workflowBundle } from '../temporal-env';
import { createDrillPromises, sampleEveryFor, type PromiseSummary } from './promises';
import { replaySamples } from '../../client/replay/replay';
import { createServerAnchoredClock, createSimTimeActivities, finalPolls, scheduledServerMs, type PollRecord } from './sim-time-activities';
import { createSmtpOutageSchedule, type SmtpOutageWindow } from './smtp-outage';

export interface DrillPromiseOptions {
  /** At most this many email promises are made for real per drill (default 40): drills stay fast. */
  maxSampled?: number;
  /** The follow-up promised, in simulated minutes from the customer's acceptance (default 120). */
  deadlineMinutes?: number;
  /** Operators hear of a promise still undelivered this long before its deadline (default 30). */
  atRiskMarginMinutes?: number;
  /** A mail server outage over part of the drill (the customer follow-ups and alerts share the SMTP sandbox). */
  smtpOutage?: SmtpOutageWindow;
}

const PROMISE_DEFAULTS = { maxSampled: 40, deadlineMinutes: 120, atRiskMarginMinutes: 30, giveUpAfterMinutes: 60 } as const;

// What the drill's worker needs to send customer follow-ups through the world's SMTP sandbox.
const DRILL_DEFLECTION_ENV = {
  DEFLECTION_BRAND_NAME: 'Sandbox Store',
  DEFLECTION_SUPPORT_URL: 'https://help.sandbox.example/contact',
  DEFLECTION_EMAIL_FROM: 'Sandbox Care <care@sandbox.local>',
  DEFLECTION_ALERT_RECIPIENTS: 'ops@sandbox.local',
};

export interface DrillOptions {
  scenario: string | Scenario;
  /** The operator's event config (rules, modes, poll interval); default the playbook's. */
  base?: EventConfig;
  /** Pre-arm a planned scenario's tiers (see scaledEventConfig); default: yes when no base is given. */
  preArm?: boolean;
  /** Tier 3 moves on its rules (default: as the config says; the playbook's is manual). */
  tier3Auto?: boolean;
  seed?: number;
  /** A time-skipping environment to reuse (a fresh one is started and torn down otherwise). */
  env?: TestWorkflowEnvironment;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Async deflection promises made for a sample of the customers who accept an email follow-up; false: none. */
  promises?: DrillPromiseOptions | false;
}

export interface RunOutcome {
  outcomes: Outcomes;
  waits: WaitStats;
  series: readonly MinuteSample[];
}

export interface TierPeriod {
  tier: TierNumber;
  /** Simulated minutes since the scenario's start. */
  onMinute: number;
  offMinute: number | null;
  onCause: Transition['cause'];
  offCause: Transition['cause'] | null;
}

export interface TierSummary {
  tier: TierNumber;
  periods: TierPeriod[];
  /** When the activate / restore rule was first met (replaying the polls through the rules alone). */
  activateRuleMetMinute: number | null;
  restoreRuleMetMinute: number | null;
  /** Moves back within FLAP_MINUTES of the previous move. */
  flaps: number;
  /** Shortest time the tier held one state between two moves (null with fewer than two moves). */
  shortestHoldMinutes: number | null;
}

export interface DrillResult {
  scenario: Scenario;
  config: EventConfig;
  seed: number;
  controller: RunOutcome;
  baseline: RunOutcome;
  tiers: TierSummary[];
  transitions: (Transition & { minute: number })[];
  /** Every poll as the workflow saw it. */
  polls: (PollRecord & { minute: number })[];
  genesysApiCalls: CounterSnapshot;
  cloudflareKvWrites: number;
  /** Operator alert emails about tiers (customer follow-ups and promise alerts are counted under `promises`). */
  alertsSent: number;
  /** Null when the drill made no promises (`promises: false`). */
  promises: PromiseSummary | null;
  /** Errored + dropped with the controller: what a customer sees as "chat broke". */
  customerFacingErrors: number;
  elapsedMs: number;
}

/** Short runs keep replays (the final status query, a worker cache miss) cheap on a long drill. */
export const HISTORY_EVENTS_PER_RUN = 1_000;

/** A tier moving back sooner than this after its last move is flapping (operators and customers see it). */
export const FLAP_MINUTES = 5;

export async function createDrillEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime('ERROR');
  return timeSkippingEnv();
}

export const bundleForDrills = workflowBundle;

export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const started = performance.now();
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const seed = options.seed ?? scenario.seed;
  const ownEnv = options.env === undefined;
  const env = options.env ?? (await createDrillEnvironment());
  try {
    const bundle = options.workflowBundle ?? (await bundleForDrills());
    const epochMs = await env.currentTimeMs();
    const clock = createServerAnchoredClock(epochMs);
    // The baseline first: its arrivals size the promise sample before the controller's run starts.
    const baselineSim = createContactCenter({ scenario, seed });
    baselineSim.advanceTo(baselineSim.durationMs);
    const eventId = options.base?.eventId ?? `drill-${scenario.name}-${randomUUID().slice(0, 6)}`;
    const promiseOptions = options.promises === false ? null : { ...PROMISE_DEFAULTS, ...options.promises };
    const secret = randomBytes(24).toString('hex');
    const channels = scenario.deflection.tier2Channels;
    const expectedEmails = baselineSim.outcomes().arrivals * scenario.deflection.tier2AcceptShare * (channels.email / (channels.email + channels.callback + channels.faq || 1));
    let endpointUrl = '';
    const promises = promiseOptions
      ? createDrillPromises({
          endpointUrl: () => endpointUrl,
          secret,
          epochMs,
          runId: `${eventId}-${randomUUID().slice(0, 6)}`,
          eventId,
          sampleEvery: sampleEveryFor(expectedEmails, promiseOptions.maxSampled),
          maxSampled: promiseOptions.maxSampled,
          deadlineMinutes: promiseOptions.deadlineMinutes,
        })
      : null;
    const world = await startSandboxWorld({
      ...(promises ? { onAsyncDeflection: promises.hook } : {}),
      scenario,
      seed,
      clock,
      epochMs,
      // Seconds of wall time are minutes of scenario here: a publish completes within a poll, injected
      // latency shrinks with the clock, and KV's 1-write-per-second (wall) limit would be hours of scenario.
      publishDelayMs: 300,
      faultLatencyScale: 1 / 20,
      kvMinWriteIntervalMs: 0,
    });
    // Closed after the drill, newest first, whatever happens.
    const closers: (() => unknown)[] = [() => world.close()];
    try {
      const taskQueue = `drill-${randomUUID()}`;
      const endpoint = promiseOptions
        ? await startDeflectionServer({
            client: env.client,
            secret,
            taskQueue,
            port: 0,
            atRiskMarginMinutes: promiseOptions.atRiskMarginMinutes,
            giveUpAfterMinutes: promiseOptions.giveUpAfterMinutes,
            // Deadlines are checked on the scenario's clock, not the wall's.
            now: () => epochMs + clock(),
            onError: () => undefined, // counted as not recorded in the summary
          })
        : null;
      if (endpoint) closers.push(() => endpoint.close());
      endpointUrl = endpoint?.url ?? '';
      // Retry back-off inside the Genesys session runs on the wall clock: shortened 20x with the clock.
      const deps = world.activityDeps({ genesys: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 20)) } });
      const deflection = promiseOptions ? deflectionDepsFromEnv({ ...world.env, ...DRILL_DEFLECTION_ENV }, { sendAlert: createNotifyActivities(deps.notify).sendAlert }) : undefined;
      if (deflection?.email.via === 'smtp') closers.push(() => deflection.email.via === 'smtp' && deflection.email.transport.close());
      const config = drillEventConfig(scenario, { epochMs, base: options.base, preArm: options.preArm, eventId, tier3Auto: options.tier3Auto });
      const polls: PollRecord[] = [];
      const real = createActivities({ ...deps, ...(deflection ? { deflection } : {}) });
      const simTimed = createSimTimeActivities({ world, clock, polls, activities: real });
      // Follow-ups run on the server's time as it is, and may outlive the scenario: they do not move the simulator.
      const activities = withSmtpOutage(
        { ...simTimed, lookupDeflectionContent: real.lookupDeflectionContent, deliverDeflectionEmail: real.deliverDeflectionEmail, deliverDeflectionSms: real.deliverDeflectionSms, sendDeflectionAlert: real.sendDeflectionAlert },
        createSmtpOutageSchedule(world.smtp, promiseOptions?.smtpOutage),
        epochMs,
      );
      const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities });
      const { status, promiseSummary } = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config, continueAsNewAfterEvents: HISTORY_EVENTS_PER_RUN }] });
        await handle.result();
        const status = await handle.query(statusQuery);
        if (!promises) return { status, promiseSummary: null };
        await promises.settle(env.client);
        return { status, promiseSummary: await promises.summarise(env.client) };
      });
      world.sim.advanceTo(Math.max(world.sim.now(), world.sim.durationMs));

      const minute = (ms: number) => (ms - epochMs) / 60_000;
      const transitions = status.transitions.map((t) => ({ ...t, minute: minute(Date.parse(t.at)) }));
      const seen = finalPolls(polls).map((p) => ({ ...p, minute: p.simMs / 60_000 }));
      const replay = replaySamples(
        seen.map((p) => ({ atMs: epochMs + p.simMs, ok: p.ok, waiting: p.waiting, agentsAvailable: p.agentsAvailable, error: p.error })),
        config,
        { rulesOnly: true },
      );
      const startMinute = minute(Date.parse(config.startAt));
      const tiers = ([1, 2, 3, 4] as const).map((tier) => summariseTier(tier, config.modes?.[tier] === 'on' ? startMinute : null, transitions, replay.moves.map((m) => ({ ...m, minute: minute(m.atMs) }))));
      const outcomes = world.sim.outcomes();
      return {
        scenario,
        config,
        seed,
        controller: { outcomes, waits: world.sim.waitStats(), series: world.sim.timeSeries() },
        baseline: { outcomes: baselineSim.outcomes(), waits: baselineSim.waitStats(), series: baselineSim.timeSeries() },
        tiers,
        transitions,
        polls: seen,
        genesysApiCalls: world.genesys.state.readCounters(),
        cloudflareKvWrites: world.cloudflare.requests.kvPut,
        alertsSent: world.smtp.messages().filter((m) => !m.headers['x-surge-deflection-reference'] && !/\bDeflection DF-/.test(m.subject)).length,
        promises: promiseSummary,
        customerFacingErrors: outcomes.errored + outcomes.dropped,
        elapsedMs: performance.now() - started,
      };
    } finally {
      for (const close of closers.reverse()) await close();
    }
  } finally {
    if (ownEnv) await env.teardown();
  }
}

function summariseTier(tier: TierNumber, armedAtMinute: number | null, transitions: (Transition & { minute: number })[], ruleMoves: { tier: TierNumber; to: boolean; minute: number }[]): TierSummary {
  const moves = transitions.filter((t) => t.tier === tier);
  // A pre-armed tier is live from the event's start without a transition.
  const periods: TierPeriod[] = armedAtMinute === null ? [] : [{ tier, onMinute: armedAtMinute, offMinute: null, onCause: 'operator', offCause: null }];
  for (const t of moves) {
    if (t.to) periods.push({ tier, onMinute: t.minute, offMinute: null, onCause: t.cause, offCause: null });
    else if (periods.length > 0 && periods[periods.length - 1].offMinute === null) Object.assign(periods[periods.length - 1], { offMinute: t.minute, offCause: t.cause });
  }
  const holds = moves.slice(1).map((t, i) => t.minute - moves[i].minute);
  const firstOn = ruleMoves.find((m) => m.tier === tier && m.to);
  const firstOff = firstOn ? ruleMoves.find((m) => m.tier === tier && !m.to && m.minute > firstOn.minute) : undefined;
  return {
    tier,
    periods,
    activateRuleMetMinute: firstOn?.minute ?? null,
    restoreRuleMetMinute: firstOff?.minute ?? null,
    // The event's end restores every tier at once: not a flap.
    flaps: holds.filter((h, i) => h < FLAP_MINUTES && moves[i + 1].cause !== 'event-end').length,
    shortestHoldMinutes: holds.length > 0 ? Math.min(...holds) : null,
  };
}

/** Applies the drill's SMTP outage window before every activity, at the time the server scheduled it. */
function withSmtpOutage(activities: WorkerActivities, outageAt: (simMs: number) => Promise<void>, epochMs: number): WorkerActivities {
  const wrapped = { ...activities };
  for (const name of Object.keys(activities) as (keyof WorkerActivities)[]) {
    const inner = activities[name] as (input: unknown) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[name] = async (input: unknown) => {
      const serverMs = scheduledServerMs(input);
      // A local activity with no time of its own (the queue check) sends no mail: nothing to apply.
      if (serverMs !== null) await outageAt(serverMs - epochMs);
      return inner(input);
    };
  }
  return wrapped;
}
