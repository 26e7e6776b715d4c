// Polls in batches (issue 15): while nothing would change, a run of polls costs one activity and one workflow
// task instead of one workflow task each. The batch runs in an activity (activities/poll-batch.ts) that takes
// each poll at its slot, feeds it through the SAME pure rules and reconciler the workflow uses, and hands the
// polls back as soon as one of them would make the workflow do anything: a rule acts (a tier moves, an alert
// opens or clears, a recommendation), an actuator reads other than expected, a read fails, or the batch is full.
// The workflow then runs every poll of the batch through its own loop, in order, and is the only one that
// decides or writes: the activity only chooses WHEN to hand back. A wrong guess there costs a workflow task
// (handed back early) or, at worst, delays a decision to the end of the batch; it can never make one.
//
// Pure (no Temporal import): the activity and the workflow share it, and it is tested table-driven.
import type { Observation, ObserveInput, ObservedValue } from './observation';
import { evaluate } from './policy';
import { desiredActuators, isCheapRead, reconcile } from './reconciler';
import type { EventConfig, PolicyState, Sample } from './types';

/**
 * A batch spans at most this long (5 minutes; 30 polls at 10 s, 10 at the default 30 s): the audit log (history)
 * and the recorded status are never further behind. Between hand-backs the batch's heartbeat carries the newest
 * poll (`surge status`: "latest poll"). Longer batches cost less per poll (bench/scale.ts) but record later.
 */
export const POLL_BATCH_SECONDS = 300;

/**
 * How many polls one batch may take from `firstSlotMs`, so every slot lies before `untilMs` (the event's end).
 * `timeScale`: a sandbox's accelerated clock (simulatedTimeScale), whose polls stand for longer ones.
 */
export function pollBatchSize(pollIntervalSeconds: number, timeScale: number, firstSlotMs: number, untilMs: number, phase?: BatchPhase): number {
  const byWindow = fullPollBatch(pollIntervalSeconds, timeScale);
  // Up to the next slot whose index is on the event's batch phase (workflows/poll-phase.ts): never past it, so
  // every batch after the first is a full one ending there.
  const toBoundary = phase ? ((((phase.phase - phase.slotIndex) % byWindow) + byWindow) % byWindow || byWindow) : byWindow;
  const beforeEnd = Math.ceil((untilMs - firstSlotMs) / (pollIntervalSeconds * 1000));
  return Math.max(0, Math.min(toBoundary, beforeEnd));
}

/** The most polls a batch takes: those that fit in POLL_BATCH_SECONDS (at least one). */
export function fullPollBatch(pollIntervalSeconds: number, timeScale: number): number {
  return Math.max(1, Math.floor(POLL_BATCH_SECONDS / (pollIntervalSeconds * timeScale)));
}

/** Where a batch starting at slot `slotIndex` stands against the event's batch phase (its batches begin on slots ≡ phase). */
export interface BatchPhase {
  slotIndex: number;
  phase: number;
}

/** What the workflow hands the batch: its state at the start, so the batch can tell when a poll matters. */
export interface PollBatchInput {
  config: EventConfig;
  policy: PolicyState;
  /** The reconciler's memory: what each actuator was last confirmed to hold. */
  known: Record<string, ObservedValue>;
  openDrifts: string[];
  /** Dry run: writes already recorded as planned, which are no reason to hand back again. */
  dryRunPlanned: Record<string, string>;
  /** The first poll's slot (epoch ms; the batch waits for it when it is ahead); later ones every `config.pollIntervalSeconds`. */
  firstSlotMs: number;
  maxPolls: number;
  /** Polls the event has made before this batch: which of the batch's polls also read Genesys actuators. */
  pollsBefore: number;
  genesysEvery: number;
}

export interface BatchedPoll {
  /** The poll's slot on the event's grid: the sample's time, as for a single poll. */
  at: string;
  /** How long after its slot the poll's reading was in hand (a slow read, a busy worker): its age to the rules. */
  lateMs: number;
  observation: Observation;
}

export type HandBackReason = 'change' | 'read-failed' | 'full' | 'interrupted';

export interface PollBatchResult {
  polls: BatchedPoll[];
  /** Why the batch ended: a poll that matters, a failed read, the batch full, or cancelled (a message, shutdown). */
  handedBack: HandBackReason;
}

export interface PollBatchDeps {
  observe(input: ObserveInput): Promise<Observation>;
  /** Waits until the instant (epoch ms, at once if past); false when it may not (cancelled, shutting down, or a clock that cannot wait). */
  waitUntil(ms: number): Promise<boolean>;
  nowMs(): number;
  /** Told after each poll (the activity heartbeats it: the live reading between batches). */
  progress(poll: BatchedPoll, index: number): void;
}

/**
 * What one poll asks the world: metrics, probe and leading signals (when due), and each actuator's read-back,
 * the Genesys ones only when `genesys` (their budget). The workflow's single polls use it too.
 */
