// The leading rules (`activateEarly`), table-driven like test/policy.test.ts: a tier comes on when its lagging
// OR its leading rule is met and goes off only on its lagging rule; samples without leading signals (old
// histories) never meet a leading rule.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { EventConfigError } from '../client/event-config';
import { evaluate, initialPolicyState, validateEventConfig } from '../workflows/policy';
import { DEFAULT_EARLY_RULES } from '../workflows/tiers';
import type { EventConfig, LeadingSignals, PolicyAction, PolicyState, Sample, TierNumber } from '../workflows/types';
import { at, testEventConfig } from './helpers/event-config';

type Poll = { t: number; waiting?: number; agents?: number; fail?: boolean; leading?: LeadingSignals | null };

const LEADING = { agentConcurrency: 3, handleTimeSeconds: 720, patienceSeconds: 600, botFlowId: 'flow-bot', botConcurrencyLimit: 500 };
const CALM: LeadingSignals = { offeredPerMinute: 35, offeredTrendPerMinute: 0, botSessions: 90 };

function run(config: EventConfig, polls: Poll[], start?: PolicyState): { state: PolicyState; actions: PolicyAction[] } {
  let state = start ?? initialPolicyState(config, at(0));
  const actions: PolicyAction[] = [];
  for (const p of polls) {
    const leading = p.leading === undefined ? CALM : p.leading;
    const sample: Sample = p.fail
      ? { ok: false, at: at(p.t), error: 'HTTP 503' }
      : {
          ok: true,
          at: at(p.t),
          waiting: p.waiting ?? 0,
          agentsAvailable: p.agents ?? 20,
          perQueue: [{ queueId: 'q-sales', waiting: p.waiting ?? 0, agentsAvailable: p.agents ?? 20, agentsOnQueue: 160, interacting: 460 }],
          ...(leading ? { leading } : {}),
        };
    const result = evaluate(state, sample, config, at(p.t));
    state = result.state;
    actions.push(...result.actions);
  }
  return { state, actions };
}

function polls(n: number, values: Omit<Poll, 't'>, from = 0, every = 30): Poll[] {
  return Array.from({ length: n }, (_, i) => ({ t: from + i * every, ...values }));
}

/** Bot sessions climbing by `step` a poll from `from`: the shape of a viral ramp. */
function ramp(n: number, from: number, step: number, t0 = 0, waiting = 0): Poll[] {
  return Array.from({ length: n }, (_, i) => ({ t: t0 + i * 30, waiting, leading: { offeredPerMinute: 35, offeredTrendPerMinute: 0, botSessions: from + i * step } }));
}

const active = (state: PolicyState) => ([1, 2, 3, 4] as TierNumber[]).filter((t) => state.tiers[t].active);
const moves = (actions: PolicyAction[]) => actions.flatMap((a) => (a.type === 'transition' ? [`${a.transition.tier}${a.transition.to ? '+' : '-'}`] : []));

