// Discrete-event simulation of a Web Messaging contact centre on a simulated clock the caller advances.
// A customer's path: tier 4 page → tier 3 notice → tier 2 gate offer → bot (limit, containment) → agent
// queue (patience) → agent (concurrency, handle time); the platform drops open conversations above its
// connection limit. Deterministic for a seed: independent seeded streams, events ordered by (time, insertion),
// and tier controls sampled on a fixed simulated cadence, never on the caller's wall clock.
import type { Scenario } from '../scenarios/schema';
import { createAgentPool, type Agent, type AgentPool } from './agent-pool';
import type { AsyncDeflectionHook } from './deflection-hook';
import { createEventQueue } from './event-queue';
import { createRandom, deriveSeed, type Random } from './random';
import { compileRateProfile } from './rate-profile';
import {
  NO_TIERS,
  type ControlsSource,
  type DeflectionChannel,
  type MetricsSource,
  type MinuteSample,
  type Outcomes,
  type QueueObservation,
  type TierControls,
  type WaitStats,
} from './types';
import { createWaitRecorder, type WaitCounts, type WaitRecorder } from './wait-recorder';

export interface ContactCenterOptions {
  scenario: Scenario;
  /** Defaults to the scenario's seed. */
  seed?: number;
  /** Defaults to no tier active. */
  controls?: ControlsSource;
  /** How often (simulated) the controls are read; the real ones move at poll speed, 10 s is finer than any poll. */
  controlsRefreshSeconds?: number;
  /** Told of every customer who accepts an email or callback follow-up (a drill makes the promise for real). */
  onAsyncDeflection?: AsyncDeflectionHook;
}

export interface ContactCenter extends MetricsSource {
  /** Runs every event up to `simTimeMs` (ms since the scenario's start); time never goes back. */
  advanceTo(simTimeMs: number): void;
  now(): number;
  readonly durationMs: number;
  readonly queueIds: readonly string[];
  outcomes(): Outcomes;
  waitStats(): WaitStats;
  waitCounts(): WaitCounts;
  timeSeries(): readonly MinuteSample[];
  /** The controls as last read. */
  tiers(): TierControls;
  totals(): { waiting: number; agentsIdle: number; interacting: number; botSessions: number; openConversations: number };
  /** Conversations offered to a queue (reaching it from the bot, or straight) in [fromMs, toMs) of simulated time. */
  offered(queueId: string, fromMs: number, toMs: number): number | undefined;
  /** Starts measuring afresh (warm-up); only conversations arriving from now on are counted. */
  resetStats(): void;
  eventsProcessed(): number;
}

const BOT = 0;
const WAITING = 1;
const INTERACTING = 2;
const DONE = 3;

interface QueueState {
  id: string;
  pool: AgentPool;
  /** FIFO with lazy deletion: abandoned or dropped entries are skipped when reached. */
  fifo: Conversation[];
  head: number;
  waiting: number;
  interacting: number;
  /** Simulated times conversations were offered to the queue, in order (for nOffered over an interval). */
  offeredAt: number[];
}

interface Conversation {
  state: number;
  queue: QueueState;
  lowUrgency: boolean;
  agent: Agent | null;
  enqueuedAt: number;
  openIndex: number;
  epoch: number;
}

const enum Kind {
  Arrival,
  BotEnd,
  Abandon,
  ServiceEnd,
  Staffing,
  ControlsTick,
  MinuteTick,
}

type Payload = Conversation | { queue: QueueState; count: number } | null;

interface Counters {
  outcomes: Outcomes;
  waits: WaitRecorder;
}

const MINUTE_MS = 60_000;