export function pollObserveInput(config: EventConfig, policy: PolicyState, opts: { metrics: boolean; genesys: boolean; at: string }): ObserveInput {
  const reads = desiredActuators(config, policy)
    .map((a) => a.read)
    .filter((r) => opts.genesys || isCheapRead(r));
  const leading = config.leading ? { windowSeconds: config.leading.arrivalWindowSeconds, ...(config.leading.botFlowId ? { botFlowId: config.leading.botFlowId } : {}) } : undefined;
  return {
    at: opts.at,
    ...(opts.metrics ? { queueIds: config.queueIds, ...(config.messengerProbeUrl ? { probeUrl: config.messengerProbeUrl } : {}), ...(leading ? { leading } : {}) } : {}),
    reads,
  };
}

/** A poll's sample from its observation; a probe failure of our own making is the controller's, never tier 4's. */
export function sampleOf(observation: Observation, at: string): Sample {
  const m = observation.metrics;
  if (!m || !m.ok) return { ok: false, at, error: m?.error ?? 'no metrics observed', failureClass: m?.failureClass ?? 'platform' };
  const probe = observation.probe;
  if (probe && !probe.ok && probe.failureClass !== 'platform') return { ok: false, at, error: `Messenger probe: ${probe.error}`, failureClass: probe.failureClass };
  const messengerHealthy = probe ? probe.ok && probe.value.healthy : undefined;
  // The leading signals ride on the sample; a failed read leaves them out (the early rules are then not met:
  // the lagging rules decide alone, nothing is held and nothing switched on by it).
  const leading = observation.leading?.ok ? observation.leading.value : undefined;
  return {
    ok: true,
    at,
    waiting: m.value.waiting,
    agentsAvailable: m.value.agentsAvailable,
    perQueue: m.value.perQueue,
    ...(messengerHealthy === undefined ? {} : { messengerHealthy }),
    ...(leading ? { leading } : {}),
  };
}

/**
 * Every actuator's newest read over a batch's polls, in order: a read that worked is kept over a later one that
 * failed (the failure hands the batch back, and a failed read is judged by what is known: the older one is that).
 */
export function newestReads(polls: Pick<BatchedPoll, 'observation'>[]): Observation['actuators'] {
  const reads: Observation['actuators'] = {};
  for (const p of polls) {
    for (const [id, part] of Object.entries(p.observation.actuators)) if (part.ok || !reads[id]?.ok) reads[id] = part;
  }
  return reads;
}

/** The instant the rules judge a batched poll at: its slot plus its lateness (a late poll ages its sample). */
export const judgedAt = (poll: Pick<BatchedPoll, 'at' | 'lateMs'>): string => new Date(Date.parse(poll.at) + poll.lateMs).toISOString();

/** Why this poll must go to the workflow now, or null when the workflow would do nothing with it. */
export function worthHandingBack(
  state: Pick<PollBatchInput, 'config' | 'policy' | 'known' | 'openDrifts' | 'dryRunPlanned'>,
  poll: BatchedPoll,
): { reason: Exclude<HandBackReason, 'full' | 'interrupted'>; next: null } | { reason: null; next: Pick<PollBatchInput, 'policy' | 'known' | 'openDrifts'> } {
  const { observation } = poll;
  const parts = [observation.metrics, observation.probe, observation.leading, ...Object.values(observation.actuators)];
  if (parts.some((p) => p !== undefined && !p.ok)) return { reason: 'read-failed', next: null };
  const { state: policy, actions } = evaluate(state.policy, sampleOf(observation, poll.at), state.config, judgedAt(poll));
  if (actions.length > 0) return { reason: 'change', next: null };
  const plan = reconcile({ actuators: desiredActuators(state.config, policy), known: state.known, observed: observation.actuators, openDrifts: state.openDrifts });
  const writes = state.config.dryRun ? plan.writes.filter((a) => state.dryRunPlanned[a.id] !== a.desired) : plan.writes;
  if (writes.length > 0 || plan.drifts.length > 0 || plan.closedDrifts.length > 0) return { reason: 'change', next: null };
  return { reason: null, next: { policy, known: plan.known, openDrifts: plan.openDrifts } };
}

/** Takes polls at their slots until one matters, the batch is full, or it may not wait any longer. */
export async function runPollBatch(input: PollBatchInput, deps: PollBatchDeps): Promise<PollBatchResult> {
  const intervalMs = input.config.pollIntervalSeconds * 1000;
  const polls: BatchedPoll[] = [];
  let state = { config: input.config, policy: input.policy, known: input.known, openDrifts: input.openDrifts, dryRunPlanned: input.dryRunPlanned };
  for (let i = 0; i < input.maxPolls; i++) {
    const slotMs = input.firstSlotMs + i * intervalMs;
    if ((i > 0 || slotMs > deps.nowMs()) && !(await deps.waitUntil(slotMs))) return { polls, handedBack: 'interrupted' };
    const at = new Date(slotMs).toISOString();
    const genesys = (input.pollsBefore + i) % input.genesysEvery === 0;
    const observation = await deps.observe(pollObserveInput(state.config, state.policy, { metrics: true, genesys, at }));
    // When the reading was in hand, as a single poll's rules see it when its observe step returns.
    const lateMs = Math.max(0, deps.nowMs() - slotMs);
    const poll: BatchedPoll = { at, lateMs, observation };
    polls.push(poll);
    deps.progress(poll, i);
    const judged = worthHandingBack(state, poll);
    if (judged.reason) return { polls, handedBack: judged.reason };
    state = { ...state, ...judged.next };
  }
  return { polls, handedBack: 'full' };
}
