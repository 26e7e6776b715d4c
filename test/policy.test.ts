// The tier policy, table-driven, with no Temporal server: every boundary of every rule.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { applyTierMode, endOfEvent, evaluate, initialPolicyState, setAutomationPaused, validateEventConfig } from '../workflows/policy';
import type { FailureClass } from '../workflows/failure-classes';
import type { EventConfig, PolicyAction, PolicyState, Sample, TierNumber } from '../workflows/types';
import { DEFAULT_ACTUATORS, DEFAULT_TIER_CONFIG } from '../workflows/tiers';
import { at, testEventConfig } from './helpers/event-config';

type Poll = { t: number; waiting?: number; agents?: number; fail?: boolean; failureClass?: FailureClass; observedAt?: number; messengerHealthy?: boolean };

/** Feeds polls (t in seconds after T0) through the policy; returns the final state and every action. */
function run(config: EventConfig, polls: Poll[], start?: PolicyState): { state: PolicyState; actions: PolicyAction[] } {
  let state = start ?? initialPolicyState(config, at(0));
  const actions: PolicyAction[] = [];
  for (const p of polls) {
    const sample: Sample = p.fail
      ? { ok: false, at: at(p.t), error: p.failureClass === 'controller' ? 'Genesys Cloud has no queue q-typo: check the ID in the event configuration' : 'HTTP 503', ...(p.failureClass ? { failureClass: p.failureClass } : {}) }
      : {
          ok: true,
          at: at(p.observedAt ?? p.t),
          waiting: p.waiting ?? 0,
          agentsAvailable: p.agents ?? 20,
          perQueue: [],
          ...(p.messengerHealthy === undefined ? {} : { messengerHealthy: p.messengerHealthy }),
        };
    const result = evaluate(state, sample, config, at(p.t));
    state = result.state;
    actions.push(...result.actions);
  }
  return { state, actions };
}

/** `n` polls every `every` seconds from `from`, all with the same numbers. */
function polls(n: number, values: Omit<Poll, 't'>, from = 0, every = 30): Poll[] {
  return Array.from({ length: n }, (_, i) => ({ t: from + i * every, ...values }));
}

const active = (state: PolicyState) => ([1, 2, 3, 4] as TierNumber[]).filter((t) => state.tiers[t].active);
const transitions = (actions: PolicyAction[]) => actions.filter((a) => a.type === 'transition');

describe('policy: tier 1 (waiting > 50 sustained 10 min; restore < 50 sustained 5 min)', () => {
  const config = testEventConfig();
  const cases: { name: string; polls: Poll[]; active: TierNumber[] }[] = [
    { name: 'at the threshold (50) for 15 min: stays off', polls: polls(31, { waiting: 50 }), active: [] },
    { name: 'just below (49): stays off', polls: polls(31, { waiting: 49 }), active: [] },
    { name: 'just above (51) for exactly 10 min (21 samples): activates', polls: polls(21, { waiting: 51 }), active: [1] },
    { name: 'just above for a window one sample short (20 samples, 9.5 min): stays off', polls: polls(20, { waiting: 51 }), active: [] },
    {
      name: 'one sample at the threshold inside the window restarts it',
      polls: [...polls(10, { waiting: 60 }), { t: 300, waiting: 50 }, ...polls(20, { waiting: 60 }, 330)],
      active: [],
    },
    {
      name: 'window not covered by samples (two polls missing) does not count',
      polls: [...polls(10, { waiting: 60 }), ...polls(11, { waiting: 60 }, 360)],
      active: [],
    },
    {
      name: 'one failed poll inside the window holds (neither breaks nor moves)',
      polls: [...polls(10, { waiting: 60 }), { t: 300, fail: true }, ...polls(10, { waiting: 60 }, 330)],
      active: [1],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(active(run(config, c.polls).state), c.active));
  }

  it('restores only after waiting < 50 is sustained 5 min (hysteresis)', () => {
    const up = run(config, polls(21, { waiting: 80 }));
    assert.deepEqual(active(up.state), [1]);
    const atFifty = run(config, polls(20, { waiting: 50 }, 630), up.state);
    assert.deepEqual(active(atFifty.state), [1], 'waiting == 50 is not below 50');
    const shortBelow = run(config, polls(10, { waiting: 49 }, 630), up.state);
    assert.deepEqual(active(shortBelow.state), [1], '4.5 min below is not 5');
    const below = run(config, polls(11, { waiting: 49 }, 630), up.state);
    assert.deepEqual(active(below.state), []);
    const [restore] = transitions(below.actions);
    assert.ok(restore?.type === 'transition' && restore.transition.to === false && restore.transition.tier === 1);
    assert.match(restore.transition.reason, /waiting < 50, sustained 300 s/);
  });

  it('flapping input around the threshold produces no flapping tier', () => {
    const flapping = Array.from({ length: 240 }, (_, i) => ({ t: i * 30, waiting: i % 2 === 0 ? 49 : 51 }));
    const { actions } = run(config, flapping);
    assert.equal(transitions(actions).length, 0);
    // And once active, the same flapping never restores it.
    const up = run(config, polls(21, { waiting: 80 }));
    const held = run(config, flapping.map((p) => ({ ...p, t: p.t + 630 })), up.state);
    assert.equal(transitions(held.actions).length, 0);
    assert.deepEqual(active(held.state), [1]);
  });
});

