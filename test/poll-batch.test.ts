// Polls in batches (workflows/poll-batch.ts), with no Temporal server: when a batch hands its polls back, and
// that handing back in batches never changes a decision. The workflow runs every batched poll through the same
// rules; these tests pin the batch's half: it hands back at the first poll that matters, never later.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Observation, ObserveInput, ObservedValue } from '../workflows/observation';
import { evaluate, initialPolicyState } from '../workflows/policy';
import { POLL_BATCH_SECONDS, fullPollBatch, type BatchedPoll, judgedAt, newestReads, pollBatchSize, pollObserveInput, runPollBatch, sampleOf, type PollBatchInput, type PollBatchResult } from '../workflows/poll-batch';
import { pollBatchPhase } from '../workflows/poll-phase';
import { desiredActuators } from '../workflows/reconciler';
import type { EventConfig, PolicyAction, PolicyState } from '../workflows/types';
import { T0, testEventConfig } from './helpers/event-config';

const config = testEventConfig({ pollIntervalSeconds: 10, actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] } });
const startMs = Date.parse(T0);
const intervalMs = config.pollIntervalSeconds * 1000;
const slot = (i: number) => startMs + i * intervalMs;

/** The world as the workflow left it: each actuator holds what the policy wants. */
const holding = (c: EventConfig, policy: PolicyState): Record<string, ObservedValue> => Object.fromEntries(desiredActuators(c, policy).map((a) => [a.id, a.desired]));

interface Script {
  waiting: (i: number) => number;
  agents?: number;
  failMetricsAt?: number;
  /** Poll index at which the KV flag reads other than the controller set it. */
  driftAt?: number;
  /** Every poll runs this late (a busy worker). */
  lateMs?: number;
}

function world(c: EventConfig, script: Script, holds: () => Record<string, ObservedValue>) {
  const asked: ObserveInput[] = [];
  let clock = 0;
  const observe = async (input: ObserveInput): Promise<Observation> => {
    asked.push(input);
    const i = Math.round((Date.parse(input.at!) - startMs) / intervalMs);
    const values = holds();
    return {
      metrics:
        script.failMetricsAt === i
          ? { ok: false, error: 'HTTP 503', failureClass: 'platform' }
          : { ok: true, value: { waiting: script.waiting(i), agentsAvailable: script.agents ?? 10, perQueue: [] } },
      actuators: Object.fromEntries(
        input.reads.map((r) => [r.id, { ok: true as const, value: r.kind === 'kv' && script.driftAt === i ? 'drifted' : (values[r.id] ?? null) }]),
      ),
    };
  };
  const deps = (waits = true) => ({
    observe,
    nowMs: () => clock,
    waitUntil: async (ms: number) => {
      if (!waits) return false;
      clock = ms + (script.lateMs ?? 0);
      return true;
    },
    progress: () => undefined,
  });
  return { asked, deps, setClock: (ms: number) => (clock = ms) };
}

const batchInput = (policy: PolicyState, firstSlot: number, over: Partial<PollBatchInput> = {}): PollBatchInput => ({
  config,
  policy,
  known: holding(config, policy),
  openDrifts: [],
  dryRunPlanned: {},
  firstSlotMs: slot(firstSlot),
  maxPolls: 12,
  pollsBefore: 1,
  genesysEvery: 6,
  ...over,
});

async function runFrom(script: Script, over: Partial<PollBatchInput> = {}, waits = true): Promise<{ result: PollBatchResult; asked: ObserveInput[] }> {
  const policy = initialPolicyState(config, T0);
  const w = world(config, script, () => holding(config, policy));
  w.setClock(slot(1) + (script.lateMs ?? 0));
  const result = await runPollBatch(batchInput(policy, 1, over), w.deps(waits));
  return { result, asked: w.asked };
}

