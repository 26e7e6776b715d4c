// A drill: the scenario run twice on the simulator, once with the controller (the surgeEvent workflow and the
// real activities against the sandbox world, on the time-skipping server: simulated hours in seconds) and
// once without it (the baseline), with everything a report needs.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { surgeEventWorkflowId } from '../../workflows/ids';
import { statusQuery } from '../../workflows/messages';
import { surgeEvent } from '../../workflows/surge-event';
import type { EventConfig, TierNumber, Transition } from '../../workflows/types';
import { createContactCenter, loadScenario, type MinuteSample, type Outcomes, type Scenario, type WaitStats } from '../contact-center';
import type { CounterSnapshot } from '../genesys';
import { drillEventConfig, startSandboxWorld } from '../world';
import { quietRuntime, timeSkippingEnv, workflowBundle } from '../temporal-env';
import { replaySamples } from './replay';
import { createServerAnchoredClock, createSimTimeActivities, finalPolls, type PollRecord } from './sim-time-activities';

export interface DrillOptions {
  scenario: string | Scenario;
  /** The operator's event config (rules, modes, poll interval); default the playbook's. */
  base?: EventConfig;
  /** Pre-arm a planned scenario's tiers (see scaledEventConfig); default: yes when no base is given. */
  preArm?: boolean;
  seed?: number;
  /** A time-skipping environment to reuse (a fresh one is started and torn down otherwise). */
  env?: TestWorkflowEnvironment;
  workflowBundle?: WorkflowBundleWithSourceMap;
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
  alertsSent: number;
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
    const world = await startSandboxWorld({
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
    try {
      const config = drillEventConfig(scenario, { epochMs, base: options.base, preArm: options.preArm, eventId: options.base?.eventId ?? `drill-${scenario.name}-${randomUUID().slice(0, 6)}` });
      const polls: PollRecord[] = [];
      // Retry back-off inside the Genesys session runs on the wall clock: shortened 20x with the clock.
      const deps = world.activityDeps({ genesys: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 20)) } });
      const activities = createSimTimeActivities({ world, clock, polls, activities: createActivities(deps) });
      const taskQueue = `drill-${randomUUID()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities });
      const status = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(surgeEvent, { taskQueue, workflowId: surgeEventWorkflowId(config.eventId), args: [{ config, continueAsNewAfterEvents: HISTORY_EVENTS_PER_RUN }] });
        await handle.result();
        return handle.query(statusQuery);
      });
      world.sim.advanceTo(Math.max(world.sim.now(), world.sim.durationMs));

      const baselineSim = createContactCenter({ scenario, seed });
      baselineSim.advanceTo(baselineSim.durationMs);

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
        alertsSent: world.smtp.messages().length,
        customerFacingErrors: outcomes.errored + outcomes.dropped,
        elapsedMs: performance.now() - started,
      };
    } finally {
      await world.close();
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