describe('policy: tier 2 (waiting > 200 AND agents < 5, 3 consecutive polls)', () => {
  const config = testEventConfig();
  const cases: { name: string; polls: Poll[]; tier2: boolean }[] = [
    { name: '3 polls just past both thresholds: activates', polls: polls(3, { waiting: 201, agents: 4 }), tier2: true },
    { name: 'one poll short (2): stays off', polls: polls(2, { waiting: 201, agents: 4 }), tier2: false },
    { name: 'waiting at 200: stays off', polls: polls(5, { waiting: 200, agents: 0 }), tier2: false },
    { name: 'agents at 5: stays off', polls: polls(5, { waiting: 900, agents: 5 }), tier2: false },
    { name: 'agents just below (4) and waiting far above: activates', polls: polls(3, { waiting: 900, agents: 4 }), tier2: true },
    {
      name: 'a poll breaking the AND restarts the count',
      polls: [...polls(2, { waiting: 300, agents: 0 }), { t: 60, waiting: 300, agents: 9 }, ...polls(2, { waiting: 300, agents: 0 }, 90)],
      tier2: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(run(config, c.polls).state.tiers[2].active, c.tier2));
  }

  it('the transition records the numbers and the rule', () => {
    const { actions } = run(config, polls(3, { waiting: 250, agents: 2 }));
    const t = transitions(actions).find((a) => a.type === 'transition' && a.transition.tier === 2);
    assert.ok(t && t.type === 'transition');
    assert.equal(t.transition.waiting, 250);
    assert.equal(t.transition.agentsAvailable, 2);
    assert.equal(t.transition.cause, 'rule');
    assert.match(t.transition.reason, /waiting > 200 and agents available < 5, 3 consecutive polls/);
  });
});

describe('policy: tier 3 is manual by default (recommends, never acts)', () => {
  const config = testEventConfig();

  it('recommends once when waiting > 400 for 3 polls, and stays off', () => {
    const { state, actions } = run(config, polls(10, { waiting: 401, agents: 0 }));
    assert.equal(state.tiers[3].active, false);
    assert.equal(state.tiers[3].recommendation?.action, 'activate');
    assert.equal(actions.filter((a) => a.type === 'recommend').length, 1);
    assert.equal(actions.filter((a) => a.type === 'alert' && a.condition === 'recommendation-tier-3' && a.raised).length, 1);
  });

  it('the recommendation clears when the condition breaks', () => {
    const up = run(config, polls(3, { waiting: 500, agents: 0 }));
    const down = run(config, [{ t: 90, waiting: 400, agents: 0 }], up.state);
    assert.equal(down.state.tiers[3].recommendation, null);
    assert.ok(down.actions.some((a) => a.type === 'alert' && a.condition === 'recommendation-tier-3' && !a.raised));
  });

  it('an operator forcing it on approves it; `auto` then lets its restore rule recommend', () => {
    const up = run(config, polls(3, { waiting: 500, agents: 0 }));
    const approved = applyTierMode(up.state, 3, 'on', 'approved at 500 waiting', 'ops-lead', at(100));
    assert.equal(approved.state.tiers[3].active, true);
    assert.equal(approved.state.tiers[3].recommendation, null);
    const handedBack = applyTierMode(approved.state, 3, 'auto', 'rules again', 'ops-lead', at(110));
    assert.equal(handedBack.state.tiers[3].active, true, 'auto keeps the tier where it is');
    const calm = run(config, polls(31, { waiting: 10 }, 120), handedBack.state);
    assert.equal(calm.state.tiers[3].active, true, 'manual: the restore rule only recommends');
    assert.equal(calm.state.tiers[3].recommendation?.action, 'restore');
  });

  it('with trigger auto it activates by itself', () => {
    const auto = testEventConfig({ tiers: { 3: { trigger: 'auto' } } });
    assert.equal(run(auto, polls(3, { waiting: 401 })).state.tiers[3].active, true);
  });
});

