// The contact-centre simulator: determinism, bookkeeping, the MetricsSource view, and the effect of each tier.
import { strict as assert } from 'node:assert';
import { createFixedControls, createPlannedControls, createSwitchableControls } from '../sandbox/contact-center/controls';
import { summarise } from '../sandbox/contact-center/report';
import { createContactCenter, type ContactCenter } from '../sandbox/contact-center/simulator';
import { DEFLECTION_CHANNELS, type Outcomes } from '../sandbox/contact-center/types';
import { loadScenario, parseScenario } from '../sandbox/scenarios/load';
import type { ScenarioInput } from '../sandbox/scenarios/schema';

const MINUTE = 60_000;

function runToEnd(sim: ContactCenter): ContactCenter {
  sim.advanceTo(sim.durationMs);
  return sim;
}

function accountedFor(o: Outcomes): number {
  const deflected = DEFLECTION_CHANNELS.reduce((sum, c) => sum + o.deflected[c], 0);
  return o.served + o.containedByBot + deflected + o.abandoned + o.errored + o.dropped + o.open;
}

/** steady-day with overrides: a small, fast base for targeted checks. */
function variant(overrides: Partial<ScenarioInput>) {
  const base = loadScenario('steady-day');
  return parseScenario({ ...base, ...overrides });
}

