// The forecast the leading rules read: waiting and bot load expected `horizonSeconds` ahead, from the
// arrival rate into the queues, its trend and the agents' capacity, and from the bot's sessions and their
// trend. Pure (no Temporal import): the workflow, `surge replay` and the tests all compute the same numbers.
//
// The queue is a fluid model (arrivals in, completions out at interacting / handle time, overflow waits,
// waiting customers abandon at 1 / patience), stepped every 10 s. It is the deterministic skeleton of
// Erlang-A: it has no randomness, so it under-reads waiting just below saturation (Erlang-A has customers
// waiting at 95% utilization; the fluid model has none). The rules that use it are about a surge, where
// arrivals run well above capacity and the fluid model is what Erlang-A tends to; steady-state accuracy
// near saturation is what the lagging rules are for.
import type { Forecast, LeadingConfig, Sample } from './types';

const STEP_SECONDS = 10;

type OkSample = Extract<Sample, { ok: true }>;

export interface QueueForecastInput {
  waiting: number;
  interacting: number;
  agentsOnQueue: number;
  /** Conversations offered to the queues per minute now, and its change per minute. */
  arrivalRate: number;
  arrivalTrend: number;
}

export interface QueueModel {
  agentConcurrency: number;
  handleTimeSeconds: number;
  patienceSeconds?: number;
}

/** Waiting expected `horizonSeconds` ahead (fluid queue; see the header). */
export function forecastWaiting(input: QueueForecastInput, model: QueueModel, horizonSeconds: number): number {
  const slots = Math.max(0, input.agentsOnQueue * model.agentConcurrency);
  let waiting = Math.max(0, input.waiting);
  let busy = Math.min(Math.max(0, input.interacting), slots);
  for (let t = 0; t < horizonSeconds; t += STEP_SECONDS) {
    const dt = Math.min(STEP_SECONDS, horizonSeconds - t);
    const ratePerMinute = Math.max(0, input.arrivalRate + (input.arrivalTrend * (t + dt / 2)) / 60);
    // Completions first (of those already with an agent), then this step's arrivals.
    busy -= (busy * dt) / model.handleTimeSeconds;
    busy += (ratePerMinute * dt) / 60;
    if (busy > slots) {
      waiting += busy - slots;
      busy = slots;
    }
    const taken = Math.min(waiting, slots - busy);
    waiting -= taken;
    busy += taken;
    if (model.patienceSeconds) waiting -= (waiting * dt) / model.patienceSeconds;
  }
  return Math.round(waiting);
}

/** Agent capacity in conversations per minute: slots over handle time. */
export function capacityPerMinute(agentsOnQueue: number, model: QueueModel): number {
  return (agentsOnQueue * model.agentConcurrency * 60) / model.handleTimeSeconds;
}

/**
 * Bot sessions `horizonSeconds` ahead over the limit: the sessions now plus their trend since the previous
 * sample (linear), never below 0. Without a usable previous sample the trend is taken as flat.
 */
export function forecastBotLoad(now: { atMs: number; sessions: number }, prev: { atMs: number; sessions: number } | null, limit: number, horizonSeconds: number): number {
  const dtSeconds = prev ? (now.atMs - prev.atMs) / 1000 : 0;
  const slopePerSecond = prev && dtSeconds > 0 ? (now.sessions - prev.sessions) / dtSeconds : 0;
  return Math.max(0, now.sessions + slopePerSecond * horizonSeconds) / limit;
}

/**
 * The forecast for one sample, or null when it carries no leading signals or none are configured.
 * `prev` is the previous good sample, used for the bot's trend when it is `minGapMs` to `maxGapMs` older.
 */
export function forecastFor(sample: Sample, prev: Sample | null, leading: LeadingConfig | undefined, maxGapMs: number, minGapMs = 0): Forecast | null {
  if (!leading || !sample.ok || !sample.leading) return null;
  const signals = sample.leading;
  const agentsOnQueue = sum(sample.perQueue, 'agentsOnQueue');
  const interacting = sum(sample.perQueue, 'interacting');
  const model: QueueModel = leading;
  const out: Forecast = {
    at: sample.at,
    horizonSeconds: leading.horizonSeconds,
    arrivalRate: round(signals.offeredPerMinute),
    capacityPerMinute: round(capacityPerMinute(agentsOnQueue, model)),
    forecastWaiting: forecastWaiting(
      { waiting: sample.waiting, interacting, agentsOnQueue, arrivalRate: signals.offeredPerMinute, arrivalTrend: signals.offeredTrendPerMinute },
      model,
      leading.horizonSeconds,
    ),
  };
  if (signals.botSessions !== undefined && leading.botConcurrencyLimit) {
    const atMs = Date.parse(sample.at);
    const before = prevBot(prev, atMs, maxGapMs, minGapMs);
    out.botLoad = round(signals.botSessions / leading.botConcurrencyLimit);
    out.forecastBotLoad = round(forecastBotLoad({ atMs, sessions: signals.botSessions }, before, leading.botConcurrencyLimit, leading.horizonSeconds));
  }
  return out;
}

function prevBot(prev: Sample | null, atMs: number, maxGapMs: number, minGapMs: number): { atMs: number; sessions: number } | null {
  if (!prev?.ok || prev.leading?.botSessions === undefined) return null;
  const prevMs = Date.parse(prev.at);
  // Too close (a poll straight after continue-as-new or a retry): the noise of a few seconds, scaled up to the
  // horizon, would read as a surge. Too far: the trend is stale. Either way the forecast is taken as flat.
  if (atMs - prevMs < Math.max(1, minGapMs) || atMs - prevMs > maxGapMs) return null;
  return { atMs: prevMs, sessions: prev.leading.botSessions };
}

function sum(perQueue: OkSample['perQueue'], key: 'agentsOnQueue' | 'interacting'): number {
  return perQueue.reduce((s, q) => s + (q[key] ?? 0), 0);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