describe('policy: tier 4 (N failed probes activate, M healthy restore)', () => {
  const config = testEventConfig();
  it('2 failures: off; 3: on; 4 healthy: still on; 5 healthy: off', () => {
    assert.equal(run(config, polls(2, { fail: true })).state.tiers[4].active, false);
    const down = run(config, polls(3, { fail: true }));
    assert.equal(down.state.tiers[4].active, true);
    assert.equal(run(config, polls(4, { waiting: 1 }, 90), down.state).state.tiers[4].active, true);
    assert.equal(run(config, polls(5, { waiting: 1 }, 90), down.state).state.tiers[4].active, false);
  });
  it('a failed messenger probe counts as a failure even when metrics answer', () => {
    assert.equal(run(config, polls(3, { waiting: 1, messengerHealthy: false })).state.tiers[4].active, true);
  });
  it('a healthy poll between failures resets the count', () => {
    const p = [...polls(2, { fail: true }), { t: 60, waiting: 1 }, ...polls(2, { fail: true }, 90)];
    assert.equal(run(config, p).state.tiers[4].active, false);
  });
});

describe('policy: only platform failures count toward tier 4 (failure classes)', () => {
  const config = testEventConfig();
  const alertsOf = (actions: PolicyAction[], condition: string) => actions.filter((a) => a.type === 'alert' && a.condition === condition);
  const cases: {
    name: string;
    failureClass: FailureClass | undefined;
    tier4: boolean;
    failures: number;
    controllerAlerts: number;
    metricsAlerts: number;
  }[] = [
    { name: 'platform: 10 failures raise tier 4 by its rule', failureClass: 'platform', tier4: true, failures: 10, controllerAlerts: 0, metricsAlerts: 1 },
    { name: 'absent class (old histories) counts as platform', failureClass: undefined, tier4: true, failures: 10, controllerAlerts: 0, metricsAlerts: 1 },
    { name: 'controller: never tier 4, counters held, ONE controller-misconfigured alert', failureClass: 'controller', tier4: false, failures: 0, controllerAlerts: 1, metricsAlerts: 0 },
    { name: 'rate-limited: holds everything, no alert', failureClass: 'rate-limited', tier4: false, failures: 0, controllerAlerts: 0, metricsAlerts: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const up = run(config, polls(3, { waiting: 300, agents: 0 }));
      assert.deepEqual(active(up.state), [2]);
      const { state, actions } = run(config, polls(10, { fail: true, ...(c.failureClass ? { failureClass: c.failureClass } : {}) }, 90), up.state);
      assert.equal(state.tiers[4].active, c.tier4);
      assert.equal(state.tiers[2].active, true, 'tier 2 held, neither restored nor moved');
      assert.equal(state.health.consecutiveFailures, c.failures);
      assert.equal(alertsOf(actions, 'controller-misconfigured').length, c.controllerAlerts);
      assert.equal(alertsOf(actions, 'metrics-unavailable').length, c.metricsAlerts);
      assert.equal(state.lastSample?.ok === false ? state.lastSample.failureClass : 'ok', c.failureClass, 'status shows the class of the last sample');
    });
  }
  it('the controller alert names the fix and clears when observation is back', () => {
    const bad = run(config, polls(4, { fail: true, failureClass: 'controller' }));
    const [raised] = alertsOf(bad.actions, 'controller-misconfigured');
    assert.ok(raised?.type === 'alert' && raised.raised && /queue q-typo: check the ID/.test(raised.message), JSON.stringify(raised));
    const back = run(config, [{ t: 150, waiting: 1 }], bad.state);
    assert.ok(alertsOf(back.actions, 'controller-misconfigured').some((a) => a.type === 'alert' && !a.raised));
    assert.equal(back.state.openAlerts.includes('controller-misconfigured'), false);
  });
  it('controller failures between platform failures neither reset nor extend the tier-4 streak', () => {
    const p = [...polls(2, { fail: true }), ...polls(5, { fail: true, failureClass: 'controller' }, 60), { t: 210, fail: true }];
    const { state } = run(config, p);
    assert.equal(state.health.consecutiveFailures, 3);
    assert.equal(state.tiers[4].active, true, 'the third platform failure is the third in the streak');
  });
  it('a fresh sample stamped on the workflow clock moves nothing, whatever a worker clock says', () => {
    // The observe step stamps `at` with the workflow's time (actuation branch); a worker 100 s behind is
    // invisible here. Calm numbers, 20 polls: no tier moves and tier 4's failure count stays 0.
    const { state, actions } = run(config, polls(20, { waiting: 10, agents: 20 }));
    assert.deepEqual(active(state), []);
    assert.equal(state.health.consecutiveFailures, 0);
    assert.equal(transitions(actions).length, 0);
    // The same samples stamped by a worker clock 100 s behind would read stale: the stamp must be the workflow's.
    const skewed = run(config, polls(3, { waiting: 10, agents: 20 }).map((p) => ({ ...p, observedAt: p.t - 100 })));
    assert.equal(skewed.state.health.consecutiveFailures, 3);
  });
});