export function createContactCenter(options: ContactCenterOptions): ContactCenter {
  const { scenario } = options;
  const seed = options.seed ?? scenario.seed;
  const controlsSource = options.controls ?? { controls: () => NO_TIERS };
  const refreshMs = (options.controlsRefreshSeconds ?? 10) * 1000;
  const { service, bot, deflection } = scenario;
  const connectionLimit = scenario.platform.connectionLimit ?? Infinity;

  const rng = {
    arrivals: createRandom(deriveSeed(seed, 0)),
    routing: createRandom(deriveSeed(seed, 1)),
    bot: createRandom(deriveSeed(seed, 2)),
    handle: createRandom(deriveSeed(seed, 3)),
    patience: createRandom(deriveSeed(seed, 4)),
    tiers: createRandom(deriveSeed(seed, 5)),
    platform: createRandom(deriveSeed(seed, 6)),
  };
  const drawHandleMs: (r: Random) => number =
    service.handleTime.distribution === 'exponential'
      ? ((mean) => (r) => r.exponential(mean))(service.handleTime.meanSeconds * 1000)
      : ((mean, cv) => (r) => r.lognormal(mean, cv))(service.handleTime.meanSeconds * 1000, service.handleTime.cv);
  const patienceMs = service.patience ? service.patience.meanSeconds * 1000 : 0;

  const events = createEventQueue<Kind, Payload>();
  const queues: QueueState[] = scenario.queues.map((q) => ({
    id: q.id,
    pool: createAgentPool(service.concurrency, q.agents.count, service.routing),
    fifo: [],
    head: 0,
    waiting: 0,
    interacting: 0,
    offeredAt: [],
  }));
  const queueById = new Map(queues.map((q) => [q.id, q]));
  const cumulativeShares: number[] = [];
  scenario.queues.reduce((sum, q) => (cumulativeShares.push(sum + q.share), sum + q.share), 0);

  const channelWeights = deflection.tier2Channels;
  const channelTotal = channelWeights.email + channelWeights.callback + channelWeights.faq || 1;

  const segments = compileRateProfile(scenario);
  let segmentIndex = 0;
  let arrivalCursor = 0;

  let now = 0;
  let processed = 0;
  let epoch = 0;
  let botSessions = 0;
  let controls: TierControls = NO_TIERS;
  const open: Conversation[] = [];
  const series: MinuteSample[] = [];
  let minute = { arrivals: 0, abandoned: 0, errored: 0, dropped: 0, deflected: 0 };

  const freshCounters = (): Counters => ({
    outcomes: {
      arrivals: 0,
      served: 0,
      containedByBot: 0,
      deflected: { email: 0, callback: 0, faq: 0, notice: 0, 'fallback-page': 0 },
      abandoned: 0,
      errored: 0,
      dropped: 0,
      open: 0,
    },
    waits: createWaitRecorder(service.serviceLevelTargetSeconds),
  });
  let counters = freshCounters();
  const counted = (c: Conversation) => c.epoch === epoch;

  // --- arrivals: thinning, segment by segment (the exponential gap restarts at a segment edge: memoryless) ---
  function scheduleNextArrival(): void {
    const r = rng.arrivals;
    while (segmentIndex < segments.length) {
      const seg = segments[segmentIndex];
      if (arrivalCursor < seg.startMs) arrivalCursor = seg.startMs;
      if (seg.maxRate <= 0) {
        segmentIndex++;
        continue;
      }
      const candidate = arrivalCursor + r.exponential(1 / seg.maxRate);
      if (candidate >= seg.endMs) {
        arrivalCursor = seg.endMs;
        segmentIndex++;
        continue;
      }
      arrivalCursor = candidate;
      if (r.next() * seg.maxRate <= seg.rateAt(candidate)) {
        events.push(candidate, Kind.Arrival, null);
        return;
      }
    }
  }

  // --- open conversations (for the platform's connection limit) ---
  function openConversation(c: Conversation): void {
    c.openIndex = open.length;
    open.push(c);
  }
  function closeConversation(c: Conversation): void {
    c.state = DONE;
    const last = open.pop()!;
    if (last !== c) {
      open[c.openIndex] = last;
      last.openIndex = c.openIndex;
    }
  }

  // --- queue and agents ---
  function serve(c: Conversation): void {
    const q = c.queue;
    if (counted(c)) counters.waits.answered(now - c.enqueuedAt);
    c.state = INTERACTING;
    c.agent = q.pool.assign();
    q.interacting++;
    events.push(now + drawHandleMs(rng.handle), Kind.ServiceEnd, c);
  }

  function dispatch(q: QueueState): void {
    while (q.waiting > 0 && q.pool.hasCapacity()) {
      let c = q.fifo[q.head++];
      while (c.state !== WAITING) c = q.fifo[q.head++];
      q.waiting--;
      serve(c);
    }
    if (q.head > 4096 && q.head * 2 > q.fifo.length) {
      q.fifo = q.fifo.slice(q.head);
      q.head = 0;
    }
  }

  function enqueue(c: Conversation): void {
    const q = c.queue;
    q.offeredAt.push(now);
    c.enqueuedAt = now;
    const delayed = q.waiting > 0 || !q.pool.hasCapacity();
    if (counted(c)) counters.waits.queued(delayed);
    if (!delayed) return serve(c);
    c.state = WAITING;
    q.fifo.push(c);
    q.waiting++;
    if (patienceMs > 0) events.push(now + rng.patience.exponential(patienceMs), Kind.Abandon, c);
  }

  function endInteraction(c: Conversation): void {
    const q = c.queue;
    q.interacting--;
    q.pool.release(c.agent!);
    c.agent = null;
    closeConversation(c);
    dispatch(q);
  }

  function deflect(channel: DeflectionChannel): void {
    counters.outcomes.deflected[channel]++;
    minute.deflected++;
  }

  function dropOneIfSaturated(): void {
    if (open.length <= connectionLimit) return;
    const victim = open[Math.floor(rng.platform.next() * open.length)];
    if (counted(victim)) counters.outcomes.dropped++;
    minute.dropped++;
    if (victim.state === BOT) {
      botSessions--;
      closeConversation(victim);
    } else if (victim.state === WAITING) {
      victim.queue.waiting--;
      closeConversation(victim);
    } else {
      endInteraction(victim);
    }
  }

  function pickQueue(): QueueState {
    const u = rng.routing.next();
    for (let i = 0; i < cumulativeShares.length - 1; i++) if (u < cumulativeShares[i]) return queues[i];
    return queues[queues.length - 1];
  }

  function onArrival(): void {
    scheduleNextArrival();
    counters.outcomes.arrivals++;
    minute.arrivals++;
    // Draw every choice up front, whatever the tiers, so the streams stay aligned across tier settings.
    const queue = pickQueue();
    const lowUrgency = bot ? rng.routing.next() < bot.lowUrgencyShare : false;
    const startsDespiteNotice = rng.tiers.next() < deflection.tier3StartFraction;
    const acceptsOffer = rng.tiers.next() < deflection.tier2AcceptShare;
    const channelDraw = rng.tiers.next() * channelTotal;

    if (controls.tier4) return deflect('fallback-page');
    if (controls.tier3 && !startsDespiteNotice) return deflect('notice');
    if (controls.tier2 && acceptsOffer) {
      const channel = channelDraw < channelWeights.email ? 'email' : channelDraw < channelWeights.email + channelWeights.callback ? 'callback' : 'faq';
      if (channel !== 'faq') options.onAsyncDeflection?.({ simTimeMs: now, queueId: queue.id, channel });
      return deflect(channel);
    }
    const c: Conversation = { state: BOT, queue, lowUrgency, agent: null, enqueuedAt: 0, openIndex: 0, epoch };
    if (bot) {
      if (botSessions >= bot.concurrencyLimit) {
        counters.outcomes.errored++;
        minute.errored++;
        return;
      }
      botSessions++;
      openConversation(c);
      const meanSeconds = controls.tier1 && lowUrgency ? (bot.boostedSessionSeconds ?? bot.sessionSeconds) : bot.sessionSeconds;
      events.push(now + rng.bot.exponential(meanSeconds * 1000), Kind.BotEnd, c);
    } else {
      openConversation(c);
      enqueue(c);
    }
    dropOneIfSaturated();
  }

  function onBotEnd(c: Conversation): void {
    if (c.state !== BOT) return;
    botSessions--;
    const p = controls.tier1 && c.lowUrgency ? bot!.containment.boosted : bot!.containment.normal;
    if (rng.bot.next() < p) {
      if (counted(c)) counters.outcomes.containedByBot++;
      closeConversation(c);
    } else {
      enqueue(c);
    }
  }

  function onAbandon(c: Conversation): void {
    if (c.state !== WAITING) return;
    c.queue.waiting--;
    if (counted(c)) {
      counters.outcomes.abandoned++;
      counters.waits.abandoned(now - c.enqueuedAt);
    }
    minute.abandoned++;
    closeConversation(c);
  }

  function onServiceEnd(c: Conversation): void {
    if (c.state !== INTERACTING) return;
    if (counted(c)) counters.outcomes.served++;
    endInteraction(c);
  }

  function totals() {
    let waiting = 0;
    let agentsIdle = 0;
    let interacting = 0;
    for (const q of queues) {
      waiting += q.waiting;
      agentsIdle += q.pool.idle;
      interacting += q.interacting;
    }
    return { waiting, agentsIdle, interacting, botSessions, openConversations: open.length };
  }

  function recordMinute(): void {
    const t = totals();
    const activeTiers = [controls.tier1, controls.tier2, controls.tier3, controls.tier4].flatMap((on, i) => (on ? [i + 1] : []));
    series.push({ minute: Math.round(now / MINUTE_MS), ...t, ...minute, activeTiers });
    minute = { arrivals: 0, abandoned: 0, errored: 0, dropped: 0, deflected: 0 };
  }

  function readControls(): void {
    controls = { ...controlsSource.controls(now) };
  }

  // --- the timeline ---
  readControls();
  scenario.queues.forEach((q, i) => {
    for (const step of q.agents.schedule ?? []) events.push(step.atMinute * MINUTE_MS, Kind.Staffing, { queue: queues[i], count: step.count });
  });
  scheduleNextArrival();
  events.push(refreshMs, Kind.ControlsTick, null);
  recordMinute();
  events.push(MINUTE_MS, Kind.MinuteTick, null);

  function handle(kind: Kind, payload: Payload): void {
    switch (kind) {
      case Kind.Arrival:
        return onArrival();
      case Kind.BotEnd:
        return onBotEnd(payload as Conversation);
      case Kind.Abandon:
        return onAbandon(payload as Conversation);
      case Kind.ServiceEnd:
        return onServiceEnd(payload as Conversation);
      case Kind.Staffing: {
        const { queue, count } = payload as { queue: QueueState; count: number };
        queue.pool.setStaff(count);
        return dispatch(queue);
      }
      case Kind.ControlsTick:
        readControls();
        events.push(now + refreshMs, Kind.ControlsTick, null);
        return;
      case Kind.MinuteTick:
        recordMinute();
        events.push(now + MINUTE_MS, Kind.MinuteTick, null);
        return;
    }
  }

  return {
    durationMs: scenario.durationMinutes * MINUTE_MS,
    queueIds: queues.map((q) => q.id),
    advanceTo(simTimeMs) {
      if (!(simTimeMs >= now)) throw new RangeError(`advanceTo(${simTimeMs}): simulated time is already ${now} ms and never goes back`);
      while (events.peekTime() <= simTimeMs) {
        const event = events.pop()!;
        now = event.at;
        processed++;
        handle(event.kind, event.payload);
      }
      now = simTimeMs;
    },
    now: () => now,
    observe(queueId) {
      const q = queueById.get(queueId);
      if (!q) return undefined;
      const observation: QueueObservation = {
        waiting: q.waiting,
        interacting: q.interacting,
        onQueueIdle: q.pool.idle,
        onQueueInteracting: q.pool.onQueue - q.pool.idle,
        offQueue: q.pool.draining,
      };
      return observation;
    },
    offered(queueId, fromMs, toMs) {
      const q = queueById.get(queueId);
      if (!q) return undefined;
      return Math.max(0, lowerBound(q.offeredAt, Math.min(toMs, now)) - lowerBound(q.offeredAt, fromMs));
    },
    outcomes: () => ({ ...counters.outcomes, deflected: { ...counters.outcomes.deflected }, open: open.length }),
    waitStats: () => counters.waits.stats(),
    waitCounts: () => counters.waits.counts(),
    timeSeries: () => series,
    tiers: () => ({ ...controls }),
    totals,
    resetStats() {
      epoch++;
      counters = freshCounters();
    },
    eventsProcessed: () => processed,
  };
}

/** The index of the first element >= x in a sorted array. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
