// The real-time driver: wall-clock time maps to simulated time at the acceleration factor.
import { strict as assert } from 'node:assert';
import { startLiveContactCenter } from '../sandbox/contact-center';
import { createRealtimeDriver } from '../sandbox/contact-center/realtime-driver';
import { createContactCenter } from '../sandbox/contact-center/simulator';
import { loadScenario } from '../sandbox/scenarios/load';

describe('contact-center: real-time driver', () => {
  it('advances the simulation by wall time x acceleration, and stops at the end', () => {
    let wall = 1_000;
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    let finished = 0;
    const driver = createRealtimeDriver({ sim, acceleration: 60, clock: () => wall, untilSimMs: sim.durationMs, onFinish: () => finished++ });
    wall += 1_000; // one wall second = one simulated minute
    assert.equal(driver.tick(), 60_000);
    assert.equal(sim.now(), 60_000);
    assert.ok(sim.outcomes().arrivals > 0);
    wall += 500;
    assert.equal(driver.tick(), 90_000);
    wall += 10 * 3600_000; // far past the end
    assert.equal(driver.tick(), sim.durationMs);
    assert.ok(driver.finished);
    driver.tick();
    assert.equal(finished, 1);
  });

  it('with loop, restarts the scenario at minute 0 on a fresh simulator each cycle and never finishes', () => {
    let wall = 0;
    const scenario = loadScenario('steady-day');
    const sims = [createContactCenter({ scenario })];
    const cycles: number[] = [];
    const driver = createRealtimeDriver({
      sim: sims[0]!,
      acceleration: 60,
      clock: () => wall,
      untilSimMs: sims[0]!.durationMs,
      loop: (cycle) => {
        cycles.push(cycle);
        sims.push(createContactCenter({ scenario }));
        return sims.at(-1)!;
      },
    });
    const cycleWallMs = sims[0]!.durationMs / 60;
    wall = cycleWallMs - 1_000;
    assert.equal(driver.tick(), sims[0]!.durationMs - 60_000);
    wall = cycleWallMs + 2_000; // two simulated minutes into the second run
    assert.equal(driver.tick(), 120_000);
    assert.deepEqual(cycles, [1]);
    assert.equal(driver.cycle, 1);
    assert.equal(sims[1]!.now(), 120_000, 'the fresh simulator carries on from its own minute 0');
    wall = 3 * cycleWallMs + 500; // a process that slept through a cycle skips it
    assert.equal(driver.tick(), 30_000);
    assert.deepEqual(cycles, [1, 3]);
    assert.equal(driver.finished, false);
  });

  it('refuses loop without a finite end', () => {
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    assert.throws(() => createRealtimeDriver({ sim, acceleration: 60, loop: () => sim }), /loop needs a finite untilSimMs/);
  });

  it('runs on a timer when started and stops cleanly', async () => {
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    const driver = createRealtimeDriver({ sim, acceleration: 600, tickMs: 5 });
    driver.start();
    assert.ok(driver.running);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (sim.now() > 0) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    driver.stop();
    assert.equal(driver.running, false);
  });

  it('rejects a non-positive acceleration', () => {
    const sim = createContactCenter({ scenario: loadScenario('steady-day') });
    assert.throws(() => createRealtimeDriver({ sim, acceleration: 0 }), /acceleration must be > 0/);
  });
});

describe('contact-center: startLiveContactCenter', () => {
  it('starts a scenario in accelerated real time and exposes the live MetricsSource', async () => {
    const { sim, driver } = startLiveContactCenter({ scenario: 'steady-day', acceleration: 6_000 });
    try {
      await new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (sim.now() >= 10 * 60_000) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
      const observation = sim.observe('q-orders');
      assert.ok(observation && observation.interacting > 0);
    } finally {
      driver.stop();
    }
  });
});