describe('policy: failed and stale samples hold tiers 1-3', () => {
  const config = testEventConfig();
  it('failures never move tiers 1-3, and alert once until metrics are back', () => {
    const up = run(config, polls(3, { waiting: 300, agents: 0 }));
    assert.equal(up.state.tiers[2].active, true);
    const outage = run(config, polls(20, { fail: true }, 90), up.state);
    assert.equal(outage.state.tiers[2].active, true, 'held, not restored');
    assert.equal(outage.actions.filter((a) => a.type === 'alert' && a.condition === 'metrics-unavailable').length, 1);
    const back = run(config, [{ t: 700, waiting: 300, agents: 0 }], outage.state);
    assert.ok(back.actions.some((a) => a.type === 'alert' && a.condition === 'metrics-unavailable' && !a.raised));
  });
  it('a stale sample (observed too long ago) counts as failed', () => {
    const stale = polls(5, { waiting: 300, agents: 0 }).map((p) => ({ ...p, observedAt: p.t - 600 }));
    const { state } = run(config, stale);
    assert.equal(state.tiers[2].active, false);
    assert.equal(state.health.consecutiveFailures, 5);
    assert.match(state.health.lastError ?? '', /stale sample/);
  });
});

describe('policy: operator modes, pause, end', () => {
  const config = testEventConfig();
  it('forcing one tier never moves another', () => {
    const s = initialPolicyState(config, at(0));
    const { state, actions } = applyTierMode(s, 2, 'on', 'pre-emptive', 'alice', at(1));
    assert.deepEqual(active(state), [2]);
    assert.equal(actions.length, 1);
    assert.equal(transitions(actions)[0]?.type === 'transition' && transitions(actions)[0]?.type, 'transition');
  });
  it('a tier forced off stays off while its rule is met; forced on stays on while calm', () => {
    const off = applyTierMode(initialPolicyState(config, at(0)), 2, 'off', 'agents briefed', 'alice', at(0)).state;
    assert.equal(run(config, polls(10, { waiting: 900, agents: 0 }), off).state.tiers[2].active, false);
    const on = applyTierMode(initialPolicyState(config, at(0)), 1, 'on', 'drill', 'alice', at(0)).state;
    assert.equal(run(config, polls(40, { waiting: 0 }), on).state.tiers[1].active, true);
  });
  it('pause freezes auto tiers where they are; resume lets the rules act on the next sample', () => {
    const paused = setAutomationPaused(initialPolicyState(config, at(0)), true, 'investigating');
    const frozen = run(config, polls(5, { waiting: 900, agents: 0 }), paused);
    assert.deepEqual(active(frozen.state), []);
    const resumed = run(config, [{ t: 150, waiting: 900, agents: 0 }], setAutomationPaused(frozen.state, false, null));
    assert.deepEqual(active(resumed.state), [2]);
  });
  it('the end of the event restores every tier, forced ones too', () => {
    let s = run(config, polls(21, { waiting: 900, agents: 0 })).state;
    s = applyTierMode(s, 3, 'on', 'approved', 'alice', at(700)).state;
    assert.deepEqual(active(s), [1, 2, 3]);
    const { state, actions } = endOfEvent(s, 'sale over', 'schedule', at(800));
    assert.deepEqual(active(state), []);
    assert.equal(transitions(actions).length, 3);
    assert.ok(transitions(actions).every((a) => a.type === 'transition' && a.transition.cause === 'event-end'));
  });
  it('keeps at most 100 transitions, most recent last', () => {
    let s = initialPolicyState(config, at(0));
    for (let i = 0; i < 130; i++) s = applyTierMode(s, 1, i % 2 ? 'off' : 'on', `flip ${i}`, 'bot', at(i)).state;
    assert.equal(s.transitions.length, 100);
    assert.equal(s.transitions.at(-1)?.reason, 'flip 129');
  });
});

