// The leading-signal reads through the real SDK against the Genesys sandbox: the request bodies the platform
// takes (ConversationAggregationQuery, FlowObservationQuery), the per-minute rate and trend made of the
// answer, an unknown flow and a permission the OAuth client lacks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { createLeadingActivities, parseOfferedPerMinute, slopePerMinute, type LeadingActivities } from '../activities/genesys-leading';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import type { MetricsSource } from '../sandbox/genesys/types';
import { sandboxSession } from '../sandbox/genesys/testing';

const NOW = Date.parse('2026-11-27T10:05:00Z');
const MINUTE = 60_000;

describe('leading signals: nOffered and oFlow through the SDK against the sandbox', () => {
  let sandbox: GenesysSandbox;
  let leading: LeadingActivities;
  const requested: { queueId: string; fromMs: number; toMs: number }[] = [];
  // Offers per minute rising 10, 20, 30, 40, 50 over the five minutes to NOW on q-orders; q-support none.
  const source: MetricsSource = {
    observe: (queueId) => (queueId.startsWith('q-') ? { waiting: 0, interacting: 0, onQueueIdle: 1, onQueueInteracting: 0 } : undefined),
    offered(queueId, fromMs, toMs) {
      requested.push({ queueId, fromMs, toMs });
      if (!queueId.startsWith('q-')) return undefined;
      if (queueId !== 'q-orders') return 0;
      const minute = Math.round((fromMs - (NOW - 5 * MINUTE)) / MINUTE);
      return minute >= 0 && minute < 5 ? 10 * (minute + 1) : 0;
    },
    flowSessions: (flowId) => (flowId === 'flow-bot' ? 321 : undefined),
  };

  before(async () => {
    sandbox = await startGenesysSandbox({ port: 0, metrics: source, clock: () => NOW });
    sandbox.state.addQueues([{ id: 'q-orders' }, { id: 'q-support' }]);
    leading = createLeadingActivities(sandboxSession(sandbox, { now: () => NOW }));
  });
  after(async () => sandbox.close());

  it('reads the rate (150 over 5 min = 30/min), its trend (+10/min per min) and the bot sessions', async () => {
    const signals = await leading.fetchLeadingSignals({ queueIds: ['q-orders', 'q-support'], at: new Date(NOW).toISOString(), windowSeconds: 300, botFlowId: 'flow-bot' });
    assert.deepEqual(signals, { offeredPerMinute: 30, offeredTrendPerMinute: 10, botSessions: 321 });
    // Minute buckets of the interval, per queue, as the query's granularity PT1M asks.
    const orders = requested.filter((r) => r.queueId === 'q-orders').map((r) => (r.toMs - r.fromMs) / MINUTE);
    assert.deepEqual(orders, [1, 1, 1, 1, 1]);
  });

  it('without a bot flow only the aggregates are read', async () => {
    sandbox.state.resetCounters();
    const signals = await leading.fetchLeadingSignals({ queueIds: ['q-orders'], at: new Date(NOW).toISOString(), windowSeconds: 120 });
    assert.deepEqual(signals, { offeredPerMinute: 45, offeredTrendPerMinute: 10 });
    const routes = Object.keys(sandbox.state.readCounters().byRoute);
    assert.deepEqual(routes, ['POST /api/v2/analytics/conversations/aggregates/query']);
  });

  it('an unknown bot flow reads 0 sessions (absent from the answer, as the platform leaves it out)', async () => {
    const signals = await leading.fetchLeadingSignals({ queueIds: ['q-orders'], at: new Date(NOW).toISOString(), windowSeconds: 120, botFlowId: 'flow-nobody' });
    assert.equal(signals.botSessions, 0);
  });

  it('a missing permission fails the read, naming it (never zeros)', async () => {
    sandbox.state.faults.deniedPermissions = ['analytics:flowObservation:view'];
    try {
      await assert.rejects(
        leading.fetchLeadingSignals({ queueIds: ['q-orders'], at: new Date(NOW).toISOString(), windowSeconds: 300, botFlowId: 'flow-bot' }),
        (err: Error) => /analytics:flowObservation:view/.test(err.message),
      );
    } finally {
      sandbox.state.faults.deniedPermissions = [];
    }
  });

  it('refuses a window that is not whole minutes from 2 to 15', async () => {
    await assert.rejects(leading.fetchLeadingSignals({ queueIds: ['q-orders'], at: new Date(NOW).toISOString(), windowSeconds: 90 }), /windowSeconds must be whole minutes/);
  });
});

describe('leading signals: parsing and trend', () => {
  const from = Date.parse('2026-11-27T10:00:00Z');
  const bucket = (minute: number, count: number) => ({ interval: `${new Date(from + minute * MINUTE).toISOString()}/${new Date(from + (minute + 1) * MINUTE).toISOString()}`, metrics: [{ metric: 'nOffered', stats: { count } }] });
  it('sums queues per minute; absent buckets read 0; an empty answer is all zeros', () => {
    const response = { results: [{ group: { queueId: 'a' }, data: [bucket(0, 3), bucket(2, 5)] }, { group: { queueId: 'b' }, data: [bucket(2, 1)] }] };
    assert.deepEqual(parseOfferedPerMinute(response, from, 3), [3, 0, 6]);
    assert.deepEqual(parseOfferedPerMinute({}, from, 3), [0, 0, 0]);
  });
  it('a count that is not a number is a malformed answer', () => {
    assert.throws(() => parseOfferedPerMinute({ results: [{ data: [{ ...bucket(0, 1), metrics: [{ metric: 'nOffered', stats: { count: 'x' } }] }] }] }, from, 3), /nOffered stats.count is "x"/);
  });
  const slopes: [number[], number][] = [[[5, 5, 5], 0], [[0, 10, 20, 30], 10], [[30, 20, 10], -10], [[7], 0]];
  for (const [counts, slope] of slopes) it(`slope of ${counts.join(', ')} is ${slope}`, () => assert.equal(slopePerMinute(counts), slope));
});