describe('contact-center: simulator', () => {
  it('is deterministic for a seed, whatever steps the caller advances in', () => {
    const scenario = loadScenario('flash-sale-10x');
    const a = runToEnd(createContactCenter({ scenario, seed: 42, controls: createPlannedControls(scenario.tierPlan) }));
    const b = createContactCenter({ scenario, seed: 42, controls: createPlannedControls(scenario.tierPlan) });
    for (let t = 0; t < b.durationMs; t += 7_777) b.advanceTo(t); // uneven steps
    b.advanceTo(b.durationMs);
    assert.deepEqual(b.outcomes(), a.outcomes());
    assert.deepEqual(b.waitStats(), a.waitStats());
    assert.deepEqual(b.timeSeries(), a.timeSeries());

    const c = runToEnd(createContactCenter({ scenario, seed: 43, controls: createPlannedControls(scenario.tierPlan) }));
    assert.notDeepEqual(c.outcomes(), a.outcomes(), 'another seed gives another run');
  });

  it('accounts for every arrival exactly once and keeps one sample a minute', () => {
    for (const name of ['steady-day', 'flash-sale-10x', 'viral-spike-20x', 'genesys-brownout', 'oscillation']) {
      const sim = runToEnd(createContactCenter({ scenario: loadScenario(name) }));
      const o = sim.outcomes();
      assert.ok(o.arrivals > 0);
      assert.equal(accountedFor(o), o.arrivals, `${name}: outcomes do not add up to arrivals`);
      const series = sim.timeSeries();
      assert.deepEqual(series.map((s) => s.minute), Array.from({ length: sim.durationMs / MINUTE + 1 }, (_, i) => i));
      assert.equal(series.reduce((sum, s) => sum + s.arrivals, 0), o.arrivals, `${name}: per-minute arrivals`);
      assert.equal(series.reduce((sum, s) => sum + s.dropped, 0), o.dropped);
    }
  });

  it('runs a normal day at about 500 open chats, no one waiting long, nothing lost', () => {
    const sim = runToEnd(createContactCenter({ scenario: loadScenario('steady-day') }));
    const o = sim.outcomes();
    const open = sim.timeSeries().filter((s) => s.minute >= 60).map((s) => s.openConversations);
    const meanOpen = open.reduce((a, b) => a + b, 0) / open.length;
    assert.ok(meanOpen > 400 && meanOpen < 600, `mean open chats ${meanOpen}`);
    assert.equal(o.errored + o.dropped, 0);
    assert.ok(sim.waitStats().serviceLevel >= 0.8, `service level ${sim.waitStats().serviceLevel}`);
  });

  it('observe() reports each queue from live state, and undefined for an unknown queue', () => {
    const scenario = loadScenario('oscillation');
    const sim = createContactCenter({ scenario });
    assert.equal(sim.observe('no-such-queue'), undefined);
    let sawWaiting = false;
    for (let minute = 1; minute <= scenario.durationMinutes; minute++) {
      sim.advanceTo(minute * MINUTE);
      const totals = sim.totals();
      let waiting = 0;
      let idle = 0;
      scenario.queues.forEach((q) => {
        const obs = sim.observe(q.id)!;
        assert.equal(obs.onQueueIdle + obs.onQueueInteracting, q.agents.count, 'on-queue agents are IDLE or INTERACTING');
        assert.equal(obs.offQueue, 0, 'no staffing change in this scenario');
        assert.ok(obs.interacting >= obs.onQueueInteracting, 'an INTERACTING agent holds at least one conversation');
        assert.ok(obs.interacting <= obs.onQueueInteracting * scenario.service.concurrency, 'and at most `concurrency`');
        if (obs.waiting > 0) assert.equal(obs.onQueueIdle, 0, 'nobody waits while an agent is idle');
        waiting += obs.waiting;
        idle += obs.onQueueIdle;
      });
      assert.equal(waiting, totals.waiting);
      assert.equal(idle, totals.agentsIdle);
      sawWaiting ||= waiting > 200;
    }
    assert.ok(sawWaiting, 'oscillation takes waiting above the tier-2 threshold (200)');
  });

  it('follows the staffing schedule: agents leave (busy ones drain) and come back', () => {
    const scenario = loadScenario('genesys-brownout');
    const sim = createContactCenter({ scenario });
    const onQueue = () => scenario.queues.reduce((sum, q) => sum + sim.observe(q.id)!.onQueueIdle + sim.observe(q.id)!.onQueueInteracting, 0);
    sim.advanceTo(39 * MINUTE);
    assert.equal(onQueue(), 160);
    sim.advanceTo(40 * MINUTE + 1);
    assert.equal(onQueue(), 64 + 43);
    assert.ok(scenario.queues.some((q) => (sim.observe(q.id)!.offQueue ?? 0) > 0), 'busy agents drain rather than vanish');
    sim.advanceTo(56 * MINUTE);
    assert.equal(onQueue(), 160);
  });

  it('flash-sale-10x: without tiers the bot errors and the platform drops; with the tier plan neither happens', () => {
    const scenario = loadScenario('flash-sale-10x');
    const none = summarise(runToEnd(createContactCenter({ scenario })));
    const planned = summarise(runToEnd(createContactCenter({ scenario, controls: createPlannedControls(scenario.tierPlan) })));
    assert.ok(none.outcomes.errored > 1000, `errors without tiers: ${none.outcomes.errored}`);
    assert.ok(none.outcomes.dropped > 1000, `drops without tiers: ${none.outcomes.dropped}`);
    assert.equal(planned.outcomes.errored, 0);
    assert.equal(planned.outcomes.dropped, 0);
    assert.ok(planned.tierMinutes[1] > 0 && planned.tierMinutes[2] > 0 && planned.tierMinutes[3] > 0);
    // Tiers reduce waiting.
    assert.ok(planned.peakWaiting < none.peakWaiting / 3, `peak waiting ${planned.peakWaiting} vs ${none.peakWaiting}`);
    assert.ok(planned.waits.meanWaitSeconds < none.waits.meanWaitSeconds / 3);
    assert.ok(planned.outcomes.abandoned < none.outcomes.abandoned / 10);
    assert.ok(planned.waits.serviceLevel > none.waits.serviceLevel);
    // Tiers 1-2 alone clear the bot limit; the platform then runs just under its connection limit (a few seeds
    // in 30 still drop a handful), which is why the plan adds tier 3 over the peak.
    const tiers12 = summarise(runToEnd(createContactCenter({ scenario, controls: createFixedControls({ tier1: true, tier2: true }) })));
    assert.equal(tiers12.outcomes.errored, 0);
    assert.ok(tiers12.outcomes.dropped < none.outcomes.dropped / 50, `drops with tiers 1-2: ${tiers12.outcomes.dropped}`);
  });

  it('the bot limit produces errors without tier 1, and tier 1 (shorter, async-first sessions) clears them', () => {
    const scenario = variant({
      name: 'bot-limit',
      durationMinutes: 60,
      arrivals: { baselinePerMinute: 45, profile: [{ fromMinute: 10, toMinute: 60, shape: 'constant', multiplier: 5 }] },
      bot: { concurrencyLimit: 400, sessionSeconds: 120, boostedSessionSeconds: 45, containment: { normal: 0.25, boosted: 0.6 }, lowUrgencyShare: 0.6 },
      platform: {},
    });
    const without = runToEnd(createContactCenter({ scenario })).outcomes();
    const withTier1 = runToEnd(createContactCenter({ scenario, controls: createFixedControls({ tier1: true }) })).outcomes();
    assert.ok(without.errored > 500, `errors without tier 1: ${without.errored}`);
    assert.equal(withTier1.errored, 0);
    assert.ok(withTier1.containedByBot > without.containedByBot, 'tier 1 contains more');
  });

  it('tier 2 deflects a share of new chats by channel before the bot', () => {
    const scenario = loadScenario('steady-day');
    const o = runToEnd(createContactCenter({ scenario, controls: createFixedControls({ tier2: true }) })).outcomes();
    const offered = o.arrivals;
    const accepted = o.deflected.email + o.deflected.callback + o.deflected.faq;
    assert.ok(Math.abs(accepted / offered - scenario.deflection.tier2AcceptShare) < 0.03, `accepted ${accepted}/${offered}`);
    assert.ok(o.deflected.email > o.deflected.callback, 'channel weights 0.4/0.2/0.4');
    assert.equal(o.deflected.notice + o.deflected['fallback-page'], 0);
  });

  it('tier 3 cuts new chat starts to a small fraction while open conversations go on; tier 4 stops them all', () => {
    const scenario = loadScenario('steady-day');
    const controls = createSwitchableControls();
    const sim = createContactCenter({ scenario, controls });
    sim.advanceTo(60 * MINUTE);
    const interactingBefore = sim.totals().interacting;
    const before = sim.outcomes();
    controls.set({ tier3: true });
    sim.advanceTo(61 * MINUTE);
    assert.equal(sim.outcomes().dropped, 0);
    assert.ok(sim.totals().interacting > interactingBefore * 0.8, 'live conversations are not cut by tier 3');
    sim.advanceTo(120 * MINUTE);
    const during = sim.outcomes();
    const arrivals = during.arrivals - before.arrivals;
    const started = arrivals - (during.deflected.notice - before.deflected.notice);
    assert.ok(Math.abs(started / arrivals - scenario.deflection.tier3StartFraction) < 0.05, `started ${started}/${arrivals}`);
    assert.ok(sim.tiers().tier3);

    controls.set({ tier4: true });
    sim.advanceTo(121 * MINUTE);
    const startOf4 = sim.outcomes();
    sim.advanceTo(150 * MINUTE);
    const end = sim.outcomes();
    assert.equal(end.deflected['fallback-page'] - startOf4.deflected['fallback-page'], end.arrivals - startOf4.arrivals, 'tier 4: every arrival gets the fallback page');
    assert.deepEqual(sim.timeSeries().at(-1)!.activeTiers, [3, 4]);
  });

  it('refuses to move simulated time backwards', () => {
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    sim.advanceTo(10 * MINUTE);
    assert.throws(() => sim.advanceTo(5 * MINUTE), /never goes back/);
  });

  it('counts only conversations arriving after resetStats() (warm-up)', () => {
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    sim.advanceTo(30 * MINUTE);
    sim.resetStats();
    assert.equal(sim.outcomes().arrivals, 0);
    sim.advanceTo(40 * MINUTE);
    const o = sim.outcomes();
    assert.ok(o.arrivals > 0 && o.served <= o.arrivals);
  });
});