describe('polls in batches', () => {
  it('a calm batch fills: every slot once, in order, Genesys reads only on every genesysEvery-th poll', async () => {
    const { result, asked } = await runFrom({ waiting: () => 3 });
    assert.equal(result.handedBack, 'full');
    assert.deepEqual(result.polls.map((p) => p.at), Array.from({ length: 12 }, (_, i) => new Date(slot(1 + i)).toISOString()));
    // pollsBefore 1: polls 6 and 12 of the event (batch indexes 5 and 11) read the flags row too.
    const readsRow = asked.map((a, i) => (a.reads.some((r) => r.kind === 'flags-row') ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(readsRow, [5, 11]);
    assert.ok(asked.every((a) => a.queueIds && a.reads.some((r) => r.kind === 'kv')), 'every poll reads metrics and the KV flags');
  });

  it('hands back at the first poll whose sample makes a rule act, with every poll before it', async () => {
    // Tier 2 (default): waiting above 200 with fewer than 5 agents for 3 consecutive polls. 10 agents here, so
    // tier 1's sustained rule (waiting above 50 for 600 s) is the first: too long for one batch; tier 2 never.
    // Use a config whose tier 1 acts after 3 polls to see the exact poll.
    const quick = testEventConfig({ pollIntervalSeconds: 10, tiers: { 1: { activate: { waitingAbove: 50, consecutivePolls: 3 } } } });
    const policy = initialPolicyState(quick, T0);
    const w = world(quick, { waiting: (i) => (i >= 4 ? 80 : 3) }, () => holding(quick, policy));
    w.setClock(slot(1));
    const result = await runPollBatch({ ...batchInput(policy, 1), config: quick, known: holding(quick, policy) }, w.deps());
    assert.equal(result.handedBack, 'change');
    // Polls 1-3 calm, 4, 5, 6 above: the third above (slot 6) activates tier 1.
    assert.deepEqual(result.polls.map((p) => p.at), [1, 2, 3, 4, 5, 6].map((i) => new Date(slot(i)).toISOString()));
  });

  it('hands back on a failed read, and on an actuator that reads other than expected', async () => {
    const failed = await runFrom({ waiting: () => 3, failMetricsAt: 4 });
    assert.equal(failed.result.handedBack, 'read-failed');
    assert.equal(failed.result.polls.length, 4);
    const drift = await runFrom({ waiting: () => 3, driftAt: 3 });
    assert.equal(drift.result.handedBack, 'change');
    assert.equal(drift.result.polls.length, 3);
  });

  it('hands back what it has when it may not wait (cancelled, or a clock that cannot wait)', async () => {
    const { result } = await runFrom({ waiting: () => 3 }, {}, false);
    assert.equal(result.handedBack, 'interrupted');
    assert.equal(result.polls.length, 1, 'the first poll is due at once; the second would need a wait');
  });

  it('a batch that follows another waits for its first slot itself; if it may not, it takes nothing', async () => {
    const policy = initialPolicyState(config, T0);
    const w = world(config, { waiting: () => 3 }, () => holding(config, policy));
    w.setClock(slot(1) - 7_000);
    const waited = await runPollBatch(batchInput(policy, 1, { maxPolls: 2 }), w.deps());
    assert.deepEqual(waited.polls.map((p) => [p.at, p.lateMs]), [[new Date(slot(1)).toISOString(), 0], [new Date(slot(2)).toISOString(), 0]]);
    w.setClock(slot(1) - 7_000);
    const cannot = await runPollBatch(batchInput(policy, 1, { maxPolls: 2 }), w.deps(false));
    assert.deepEqual(cannot, { polls: [], handedBack: 'interrupted' });
  });

  it('a late poll carries its lateness; one older than staleAfterSeconds is stale to the rules and hands back', async () => {
    const late = await runFrom({ waiting: () => 3, lateMs: 2_000 });
    assert.equal(late.result.handedBack, 'full');
    assert.ok(late.result.polls.every((p) => p.lateMs === 2_000));
    assert.equal(judgedAt(late.result.polls[0]!), new Date(slot(1) + 2_000).toISOString());
    const stale = await runFrom({ waiting: () => 3, lateMs: (config.staleAfterSeconds + 1) * 1000 });
    assert.equal(stale.result.handedBack, 'change', 'the metrics-unavailable alert opens');
    assert.equal(stale.result.polls.length, 1);
  });

  it('in a dry run, a write already recorded as planned is no reason to hand back; an unplanned one is', async () => {
    const dry = testEventConfig({ pollIntervalSeconds: 10, dryRun: true, actuators: { 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }] } });
    const policy = initialPolicyState(dry, T0);
    const desired = desiredActuators(dry, policy);
    // Nothing was ever written (dry run): every read is absent, so every actuator "needs" its write.
    const w = world(dry, { waiting: () => 3 }, () => ({}));
    w.setClock(slot(1));
    const base = { ...batchInput(policy, 1), config: dry, known: {} };
    const planned = await runPollBatch({ ...base, dryRunPlanned: Object.fromEntries(desired.map((a) => [a.id, a.desired])) }, w.deps());
    assert.equal(planned.handedBack, 'full');
    w.setClock(slot(1));
    const unplanned = await runPollBatch(base, w.deps());
    assert.equal(unplanned.handedBack, 'change');
    assert.equal(unplanned.polls.length, 1);
  });

  it('a write due with nothing drifted, and a drift with no write due, each hand back', async () => {
    const policy = initialPolicyState(config, T0);
    const held = holding(config, policy);
    const w = world(config, { waiting: () => 3 }, () => held);
    // Tier 3 forced on since the last write: the flag must be written, though it reads what the controller set.
    const forced = (await import('../workflows/policy')).applyTierMode(policy, 3, 'on', 'approved', 'alice', T0).state;
    w.setClock(slot(1));
    const write = await runPollBatch({ ...batchInput(forced, 1), known: held }, w.deps());
    assert.deepEqual([write.handedBack, write.polls.length], ['change', 1]);
    // The controller had set the flag on; it reads off, which is also what is wanted now: a drift, no write.
    const kv = desiredActuators(config, policy).find((a) => a.read.kind === 'kv' && a.id.includes('chat_surge_active'))!;
    w.setClock(slot(1));
    const drift = await runPollBatch({ ...batchInput(policy, 1), known: { ...held, [kv.id]: 'true' } }, w.deps());
    assert.deepEqual([drift.handedBack, drift.polls.length], ['change', 1]);
  });

  it('cancelled while running late (slots already past), it still stops at the next slot', async () => {
    const policy = initialPolicyState(config, T0);
    const w = world(config, { waiting: () => 3 }, () => holding(config, policy));
    w.setClock(slot(4));
    const result = await runPollBatch(batchInput(policy, 1, { maxPolls: 5 }), w.deps(false));
    assert.deepEqual([result.handedBack, result.polls.length], ['interrupted', 1]);
  });

  it('a sample from each kind of observation, as a single poll makes it', () => {
    const at = T0;
    const metrics = { ok: true as const, value: { waiting: 7, agentsAvailable: 2, perQueue: [] } };
    const cases: [name: string, observation: Observation, expected: Record<string, unknown>][] = [
      ['no metrics asked', { actuators: {} }, { ok: false, error: 'no metrics observed', failureClass: 'platform' }],
      ['metrics failed', { metrics: { ok: false, error: 'HTTP 503', failureClass: 'platform' }, actuators: {} }, { ok: false, error: 'HTTP 503', failureClass: 'platform' }],
      ['metrics refused (ours)', { metrics: { ok: false, error: 'HTTP 401', failureClass: 'controller' }, actuators: {} }, { ok: false, error: 'HTTP 401', failureClass: 'controller' }],
      ['probe fails on the platform', { metrics, probe: { ok: false, error: '502', failureClass: 'platform' }, actuators: {} }, { ok: true, waiting: 7, messengerHealthy: false }],
      ['probe reaches our own stub', { metrics, probe: { ok: false, error: 'stub', failureClass: 'controller' }, actuators: {} }, { ok: false, error: 'Messenger probe: stub', failureClass: 'controller' }],
      ['probe healthy', { metrics, probe: { ok: true, value: { healthy: true } }, actuators: {} }, { ok: true, messengerHealthy: true }],
      ['probe unhealthy', { metrics, probe: { ok: true, value: { healthy: false } }, actuators: {} }, { ok: true, messengerHealthy: false }],
      ['no probe', { metrics, actuators: {} }, { ok: true, messengerHealthy: undefined, leading: undefined }],
      ['leading read', { metrics, leading: { ok: true, value: { offeredPerMinute: 9, offeredTrendPerMinute: 1 } }, actuators: {} }, { ok: true, leading: { offeredPerMinute: 9, offeredTrendPerMinute: 1 } }],
      ['leading failed', { metrics, leading: { ok: false, error: 'x', failureClass: 'platform' }, actuators: {} }, { ok: true, leading: undefined }],
    ];
    for (const [name, observation, expected] of cases) {
      const sample = sampleOf(observation, at) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(sample[k], v, `${name}: ${k}`);
      if ('messengerHealthy' in expected && expected.messengerHealthy === undefined) assert.equal('messengerHealthy' in sample, false, `${name}: no messengerHealthy key`);
    }
  });

  it('what a poll asks: metrics, probe and leading only with metrics; Genesys reads only when due', () => {
    const full = testEventConfig({
      pollIntervalSeconds: 10,
      messengerProbeUrl: 'https://apps.mypurecloud.ie/genesys-bootstrap/genesys.min.js',
      leading: { arrivalWindowSeconds: 300, agentConcurrency: 2, handleTimeSeconds: 300, botFlowId: 'bot-1', botConcurrencyLimit: 50 },
    } as never);
    const policy = initialPolicyState(full, T0);
    const withAll = pollObserveInput(full, policy, { metrics: true, genesys: true, at: T0 });
    assert.deepEqual(withAll.queueIds, full.queueIds);
    assert.equal(withAll.probeUrl, full.messengerProbeUrl);
    assert.deepEqual(withAll.leading, { windowSeconds: 300, botFlowId: 'bot-1' });
    assert.equal(withAll.at, T0);
    assert.ok(withAll.reads.some((r) => r.kind === 'flags-row'));
    const readsOnly = pollObserveInput(full, policy, { metrics: false, genesys: false, at: T0 });
    assert.deepEqual(Object.keys(readsOnly).sort(), ['at', 'reads']);
    assert.ok(readsOnly.reads.every((r) => r.kind === 'kv'));
    const noBot = testEventConfig({ pollIntervalSeconds: 10, leading: { arrivalWindowSeconds: 300, agentConcurrency: 2, handleTimeSeconds: 300 } } as never);
    assert.deepEqual(pollObserveInput(noBot, initialPolicyState(noBot, T0), { metrics: true, genesys: false, at: T0 }).leading, { windowSeconds: 300 });
  });

  it('batch size: the window, and never a slot at or past the end', () => {
    const cases: [poll: number, scale: number, firstSlotMs: number, untilMs: number, size: number][] = [
      [10, 1, 0, 10 * 3_600_000, POLL_BATCH_SECONDS / 10],
      [30, 1, 0, 10 * 3_600_000, POLL_BATCH_SECONDS / 30],
      [300, 1, 0, 10 * 3_600_000, 1],
      // A sandbox's 1 s polls standing for 30 s ones: the window is in simulated time.
      [1, 30, 0, 10 * 3_600_000, POLL_BATCH_SECONDS / 30],
      [10, 1, 0, 35_000, 4],
      [10, 1, 0, 30_000, 3],
      [10, 1, 0, 5_000, 1],
      [10, 1, 10_000, 10_000, 0],
    ];
    for (const [poll, scale, first, until, size] of cases) assert.equal(pollBatchSize(poll, scale, first, until), size, `poll ${poll}s x${scale} from ${first} until ${until}`);
  });

  it("batch size on the event's batch phase: up to the next slot on the phase, never past it or the end", () => {
    // 10 s polls: a full batch is 30; batches begin on slots k with k % 30 === phase.
    const cases: [slotIndex: number, phase: number, untilMs: number, size: number][] = [
      [0, 0, 10 * 3_600_000, 30], // on the phase: a full batch
      [1, 0, 10 * 3_600_000, 29], // the first batch after the first poll: to the boundary
      [1, 7, 10 * 3_600_000, 6],
      [7, 7, 10 * 3_600_000, 30],
      [8, 7, 10 * 3_600_000, 29],
      [36, 7, 10 * 3_600_000, 1], // the slot before a boundary: a batch of one (the loop takes it singly)
      [37, 7, 10 * 3_600_000, 30],
      [1, 0, 50_000, 5], // the end comes first
    ];
    for (const [slotIndex, phase, until, size] of cases) {
      assert.equal(pollBatchSize(10, 1, 0, until, { slotIndex, phase }), size, `slot ${slotIndex} phase ${phase} until ${until}`);
    }
    assert.equal(fullPollBatch(10, 1), 30);
    assert.equal(fullPollBatch(300, 1), 1);
    // A batch of one on a phase: every batch is one poll.
    assert.equal(pollBatchSize(300, 1, 0, 10 * 3_600_000, { slotIndex: 5, phase: 0 }), 1);
  });

  it('batches on their phases: 1,000 events started together hand back spread evenly over the batch window', () => {
    // Each event's first batch runs from slot 1 to its boundary; afterwards every batch is full, so hand-backs
    // fall on (phase - 1) mod 30. No slot of the window may hold more than twice its share.
    const perSlot = new Array(30).fill(0);
    for (let i = 0; i < 1000; i++) {
      const phase = pollBatchPhase(`scale-1000-aligned-${i}`, 30);
      const first = pollBatchSize(10, 1, 0, 10 * 3_600_000, { slotIndex: 1, phase });
      perSlot[(1 + first) % 30]++;
      assert.equal((1 + first) % 30, phase, `event ${i}: its next batch does not begin on its phase`);
    }
    for (const n of perSlot) assert.ok(n > 1000 / 30 / 2 && n < (2 * 1000) / 30, `hand-backs per slot: ${perSlot.join(',')}`);
  });

  it('newest reads over a batch: each actuator at its latest read, a read that worked kept over a later failure', () => {
    const ok = (value: string) => ({ ok: true as const, value });
    const failed = { ok: false as const, error: 'timed out', failureClass: 'platform' as const };
    const polls: Pick<BatchedPoll, 'observation'>[] = [
      { observation: { actuators: { 'flags-row': ok('0000'), kv: ok('false') } } },
      { observation: { actuators: { kv: ok('false') } } },
      { observation: { actuators: { kv: failed, flow: failed } } },
    ];
    assert.deepEqual(newestReads(polls), { 'flags-row': ok('0000'), kv: ok('false'), flow: failed });
    assert.deepEqual(newestReads([{ observation: { actuators: { kv: ok('false') } } }, { observation: { actuators: { kv: ok('true') } } }]), { kv: ok('true') });
    assert.deepEqual(newestReads([]), {});
  });

  // The property that matters: batching changes when the workflow hears of polls, never what it decides.
  // Scripted demand curves go through (a) the rules one poll at a time, and (b) batches, each batch's polls fed
  // through the same rules after it hands back; the decisions and the polls they come at must be identical.
  const curves: [name: string, waiting: (i: number) => number][] = [
    ['calm', () => 5],
    ['flash sale', (i) => (i < 20 ? 5 : i < 140 ? 300 : 10)],
    ['sawtooth', (i) => (i % 40 < 25 ? 260 : 20)],
    ['slow ramp', (i) => Math.min(600, i * 3)],
    ['spiky', (i) => ((i * 7919) % 13 === 0 ? 500 : 40)],
  ];
  for (const [name, waiting] of curves) {
    it(`decides the same as single polls: ${name}`, async () => {
      const c = testEventConfig({ pollIntervalSeconds: 10, tiers: { 3: { trigger: 'auto' } } });
      const polls = 240;
      const decisions = (log: { i: number; actions: PolicyAction[] }[]) => log.filter((l) => l.actions.length > 0).map((l) => `${l.i}: ${JSON.stringify(l.actions)}`);

      let single = initialPolicyState(c, T0);
      const singleLog: { i: number; actions: PolicyAction[] }[] = [];
      for (let i = 1; i <= polls; i++) {
        const at = new Date(slot(i)).toISOString();
        const r = evaluate(single, { ok: true, at, waiting: waiting(i), agentsAvailable: 2, perQueue: [] }, c, at);
        single = r.state;
        singleLog.push({ i, actions: r.actions });
      }

      let policy = initialPolicyState(c, T0);
      const batchedLog: { i: number; actions: PolicyAction[] }[] = [];
      const w = world(c, { waiting, agents: 2 }, () => holding(c, policy));
      let next = 1;
      let batches = 0;
      while (next <= polls) {
        w.setClock(slot(next));
        // As the workflow sizes them: to the event's next batch boundary (phase 7 of 30), never past the last poll.
        const maxPolls = pollBatchSize(10, 1, slot(next), slot(polls) + 1, { slotIndex: next, phase: 7 });
        const result = await runPollBatch({ ...batchInput(policy, next), config: c, known: holding(c, policy), maxPolls }, w.deps());
        batches++;
        for (const [k, p] of result.polls.entries()) {
          const i = Math.round((Date.parse(p.at) - startMs) / intervalMs);
          const r = evaluate(policy, sampleOf(p.observation, p.at), c, judgedAt(p));
          policy = r.state;
          batchedLog.push({ i, actions: r.actions });
          // The workflow hears of a decision as soon as it is due: only the poll the batch handed back at may act.
          if (r.actions.length > 0) assert.equal(k, result.polls.length - 1, `poll ${i} acts but the batch went on past it`);
          next = i + 1;
        }
      }
      assert.deepEqual(batchedLog.map((l) => l.i), singleLog.map((l) => l.i), 'every slot once, in order');
      assert.deepEqual(decisions(batchedLog), decisions(singleLog));
      assert.ok(batches < polls / 2, `batched into ${batches} batches for ${polls} polls`);
    });
  }
});
