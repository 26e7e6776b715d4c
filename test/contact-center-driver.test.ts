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