describe('leading rules: the playbook defaults with a bot (forecast bot load > 60% / 70% / 90% in 120 s, 1 poll)', () => {
  const config = testEventConfig({ leading: LEADING, tiers: { 3: { trigger: 'auto' } } });
  it('the defaults apply when `leading` is given', () => {
    assert.deepEqual(config.tiers[1].activateEarly, DEFAULT_EARLY_RULES.withBot[1]);
    assert.deepEqual(config.tiers[3].activateEarly, DEFAULT_EARLY_RULES.withBot[3]);
  });
  const cases: { name: string; polls: Poll[]; active: TierNumber[] }[] = [
    { name: 'a calm day (90 sessions, flat): nothing moves', polls: polls(60, {}), active: [] },
    { name: 'noise (90 <-> 140 every poll, forecast at most 340 / 500 = 68%... of the 120 s trend): tier 1 only if > 60%', polls: [{ t: 0, leading: { ...CALM, botSessions: 90 } }, { t: 30, leading: { ...CALM, botSessions: 140 } }], active: [1] },
    { name: 'sessions at 200 flat (40%): nothing', polls: polls(10, { leading: { ...CALM, botSessions: 200 } }), active: [] },
    { name: 'a ramp of +60 a poll from 90 (forecast 150 + 240 = 78% at the 2nd poll): tiers 1 and 2', polls: ramp(2, 90, 60), active: [1, 2] },
    { name: 'a ramp of +120 a poll (forecast 210 + 480 = 138%): tiers 1, 2 and 3 at once', polls: ramp(2, 90, 120), active: [1, 2, 3] },
    { name: 'a failed poll in a ramp leaves no trend across it (flat 330 / 500 = 66%): tier 1 only', polls: [...ramp(1, 90, 0), { t: 30, fail: true }, ...ramp(1, 330, 0, 60)], active: [1] },
    { name: 'samples without leading signals (old histories) never meet a leading rule', polls: polls(5, { leading: null }), active: [] },
    { name: 'a bot at 95% with no previous sample (flat forecast 95%): tiers 1, 2 and 3', polls: [{ t: 0, leading: { ...CALM, botSessions: 475 } }], active: [1, 2, 3] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(active(run(config, c.polls).state), c.active));

  it('the transition says it was early, with the forecast numbers', () => {
    const { actions } = run(config, ramp(2, 90, 120));
    const t = actions.find((a) => a.type === 'transition');
    assert.ok(t?.type === 'transition');
    assert.match(t.transition.reason, /^early: forecast bot load in 120 s > 60%, 1 consecutive polls \(arrivals 35\/min, capacity 40\/min, forecast waiting \d+ in 120 s, bot load 42% \(forecast 138%\); waiting 0\)$/);
  });

  it('restores only on the lagging rule: a forecast still high does not hold the tier on', () => {
    const manual3 = testEventConfig({ leading: LEADING });
    const on = run(manual3, ramp(2, 90, 60)).state; // tiers 1 and 2 on, early
    // Waiting calm for 5 min while the bot forecast stays above 70%: tiers 2 then 1 (top-down) restore all the same.
    const high = { offeredPerMinute: 35, offeredTrendPerMinute: 0, botSessions: 400 };
    const { state, actions } = run(manual3, polls(24, { waiting: 10, leading: high }, 60), on);
    assert.deepEqual(moves(actions), ['2-', '1-']);
    assert.deepEqual(active(state), []);
  });

  it('hysteresis: a forecast that stayed high does not switch a restored tier back on until it has dropped', () => {
    const manual3 = testEventConfig({ leading: LEADING });
    const on = run(manual3, ramp(2, 90, 60)).state;
    const high = { offeredPerMinute: 35, offeredTrendPerMinute: 0, botSessions: 400 };
    const stillHigh = run(manual3, polls(30, { waiting: 10, leading: high }, 60), on);
    assert.deepEqual(moves(stillHigh.actions), ['2-', '1-']);
    // Down to 100 (20%) for one poll re-arms it; up again switches both back on.
    const again = run(manual3, [{ t: 960, waiting: 10, leading: { ...high, botSessions: 100 } }, { t: 990, waiting: 10, leading: high }], stillHigh.state);
    assert.deepEqual(moves(again.actions), ['1+', '2+']);
  });

  it('restores top-down: a lower tier with a leading rule stays on while a higher one is on', () => {
    const on = run(config, ramp(2, 90, 120)).state; // tiers 1, 2, 3 on
    // Waiting < 50: tiers 1 and 2 meet their restore rule after 5 min but wait; tier 3 needs 15 min.
    const calm = run(config, polls(31, { waiting: 10 }, 60), on);
    assert.deepEqual(moves(calm.actions), ['3-']);
    // Tier 2's 5-minute window starts once tier 3 is off, tier 1's once tier 2 is: a staircase.
    const after = run(config, polls(22, { waiting: 10 }, 990), calm.state);
    const restoreTimes = after.actions.flatMap((a) => (a.type === 'transition' ? [[a.transition.tier, (Date.parse(a.transition.at) - Date.parse(at(0))) / 1000]] : []));
    assert.deepEqual(restoreTimes, [[2, 990 + 300], [1, 990 + 630]]);
  });

  it('after a restore the leading rule must be met afresh (its streak is reset by the move)', () => {
    const on = run(config, ramp(2, 90, 60)).state;
    const off = run(config, polls(24, { waiting: 10 }, 60), on).state;
    assert.equal(off.tiers[1].earlyStreak, null);
    assert.deepEqual(active(off), []);
  });
});

describe('leading rules: without a bot flow the queue forecast leads (forecast waiting > 100 / 250 / 450, 2 polls)', () => {
  const config = testEventConfig({ leading: { agentConcurrency: 3, handleTimeSeconds: 720 } });
  const surge = (rate: number): LeadingSignals => ({ offeredPerMinute: rate, offeredTrendPerMinute: 0 });
  const cases: { name: string; polls: Poll[]; active: TierNumber[] }[] = [
    { name: 'arrivals at capacity: nothing', polls: polls(10, { leading: surge(40) }), active: [] },
    { name: '120/min against 40 (20 slots free): forecast ~ 140 in 120 s for 2 polls: tier 1', polls: polls(2, { leading: surge(120) }), active: [1] },
    { name: 'the same for one poll only: nothing (2 consecutive polls)', polls: [...polls(1, { leading: surge(120) }), ...polls(1, { leading: surge(40) }, 30)], active: [] },
    { name: '200/min: forecast ~ 320: tiers 1 and 2', polls: polls(2, { leading: surge(200) }), active: [1, 2] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(active(run(config, c.polls).state), c.active));
  it('tier 3 stays manual: its leading rule only recommends', () => {
    const { state, actions } = run(config, polls(2, { waiting: 300, leading: surge(300) }));
    assert.ok(!state.tiers[3].active);
    assert.ok(actions.some((a) => a.type === 'recommend' && a.recommendation.tier === 3));
  });
});

describe('leading rules: configs without `leading` are unchanged', () => {
  it('no tier gets a leading rule, and the forecast is not kept', () => {
    const config = testEventConfig();
    assert.equal(config.tiers[1].activateEarly, undefined);
    assert.equal(config.leading, undefined);
    const { state } = run(config, polls(3, { leading: { offeredPerMinute: 900, offeredTrendPerMinute: 100, botSessions: 499 } }));
    assert.deepEqual(active(state), []);
    assert.equal(state.forecast, undefined);
  });
  it('`activateEarly: false` turns a tier\'s default leading rule off', () => {
    const config = testEventConfig({ leading: LEADING, tiers: { 1: { activateEarly: false } } });
    assert.equal(config.tiers[1].activateEarly, undefined);
    assert.ok(config.tiers[2].activateEarly);
  });
});

// Bad `leading` settings and `activateEarly` rules are refused by the one config schema: their table is in
// test/config-schema.test.ts (each case through the CLI and the workflow validator).
describe('leading rules: the config', () => {
  it('the defaults with leading settings are valid', () => assert.deepEqual(validateEventConfig(testEventConfig({ leading: LEADING })), []));
  it('the file parser refuses an unknown field in a leading rule, naming it', () => {
    assert.throws(() => testEventConfig({ leading: LEADING, tiers: { 1: { activateEarly: { forecastWaitingOver: 5, consecutivePolls: 1 } as never } } }), (err: unknown) => err instanceof EventConfigError && /tiers\.1\.activateEarly/.test(err.message));
  });
  it('a bot bound without a bot flow is refused', () => {
    assert.throws(() => testEventConfig({ leading: { agentConcurrency: 3, handleTimeSeconds: 720 }, tiers: { 1: { activateEarly: { botLoadAbove: 0.5, consecutivePolls: 1 } } } }), /tiers\.1\.activateEarly: botLoadAbove \/ forecastBotLoadAbove need leading\.botFlowId/);
  });
});
