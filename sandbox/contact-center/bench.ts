// Simulation speed: `npx tsx sandbox/contact-center/bench.ts`. Prints simulated events per second for the
// 3-hour flash sale (with and without tiers) and a long Erlang-A style run. Figures, not assertions.
import { createPlannedControls } from './controls';
import { createContactCenter } from './simulator';
import { loadScenario, parseScenario } from '../scenarios/load';
import type { Scenario } from '../scenarios/schema';
import type { ControlsSource } from './types';

function measure(label: string, scenario: Scenario, controls?: ControlsSource, repeats = 5): void {
  createContactCenter({ scenario, controls }).advanceTo(scenario.durationMinutes * 60_000); // JIT warm-up
  let events = 0;
  let ms = 0;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const sim = createContactCenter({ scenario, controls, seed: i + 1 });
    sim.advanceTo(sim.durationMs);
    ms += performance.now() - started;
    events += sim.eventsProcessed();
  }
  const perRun = ms / repeats;
  console.log(`${label}: ${(events / repeats).toFixed(0)} events in ${perRun.toFixed(0)} ms per run, ${((events / ms) * 1000 / 1e6).toFixed(2)} M simulated events/s`);
}

const flash = loadScenario('flash-sale-10x');
measure('flash-sale-10x (180 min), no tiers', flash);
measure('flash-sale-10x (180 min), tier plan', flash, createPlannedControls(flash.tierPlan));
measure('viral-spike-20x (120 min), no tiers', loadScenario('viral-spike-20x'));
measure(
  'M/M/5+M, 1 M arrivals',
  parseScenario({
    name: 'bench-erlang-a',
    durationMinutes: 1_000_000 / 50 / 60,
    arrivals: { baselinePerMinute: 50 * 60 },
    queues: [{ id: 'q', share: 1, agents: { count: 5 } }],
    service: { concurrency: 1, handleTime: { distribution: 'exponential', meanSeconds: 0.1 }, patience: { meanSeconds: 0.2 } },
  }),
  undefined,
  2,
);
