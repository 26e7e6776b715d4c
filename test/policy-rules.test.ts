// README "Rules, precisely", one rule per describe, the rule quoted in the name, tested through the public
// policy functions only (evaluate, applyTierMode, setAutomationPaused, endOfEvent). The small helpers below
// (sample, feed, forceAndHandBack) are the one place to adapt when sample or config shapes change.
import assert from 'node:assert/strict';
import { applyTierMode, endOfEvent, evaluate, highestActiveTier, initialPolicyState, meets, setAutomationPaused } from '../workflows/policy';
import { failureClassOf } from '../workflows/failure-classes';
import { unknownQueuesSample } from '../workflows/queue-check';
import type { EventConfig, PolicyAction, PolicyState, Sample, TierNumber } from '../workflows/types';
import { at, testEventConfig } from './helpers/event-config';

type Numbers = { waiting: number; agents?: number };

/** A good sample observed at `t` (seconds after T0), or `observedAt` seconds when given. */
function sample(t: number, n: Numbers, observedAt = t): Sample {
  return { ok: true, at: at(observedAt), waiting: n.waiting, agentsAvailable: n.agents ?? 20, perQueue: [] };
}
function failed(t: number): Sample {
  return { ok: false, at: at(t), error: 'HTTP 503' };
}

/** Feeds samples taken every `every` seconds from `from` through `until` (inclusive). */
function feed(state: PolicyState, config: EventConfig, n: Numbers | 'fail', from: number, until: number, every = 30) {
  const actions: PolicyAction[] = [];
  for (let t = from; t <= until; t += every) {
    const r = evaluate(state, n === 'fail' ? failed(t) : sample(t, n), config, at(t));
    state = r.state;
    actions.push(...r.actions);
  }
  return { state, actions };
}

const transitionsOf = (actions: PolicyAction[]) => actions.flatMap((a) => (a.type === 'transition' ? [a.transition] : []));
const alertsOf = (actions: PolicyAction[]) => actions.flatMap((a) => (a.type === 'alert' ? [a] : []));

/** The operator forces `tier` to `mode` at `t` then hands it back to auto at `t + 5`. */
function forceAndHandBack(state: PolicyState, tier: TierNumber, mode: 'on' | 'off', t: number): PolicyState {
  const forced = applyTierMode(state, tier, mode, 'drill', 'ops@example.com', at(t)).state;
  return applyTierMode(forced, tier, 'auto', 'hand back', 'ops@example.com', at(t + 5)).state;
}

