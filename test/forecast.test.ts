// The forecast the leading rules read, table-driven: the fluid queue against hand-worked cases, the bot load
// trend, and what a sample without leading signals gives (nothing).
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { capacityPerMinute, forecastBotLoad, forecastFor, forecastWaiting, type QueueForecastInput } from '../workflows/forecast';
import type { LeadingConfig, Sample } from '../workflows/types';
import { at } from './helpers/event-config';

const model = { agentConcurrency: 3, handleTimeSeconds: 720 };

describe('forecast: waiting ahead from arrivals, trend and agent capacity (fluid queue)', () => {
  const base: QueueForecastInput = { waiting: 0, interacting: 480, agentsOnQueue: 160, arrivalRate: 40, arrivalTrend: 0 };
  const cases: { name: string; input: Partial<QueueForecastInput>; model?: Partial<typeof model> & { patienceSeconds?: number }; horizon: number; expect: [number, number] }[] = [
    { name: 'arrivals equal to capacity (40/min, 480 slots / 12 min): waiting stays where it is', input: {}, horizon: 300, expect: [0, 0] },
    { name: 'arrivals below capacity drain the queue', input: { waiting: 100, arrivalRate: 20 }, horizon: 300, expect: [0, 10] },
    { name: '100/min against 40/min for 5 min: about 60 x 5 = 300 more', input: { arrivalRate: 100 }, horizon: 300, expect: [290, 310] },
    { name: 'a rising trend adds about trend x H^2 / 2 (10/min per min over 5 min: +125)', input: { arrivalRate: 100, arrivalTrend: 10 }, horizon: 300, expect: [410, 435] },
    { name: 'free agent slots absorb a surge before anyone waits', input: { interacting: 300, arrivalRate: 100 }, horizon: 120, expect: [0, 0] },
    { name: 'nobody on queue: everyone offered waits', input: { interacting: 0, agentsOnQueue: 0, arrivalRate: 60 }, horizon: 60, expect: [60, 60] },
    { name: 'patience bounds the queue: (100 - 40) x 10 min at most', input: { waiting: 600, arrivalRate: 100 }, model: { patienceSeconds: 600 }, horizon: 3600, expect: [560, 600] },
    { name: 'a falling trend never makes arrivals negative', input: { waiting: 50, arrivalRate: 10, arrivalTrend: -50 }, horizon: 600, expect: [0, 0] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = forecastWaiting({ ...base, ...c.input }, { ...model, ...c.model }, c.horizon);
      assert.ok(w >= c.expect[0] && w <= c.expect[1], `forecast ${w} not in [${c.expect.join(', ')}]`);
    });
  }
  it('capacity is agents x concurrency / handle time', () => assert.equal(capacityPerMinute(160, model), 40));
});

describe('forecast: bot load ahead from its trend since the last poll', () => {
  const cases: { name: string; prev: { atMs: number; sessions: number } | null; expect: number }[] = [
    { name: 'no previous sample: flat (200 / 500)', prev: null, expect: 0.4 },
    { name: '+100 in 30 s: +400 in 120 s, (200 + 400) / 500', prev: { atMs: -30_000, sessions: 100 }, expect: 1.2 },
    { name: 'falling 200 in 30 s: never below zero', prev: { atMs: -30_000, sessions: 400 }, expect: 0 },
    { name: 'a previous sample at the same instant is ignored (no division by zero)', prev: { atMs: 0, sessions: 0 }, expect: 0.4 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(forecastBotLoad({ atMs: 0, sessions: 200 }, c.prev, 500, 120), c.expect));
});

describe('forecast: for a sample', () => {
  const leading: LeadingConfig = { horizonSeconds: 120, arrivalWindowSeconds: 300, agentConcurrency: 3, handleTimeSeconds: 720, botFlowId: 'flow-bot', botConcurrencyLimit: 500 };
  const sample = (t: number, botSessions?: number, withLeading = true): Sample => ({
    ok: true,
    at: at(t),
    waiting: 0,
    agentsAvailable: 10,
    perQueue: [{ queueId: 'q', waiting: 0, agentsAvailable: 10, agentsOnQueue: 160, interacting: 470 }],
    ...(withLeading ? { leading: { offeredPerMinute: 35, offeredTrendPerMinute: 0, ...(botSessions === undefined ? {} : { botSessions }) } } : {}),
  });
  it('no leading settings, or a sample without signals (old histories): no forecast', () => {
    assert.equal(forecastFor(sample(0, 100), null, undefined, 75_000), null);
    assert.equal(forecastFor(sample(0, 100, false), null, leading, 75_000), null);
    assert.equal(forecastFor({ ok: false, at: at(0), error: 'x' }, null, leading, 75_000), null);
  });
  it('reads capacity and arrivals, and the bot trend from the previous sample within the gap', () => {
    const f = forecastFor(sample(30, 200), sample(0, 100), leading, 75_000);
    assert.deepEqual(f, { at: at(30), horizonSeconds: 120, arrivalRate: 35, capacityPerMinute: 40, forecastWaiting: 0, botLoad: 0.4, forecastBotLoad: 1.2 });
  });
  it('a previous sample older than the gap gives no trend', () => {
    assert.equal(forecastFor(sample(300, 200), sample(0, 100), leading, 75_000)?.forecastBotLoad, 0.4);
  });
  it('a previous sample only seconds older (a poll straight after continue-as-new) gives no trend', () => {
    assert.equal(forecastFor(sample(2, 200), sample(0, 190), leading, 75_000, 15_000)?.forecastBotLoad, 0.4);
  });
});
