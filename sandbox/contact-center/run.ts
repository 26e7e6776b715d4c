// Runs a scenario to its end and prints the summary, the per-minute series (every Nth minute) and the
// simulation speed. `npx tsx sandbox/contact-center/run.ts flash-sale-10x [--tiers none|plan|1,2,3] [--seed N] [--every 5]`
import { loadScenario, ScenarioError } from '../scenarios/load';
import type { Scenario } from '../scenarios/schema';
import { createFixedControls, createPlannedControls } from './controls';
import { summarise } from './report';
import { createContactCenter } from './simulator';
import type { ControlsSource } from './types';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const name = process.argv[2];
if (!name || name.startsWith('--')) {
  console.error('usage: run.ts <scenario name or path> [--tiers none|plan|1,2,3] [--seed N] [--every minutes]');
  process.exit(2);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let scenario: Scenario;
try {
  scenario = loadScenario(name);
} catch (err) {
  fail(err instanceof ScenarioError ? err.message : String(err));
}
const tiersArg = arg('tiers') ?? 'none';
let controls: ControlsSource;
if (tiersArg === 'plan') controls = createPlannedControls(scenario.tierPlan);
else if (tiersArg === 'none') controls = createFixedControls({});
else {
  const tiers = tiersArg.split(',').map(Number);
  if (tiers.some((t) => ![1, 2, 3, 4].includes(t))) fail(`--tiers: expected none, plan or a list of 1-4 such as 1,2 (got "${tiersArg}")`);
  const on = new Set(tiers);
  controls = createFixedControls({ tier1: on.has(1), tier2: on.has(2), tier3: on.has(3), tier4: on.has(4) });
}
const seedArg = arg('seed');
if (seedArg !== undefined && !/^\d+$/.test(seedArg)) fail(`--seed: expected a non-negative integer (got "${seedArg}")`);
const every = Number(arg('every') ?? 10);
if (!Number.isInteger(every) || every < 1) fail(`--every: expected a whole number of minutes >= 1 (got "${arg('every')}")`);

const started = performance.now();
const sim = createContactCenter({ scenario, controls, seed: seedArg === undefined ? undefined : Number(seedArg) });
sim.advanceTo(sim.durationMs);
const elapsedMs = performance.now() - started;

console.log('minute waiting idle interacting bot open arrivals abandoned errored dropped deflected tiers');
for (const s of sim.timeSeries().filter((s) => s.minute % every === 0)) {
  console.log(
    [s.minute, s.waiting, s.agentsIdle, s.interacting, s.botSessions, s.openConversations, s.arrivals, s.abandoned, s.errored, s.dropped, s.deflected, s.activeTiers.join('+') || '-']
      .map(String)
      .join('\t'),
  );
}
const summary = summarise(sim);
console.log(JSON.stringify({ scenario: scenario.name, tiers: tiersArg, ...summary }, null, 2));
console.log(`${summary.eventsProcessed} events in ${elapsedMs.toFixed(0)} ms: ${((summary.eventsProcessed / elapsedMs) * 1000).toFixed(0)} simulated events/s`);