describe('README rule: "bounds are strict (`waiting > 50` is not met by 50); a rule\'s bounds are ANDed"', () => {
  const cases: { bound: Record<string, number>; met: Numbers[]; notMet: Numbers[] }[] = [
    { bound: { waitingAbove: 50 }, met: [{ waiting: 51 }], notMet: [{ waiting: 50 }, { waiting: 49 }] },
    { bound: { waitingBelow: 50 }, met: [{ waiting: 49 }], notMet: [{ waiting: 50 }, { waiting: 51 }] },
    { bound: { agentsAvailableAbove: 5 }, met: [{ waiting: 0, agents: 6 }], notMet: [{ waiting: 0, agents: 5 }, { waiting: 0, agents: 4 }] },
    { bound: { agentsAvailableBelow: 5 }, met: [{ waiting: 0, agents: 4 }], notMet: [{ waiting: 0, agents: 5 }, { waiting: 0, agents: 6 }] },
    {
      bound: { waitingAbove: 200, agentsAvailableBelow: 5 },
      met: [{ waiting: 201, agents: 4 }],
      notMet: [{ waiting: 201, agents: 5 }, { waiting: 200, agents: 4 }, { waiting: 0, agents: 0 }],
    },
    { bound: { waitingAbove: 10, waitingBelow: 20 }, met: [{ waiting: 11 }, { waiting: 19 }], notMet: [{ waiting: 10 }, { waiting: 20 }] },
    { bound: { agentsAvailableAbove: 2, agentsAvailableBelow: 4 }, met: [{ waiting: 0, agents: 3 }], notMet: [{ waiting: 0, agents: 2 }, { waiting: 0, agents: 4 }] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.bound)}: met by ${JSON.stringify(c.met)}, not by ${JSON.stringify(c.notMet)}`, () => {
      for (const n of c.met) assert.equal(meets(c.bound, { waiting: n.waiting, agentsAvailable: n.agents ?? 20 }), true, JSON.stringify(n));
      for (const n of c.notMet) assert.equal(meets(c.bound, { waiting: n.waiting, agentsAvailable: n.agents ?? 20 }), false, JSON.stringify(n));
    });
  }

  it('agentsAvailableAbove at its bound never restores a tier; one above does', () => {
    // Tier 2 restores only when agents are back (more than 5 available), not at exactly 5.
    const config = testEventConfig({ tiers: { 2: { restore: { agentsAvailableAbove: 5, sustainSeconds: 60 } } } });
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 300, agents: 0 }, 0, 60);
    assert.equal(state.tiers[2].active, true);
    state = feed(state, config, { waiting: 0, agents: 5 }, 90, 600).state;
    assert.equal(state.tiers[2].active, true, 'agents at the bound (5) never meet "> 5"');
    state = feed(state, config, { waiting: 0, agents: 6 }, 630, 690).state;
    assert.equal(state.tiers[2].active, false);
  });
});

describe('README rule: "sustained N s": every good sample from the first to the latest meets the condition and they span at least N s; one missed poll is tolerated, two restart the window', () => {
  const config = testEventConfig({ tiers: { 1: { activate: { waitingAbove: 50, sustainSeconds: 120 } } } });
  const start = () => initialPolicyState(config, at(0));
  const high = { waiting: 60 };

  it('samples spanning exactly N s activate; N s minus one poll do not', () => {
    assert.equal(feed(start(), config, high, 0, 90).state.tiers[1].active, false);
    assert.equal(feed(start(), config, high, 0, 120).state.tiers[1].active, true);
  });

  it('one missed poll is tolerated', () => {
    let { state } = feed(start(), config, high, 0, 30);
    state = feed(state, config, high, 90, 120).state; // 60 missing
    assert.equal(state.tiers[1].active, true);
  });

  it('a gap of exactly two and a half polls is still one missed poll; more restarts the window', () => {
    let { state } = feed(start(), config, high, 0, 0);
    state = feed(state, config, high, 75, 75).state; // 75 s = 2.5 polls
    state = feed(state, config, high, 120, 120).state;
    assert.equal(state.tiers[1].active, true, 'a 75 s gap keeps the window');
    let s2 = feed(start(), config, high, 0, 0).state;
    s2 = feed(s2, config, high, 76, 196, 30).state; // 76..196: window restarts at 76
    assert.equal(s2.tiers[1].active, true, 'activates once the new window spans 120 s (76 -> 196)');
    let s3 = feed(start(), config, high, 0, 0).state;
    s3 = feed(s3, config, high, 76, 166, 30).state;
    assert.equal(s3.tiers[1].active, false, 'two missed polls restart the window (0 does not count)');
  });

  it('one sample not meeting the condition restarts the window', () => {
    let { state } = feed(start(), config, high, 0, 90);
    state = feed(state, config, { waiting: 50 }, 120, 120).state;
    state = feed(state, config, high, 150, 240).state;
    assert.equal(state.tiers[1].active, false);
    state = feed(state, config, high, 270, 270).state;
    assert.equal(state.tiers[1].active, true);
  });
});

describe('README rule: "N consecutive polls": N successive good samples meet it', () => {
  const config = testEventConfig({ tiers: { 2: { activate: { waitingAbove: 200, agentsAvailableBelow: 5, consecutivePolls: 3 } } } });
  const surge = { waiting: 300, agents: 0 };

  it('N - 1 polls do not activate, N do', () => {
    const start = initialPolicyState(config, at(0));
    assert.equal(feed(start, config, surge, 0, 30).state.tiers[2].active, false);
    assert.equal(feed(start, config, surge, 0, 60).state.tiers[2].active, true);
  });

  it('a poll not meeting it restarts the count', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, surge, 0, 30);
    state = feed(state, config, { waiting: 300, agents: 5 }, 60, 60).state;
    state = feed(state, config, surge, 90, 120).state;
    assert.equal(state.tiers[2].active, false);
    state = feed(state, config, surge, 150, 150).state;
    assert.equal(state.tiers[2].active, true);
  });
});

describe('README rule: "after any move of a tier, both of its streaks restart (hysteresis: the opposite rule must be met afresh)"', () => {
  const config = testEventConfig();

  it('a tier forced on and handed back to auto on a calm queue is restored only after a full restore window from the move', () => {
    // Calm for 10 min: tier 1's restore rule (waiting < 50 sustained 5 min) is met long before the move.
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 0 }, 0, 600);
    state = forceAndHandBack(state, 1, 'on', 610);
    state = feed(state, config, { waiting: 0 }, 630, 900).state;
    assert.equal(state.tiers[1].active, true, '270 s after the move: still on');
    const r = feed(state, config, { waiting: 0 }, 930, 930);
    assert.equal(r.state.tiers[1].active, false, '300 s of calm after the move restores it');
    assert.equal(transitionsOf(r.actions)[0]?.cause, 'rule');
  });

  it('a tier forced off under load and handed back to auto activates only after a full activate window from the move', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 100 }, 0, 900);
    assert.equal(state.tiers[1].active, true);
    state = forceAndHandBack(state, 1, 'off', 910);
    state = feed(state, config, { waiting: 100 }, 930, 1500).state;
    assert.equal(state.tiers[1].active, false, '570 s of load after the move: still off');
    state = feed(state, config, { waiting: 100 }, 1530, 1530).state;
    assert.equal(state.tiers[1].active, true);
  });

  it('tier 4 counts consecutive probes rather than streaks: N failed activate it, M healthy restore it', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, 'fail', 0, 60);
    assert.equal(state.tiers[4].active, true);
    state = feed(state, config, { waiting: 0 }, 90, 180).state; // 4 healthy
    assert.equal(state.tiers[4].active, true, '4 healthy probes of 5');
    state = feed(state, config, { waiting: 0 }, 210, 210).state;
    assert.equal(state.tiers[4].active, false, '5 healthy probes restore');
  });
});

describe('README rule: "a config whose restore condition overlaps its activate condition is refused (it would flap)"', () => {
  it('is covered in config-rules.test.ts (validateEventConfig)', () => {
    assert.throws(() => testEventConfig({ tiers: { 1: { restore: { waitingBelow: 52, sustainSeconds: 300 } } } }), /tiers\.1\.restore: overlaps tiers\.1\.activate \(waiting 51/);
  });
});

describe('README rule: "a failed or stale sample (older than `staleAfterSeconds`) never moves tiers 1-3 (they hold; one alert until metrics are back); failures count toward tier 4"', () => {
  const config = testEventConfig({ staleAfterSeconds: 90, tiers: { 4: { activate: { failedProbes: 3 } } } });

  it('a sample exactly staleAfterSeconds old is used; one second older is stale', () => {
    const state = initialPolicyState(config, at(0));
    const fresh = evaluate(state, sample(200, { waiting: 0 }, 110), config, at(200));
    assert.deepEqual(alertsOf(fresh.actions), []);
    assert.equal(fresh.state.health.consecutiveFailures, 0);
    assert.equal(fresh.state.health.consecutiveHealthy, 1);
    const stale = evaluate(state, sample(200, { waiting: 0 }, 109), config, at(200));
    assert.equal(stale.state.health.consecutiveFailures, 1);
    assert.equal(stale.state.health.consecutiveHealthy, 0);
    assert.deepEqual(alertsOf(stale.actions).map((a) => [a.condition, a.raised]), [['metrics-unavailable', true]]);
    assert.match(alertsOf(stale.actions)[0].message, /stale sample: observed .*, 91 s old \(limit 90 s\); tiers 1-3 held/);
  });

  it('stale samples meeting every activate condition move no tier 1-3 and no streak', () => {
    let state = initialPolicyState(config, at(0));
    for (let t = 0; t <= 900; t += 30) state = evaluate(state, sample(t + 200, { waiting: 999, agents: 0 }, t), config, at(t + 200)).state;
    assert.deepEqual([1, 2, 3].map((t) => state.tiers[t as TierNumber].active), [false, false, false]);
    assert.deepEqual([1, 2, 3].map((t) => state.tiers[t as TierNumber].activateStreak), [null, null, null]);
    assert.equal(state.tiers[3].recommendation, null);
  });

  it('failed polls hold tiers 1-3 where they are, streaks included, and alert once until metrics are back', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 60 }, 0, 300);
    const streak = state.tiers[1].activateStreak;
    const down = feed(state, config, 'fail', 330, 420);
    assert.deepEqual(down.state.tiers[1].activateStreak, streak, 'a failed poll neither breaks nor extends the streak');
    assert.equal(alertsOf(down.actions).filter((a) => a.condition === 'metrics-unavailable').length, 1);
    const back = feed(down.state, config, { waiting: 60 }, 450, 450);
    assert.deepEqual(alertsOf(back.actions).map((a) => [a.condition, a.raised, a.message]), [['metrics-unavailable', false, 'queue metrics are back']]);
    state = back.state;
    assert.equal(state.openAlerts.includes('metrics-unavailable'), false);
  });

  it('failed and stale samples count toward tier 4', () => {
    let state = initialPolicyState(config, at(0));
    state = evaluate(state, failed(0), config, at(0)).state;
    state = evaluate(state, sample(30, { waiting: 0 }, -100), config, at(30)).state;
    assert.equal(state.tiers[4].active, false);
    const r = evaluate(state, failed(60), config, at(60));
    assert.equal(r.state.tiers[4].active, true);
    assert.match(transitionsOf(r.actions)[0].reason, /^3 consecutive failed probes \(limit 3\): HTTP 503/);
    assert.equal(transitionsOf(r.actions)[0].waiting, null, 'no numbers recorded from a failed sample');
  });

  it('a failed Messenger probe counts toward tier 4 but does not hold tiers 1-3', () => {
    let state = initialPolicyState(config, at(0));
    for (let t = 0; t <= 60; t += 30) state = evaluate(state, { ...sample(t, { waiting: 300, agents: 0 }), messengerHealthy: false } as Sample, config, at(t)).state;
    assert.equal(state.tiers[4].active, true);
    assert.equal(state.tiers[2].active, true);
    assert.equal(state.health.lastError, 'messenger bootstrap probe failed');
  });
});

describe('README rule: "The controller\'s own mistakes (401/403, a queue/flow ID that does not exist, a bad config, ...) hold every tier and tier 4\'s count and raise one `controller-misconfigured` alert naming the fix"', () => {
  const config = testEventConfig();
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `q-${i + 1}`);

  it('a failure nobody named (a timeout, a dropped connection, a dead activity) is the platform\'s: what an outage looks like', () => {
    for (const type of [undefined, null, '', 'TimeoutFailure', 'SomethingNew']) assert.equal(failureClassOf(type), 'platform', String(type));
    assert.equal(failureClassOf('GenesysUnauthorized'), 'controller');
    assert.equal(failureClassOf('GenesysRateLimited'), 'rate-limited');
  });
  it('unknown queue IDs make a failed sample of class controller that names each ID and the fix', () => {
    const s = unknownQueuesSample(['q-typo', 'q-gone'], at(30));
    assert.deepEqual(s, {
      ok: false,
      at: at(30),
      failureClass: 'controller',
      error:
        "queue ID(s) not found in Genesys Cloud: q-typo, q-gone. Fix queueIds in the event config (or give the OAuth client's " +
        'role routing:queue:view on their division); tiers are held and tier 4 is not counting',
    });
  });
  it('up to ten IDs are named; beyond that, the first ten and how many more', () => {
    const ten = unknownQueuesSample(ids(10), at(0));
    assert.ok(!ten.ok && ten.error.startsWith(`queue ID(s) not found in Genesys Cloud: ${ids(10).join(', ')}. Fix`), !ten.ok ? ten.error : '');
    const twelve = unknownQueuesSample(ids(12), at(0));
    assert.ok(!twelve.ok && twelve.error.startsWith(`queue ID(s) not found in Genesys Cloud: ${ids(10).join(', ')} and 2 more. Fix`), !twelve.ok ? twelve.error : '');
  });
  it('fed to the policy, it holds tier 2 and tier 4\'s count and raises the alert once, naming the IDs', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 300, agents: 0 }, 30, 90);
    assert.equal(state.tiers[2].active, true);
    const actions: PolicyAction[] = [];
    for (const t of [120, 150, 180, 210, 240]) {
      const r = evaluate(state, unknownQueuesSample(['q-typo'], at(t)), config, at(t));
      state = r.state;
      actions.push(...r.actions);
    }
    assert.equal(state.tiers[2].active, true, 'tier 2 held');
    assert.equal(state.tiers[4].active, false);
    assert.equal(state.health.consecutiveFailures, 0, "tier 4's count held");
    const raised = alertsOf(actions).filter((a) => a.condition === 'controller-misconfigured');
    assert.equal(raised.length, 1);
    assert.ok(raised[0].raised && raised[0].message.includes('queue ID(s) not found in Genesys Cloud: q-typo'), raised[0].message);
  });
  it('the alert stays up through a platform failure and clears, saying so, only when observation is back', () => {
    let state = evaluate(initialPolicyState(config, at(0)), unknownQueuesSample(['q-typo'], at(30)), config, at(30)).state;
    const outage = evaluate(state, failed(60), config, at(60));
    assert.deepEqual(alertsOf(outage.actions).filter((a) => a.condition === 'controller-misconfigured'), [], 'a platform failure says nothing about our setup');
    state = outage.state;
    assert.ok(state.openAlerts.includes('controller-misconfigured'));
    const back = evaluate(state, sample(90, { waiting: 1 }), config, at(90));
    assert.deepEqual(alertsOf(back.actions).filter((a) => a.condition === 'controller-misconfigured'), [
      { type: 'alert', condition: 'controller-misconfigured', raised: false, message: 'the controller observes the platform again' },
    ]);
  });
});

describe('README rule: "modes: `auto` (rules decide), `on`/`off` (forced; rules ignored). Forcing one tier never moves another. Handing a tier back to `auto` keeps it where it is"', () => {
  const config = testEventConfig();

  it('forcing one tier never moves another', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 100 }, 0, 600);
    assert.equal(state.tiers[1].active, true);
    for (const tier of [2, 3, 4] as const) {
      const r = applyTierMode(state, tier, 'on', 'drill', 'ops', at(610));
      assert.deepEqual(transitionsOf(r.actions).map((x) => x.tier), [tier]);
      assert.equal(r.state.tiers[1].active, true);
      state = r.state;
    }
    const off = applyTierMode(state, 1, 'off', 'drill', 'ops', at(620));
    assert.deepEqual([1, 2, 3, 4].map((t) => off.state.tiers[t as TierNumber].active), [false, true, true, true]);
  });

  it('forced tiers ignore their rules; forcing to where the tier already is records no transition', () => {
    const s0 = initialPolicyState(config, at(0));
    const on = applyTierMode(s0, 1, 'on', 'r', 'ops', at(0));
    assert.equal(transitionsOf(on.actions)[0].cause, 'operator');
    assert.equal(transitionsOf(on.actions)[0].by, 'ops');
    assert.equal(feed(on.state, config, { waiting: 0 }, 30, 900).state.tiers[1].active, true);
    const off = applyTierMode(s0, 1, 'off', 'r', 'ops', at(0));
    assert.deepEqual(off.actions, []);
    assert.equal(feed(off.state, config, { waiting: 100 }, 30, 1200).state.tiers[1].active, false);
  });

  it('handing a tier back to `auto` keeps it where it is: its rules take it from there', () => {
    const on = applyTierMode(initialPolicyState(config, at(0)), 1, 'on', 'r', 'ops', at(0)).state;
    const auto = applyTierMode(on, 1, 'auto', 'r', 'ops', at(1));
    assert.deepEqual(auto.actions, []);
    assert.equal(auto.state.tiers[1].active, true);
    assert.equal(auto.state.tiers[1].mode, 'auto');
  });

  it('modes in the event config start the tier where the mode says', () => {
    const c = testEventConfig({ modes: { 3: 'on', 2: 'off' } });
    const s = initialPolicyState(c, at(0));
    assert.deepEqual([s.tiers[3].active, s.tiers[3].mode, s.tiers[2].active, s.tiers[2].mode, s.tiers[1].mode], [true, 'on', false, 'off', 'auto']);
    assert.equal(highestActiveTier(s), 3);
    assert.equal(highestActiveTier(initialPolicyState(config, at(0))), 0);
  });
});

describe('README rule: "`manual` tiers (tier 3 by default) only *recommend*: the dashboard shows "approve tier 3" and an email goes out; the operator approves by forcing it on"', () => {
  const config = testEventConfig();
  const surge = { waiting: 500, agents: 0 };

  it('tier 3 recommends once, raises one alert, and never acts', () => {
    const { state, actions } = feed(initialPolicyState(config, at(0)), config, surge, 0, 300);
    assert.equal(state.tiers[3].active, false);
    assert.deepEqual(actions.filter((a) => a.type === 'recommend').length, 1);
    assert.equal(state.tiers[3].recommendation?.action, 'activate');
    const alerts = alertsOf(actions).filter((a) => a.condition === 'recommendation-tier-3');
    assert.equal(alerts.length, 1);
    assert.match(alerts[0].message, /^operator decision needed: activate tier 3/);
  });

  it('forcing it on approves it and clears the recommendation and its alert', () => {
    const { state } = feed(initialPolicyState(config, at(0)), config, surge, 0, 60);
    const r = applyTierMode(state, 3, 'on', 'approved', 'ops', at(70));
    assert.equal(r.state.tiers[3].active, true);
    assert.equal(r.state.tiers[3].recommendation, null);
    assert.deepEqual(alertsOf(r.actions).map((a) => [a.condition, a.raised]), [['recommendation-tier-3', false]]);
    assert.equal(r.state.openAlerts.includes('recommendation-tier-3'), false);
  });
});

describe('README rule: "pause freezes every `auto` tier where it is"', () => {
  const config = testEventConfig();

  it('paused, no auto tier moves whatever the samples; resumed, the rules act on the next sample', () => {
    const paused = setAutomationPaused(initialPolicyState(config, at(0)), true, 'investigating');
    assert.equal(paused.pausedReason, 'investigating');
    const { state } = feed(paused, config, { waiting: 999, agents: 0 }, 0, 900);
    assert.equal(highestActiveTier(state), 0);
    const resumed = setAutomationPaused(state, false, 'ignored');
    assert.equal(resumed.pausedReason, null);
    assert.equal(evaluate(resumed, sample(930, { waiting: 999, agents: 0 }), config, at(930)).state.tiers[1].active, true);
  });

  it('an operator can still force a tier while paused', () => {
    const paused = setAutomationPaused(initialPolicyState(config, at(0)), true, 'x');
    assert.equal(applyTierMode(paused, 2, 'on', 'r', 'ops', at(0)).state.tiers[2].active, true);
  });
});

describe('README rule: "at the event\'s end (or `surge end`) every tier is restored, forced ones too"', () => {
  const config = testEventConfig();

  it('every active tier is restored with cause event-end, whatever its mode, and recommendations are cleared', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 500, agents: 0 }, 0, 600);
    state = applyTierMode(state, 4, 'on', 'drill', 'ops', at(610)).state;
    assert.ok(state.tiers[3].recommendation);
    const r = endOfEvent(state, 'event over', 'schedule', at(620));
    assert.deepEqual([1, 2, 3, 4].map((t) => r.state.tiers[t as TierNumber].active), [false, false, false, false]);
    assert.deepEqual(transitionsOf(r.actions).map((t) => [t.tier, t.cause, t.by]), [[1, 'event-end', 'schedule'], [2, 'event-end', 'schedule'], [4, 'event-end', 'schedule']]);
    assert.equal(r.state.tiers[3].recommendation, null);
    assert.deepEqual(r.state.openAlerts.filter((a) => a.startsWith('recommendation')), []);
  });

  it('the end of the event leaves automation unpaused', () => {
    const paused = setAutomationPaused(initialPolicyState(config, at(0)), true, 'investigating');
    const r = endOfEvent(paused, 'event over', 'ops', at(10));
    assert.equal(r.state.automationPaused, false);
    assert.equal(r.state.pausedReason, null);
  });
});

describe('every decision is recorded with its reason (README: "every decision recorded in Temporal\'s history: the audit log")', () => {
  const config = testEventConfig({ tiers: { 2: { restore: { agentsAvailableAbove: 5, waitingBelow: 50, sustainSeconds: 60 } } } });

  it('a tier starts with the reason it is where it is', () => {
    const s = initialPolicyState(testEventConfig({ modes: { 4: 'off' } }), at(0));
    assert.deepEqual([s.tiers[1].reason, s.tiers[4].reason, s.tiers[1].since], ['event created', 'mode off set in the event config', at(0)]);
    assert.deepEqual(s.health, { consecutiveFailures: 0, consecutiveHealthy: 0, lastError: null });
    assert.deepEqual([s.automationPaused, s.pausedReason, s.lastSample, s.transitions, s.openAlerts], [false, null, null, [], []]);
  });

  it('rule transitions quote the rule and the numbers that met it, in both directions', () => {
    let r = feed(initialPolicyState(config, at(0)), config, { waiting: 300, agents: 2 }, 0, 60);
    const on = transitionsOf(r.actions).find((t) => t.tier === 2);
    assert.deepEqual(
      on && [on.at, on.from, on.to, on.cause, on.by, on.reason, on.waiting, on.agentsAvailable],
      [at(60), false, true, 'rule', 'policy', 'waiting > 200 and agents available < 5, 3 consecutive polls (waiting 300, agents available 2)', 300, 2],
    );
    assert.deepEqual([r.state.tiers[2].since, r.state.tiers[2].reason], [at(60), on?.reason]);
    r = feed(r.state, config, { waiting: 10, agents: 6 }, 90, 150);
    const off = transitionsOf(r.actions).find((t) => t.tier === 2);
    assert.equal(off?.reason, 'waiting < 50 and agents available > 5, sustained 60 s (waiting 10, agents available 6)');
  });

  it('tier 4 transitions count the probes', () => {
    let r = feed(initialPolicyState(config, at(0)), config, 'fail', 0, 60);
    r = feed(r.state, config, { waiting: 0 }, 90, 210);
    assert.deepEqual(transitionsOf(r.actions).filter((t) => t.tier === 4).map((t) => t.reason), ['5 consecutive healthy probes (needs 5)']);
    assert.equal(r.state.health.lastError, null);
  });

  it('a recommendation records when and why, and its alert clears with the reason it ended', () => {
    const c = testEventConfig();
    const r = feed(initialPolicyState(c, at(0)), c, { waiting: 500, agents: 0 }, 0, 60);
    assert.deepEqual(r.state.tiers[3].recommendation, { tier: 3, action: 'activate', since: at(60), reason: 'waiting > 400, 3 consecutive polls (waiting 500, agents available 0)' });
    const broke = feed(r.state, c, { waiting: 100, agents: 0 }, 90, 90);
    assert.deepEqual(alertsOf(broke.actions).map((a) => [a.condition, a.raised, a.message]), [['recommendation-tier-3', false, 'tier 3 rule no longer met']]);
    const forced = applyTierMode(r.state, 3, 'off', 'not now', 'ops', at(70));
    assert.deepEqual(alertsOf(forced.actions).map((a) => a.message), ['operator set tier 3 off']);
    const ended = endOfEvent(r.state, 'over', 'ops', at(70));
    assert.deepEqual(alertsOf(ended.actions).map((a) => a.message), ['event ended']);
  });
});

describe('README: "a persisting problem mails once": alerts are raised and cleared on a change only', () => {
  const config = testEventConfig();

  it('a calm poll, or the end of a calm event, emits nothing', () => {
    const s = initialPolicyState(config, at(0));
    assert.deepEqual(evaluate(s, sample(0, { waiting: 0 }), config, at(0)).actions, []);
    assert.deepEqual(endOfEvent(s, 'over', 'ops', at(0)).actions, []);
  });

  it('clearing one alert leaves the others open', () => {
    let { state } = feed(initialPolicyState(config, at(0)), config, { waiting: 500, agents: 0 }, 0, 60);
    state = feed(state, config, 'fail', 90, 90).state;
    assert.deepEqual([...state.openAlerts].sort(), ['metrics-unavailable', 'recommendation-tier-3']);
    const back = feed(state, config, { waiting: 500, agents: 0 }, 120, 120);
    assert.deepEqual(back.state.openAlerts, ['recommendation-tier-3']);
  });
});