describe('policy: invalid configurations are refused naming the field', () => {
  const valid = testEventConfig();
  const cases: { name: string; patch: (c: EventConfig) => void; field: RegExp }[] = [
    { name: 'restore overlapping activate would flap', patch: (c) => (c.tiers[1].restore = { waitingBelow: 60, sustainSeconds: 300 }), field: /^tiers\.1\.restore: overlaps.*waiting 51/ },
    { name: 'zero sustain', patch: (c) => (c.tiers[1].activate = { waitingAbove: 50, sustainSeconds: 0 }), field: /^tiers\.1\.activate\.sustainSeconds: must be > 0/ },
    { name: 'negative sustain', patch: (c) => (c.tiers[2].restore = { waitingBelow: 50, sustainSeconds: -5 }), field: /^tiers\.2\.restore\.sustainSeconds/ },
    { name: 'poll interval longer than a sustain window', patch: (c) => (c.pollIntervalSeconds = 900), field: /^tiers\.1\.activate\.sustainSeconds: 600 s is shorter than pollIntervalSeconds/ },
    { name: 'unknown tier', patch: (c) => ((c.tiers as unknown as Record<string, unknown>)['5'] = {}), field: /^tiers: Unrecognized key: "5"/ },
    { name: 'both sustain and polls', patch: (c) => (c.tiers[2].activate = { waitingAbove: 1, sustainSeconds: 60, consecutivePolls: 2 }), field: /^tiers\.2\.activate: needs exactly one/ },
    { name: 'fractional poll count', patch: (c) => (c.tiers[2].activate = { waitingAbove: 1, consecutivePolls: 1.5 }), field: /^tiers\.2\.activate\.consecutivePolls/ },
    { name: 'no bound at all', patch: (c) => (c.tiers[3].activate = { consecutivePolls: 2 }), field: /^tiers\.3\.activate: needs at least one/ },
    { name: 'zero failed probes', patch: (c) => (c.tiers[4].activate.failedProbes = 0), field: /^tiers\.4\.activate\.failedProbes/ },
    { name: 'end before start', patch: (c) => (c.endAt = c.startAt), field: /^endAt: must be after startAt/ },
    { name: 'one flow driven by two tiers', patch: (c) => { c.actuators[1] = [{ kind: 'flowVersion', flowId: 'f', surgeVersion: '2', normalVersion: '1' }]; c.actuators[2] = [{ kind: 'flowVersion', flowId: 'f', surgeVersion: '3', normalVersion: '1' }]; }, field: /^actuators\.2\.0\.flowId: flow f is already driven by actuators\.1\.0/ },
    { name: 'data-table flag without a table', patch: (c) => delete c.dataTable, field: /^actuators\.1\.0: dataTableFlag needs dataTable/ },
    { name: 'bad event ID', patch: (c) => (c.eventId = 'Black Friday'), field: /^eventId:/ },
  ];
  it('the default config is valid', () => {
    // testEventConfig already ran the validator (it throws on problems), so check the playbook defaults
    // here directly, and that the same check refuses them once broken: a validator returning [] fails.
    const defaults = { ...structuredClone(valid), tiers: structuredClone(DEFAULT_TIER_CONFIG), actuators: structuredClone(DEFAULT_ACTUATORS) } as EventConfig;
    assert.deepEqual(validateEventConfig(defaults), []);
    defaults.tiers[4].restore.healthyProbes = 0;
    const problems = validateEventConfig(defaults);
    assert.equal(problems.length, 1, problems.join('; '));
    assert.match(problems[0]!, /^tiers\.4\.restore\.healthyProbes: /);
  });
  for (const c of cases) {
    it(c.name, () => {
      const config = structuredClone(valid);
      c.patch(config);
      const errors = validateEventConfig(config);
      assert.ok(errors.some((e) => c.field.test(e)), `expected ${c.field} in ${JSON.stringify(errors)}`);
    });
  }
  it('restore exactly at the activate bound is allowed (the bounds are strict, so they never overlap)', () => {
    const config = structuredClone(valid);
    config.tiers[1].restore = { waitingBelow: 51, sustainSeconds: 300 };
    assert.deepEqual(validateEventConfig(config), []);
  });
});
