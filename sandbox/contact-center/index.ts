// Public surface of the contact-centre simulator, for the local stack, drills and the Genesys sandbox.
export type { ControlsSource, DeflectionChannel, MetricsSource, MinuteSample, Outcomes, QueueObservation, TierControls, WaitStats } from './types';
export { NO_TIERS, DEFLECTION_CHANNELS } from './types';
export { createContactCenter, type ContactCenter, type ContactCenterOptions } from './simulator';
export { createRealtimeDriver, type RealtimeDriver, type RealtimeDriverOptions } from './realtime-driver';
export { createFixedControls, createPlannedControls, createSwitchableControls } from './controls';
export { erlangA, type ErlangAInput, type ErlangAResult } from './erlang-a';
export { summarise, type RunSummary } from './report';
export { loadScenario, parseScenario, listScenarios, activeApiFaults, ScenarioError } from '../scenarios/load';
export type { Scenario, ApiFault } from '../scenarios/schema';

import { loadScenario } from '../scenarios/load';
import type { Scenario } from '../scenarios/schema';
import { createRealtimeDriver, type RealtimeDriver } from './realtime-driver';
import { createContactCenter, type ContactCenter } from './simulator';
import type { ControlsSource } from './types';

/**
 * The local stack's one call: a contact centre running a scenario in accelerated real time (60x by default:
 * a 3-hour scenario in 3 minutes). Call `driver.stop()` on shutdown.
 */
export function startLiveContactCenter(opts: {
  scenario: string | Scenario;
  controls?: ControlsSource;
  acceleration?: number;
  seed?: number;
  onFinish?: () => void;
}): { sim: ContactCenter; driver: RealtimeDriver; scenario: Scenario } {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  const sim = createContactCenter({ scenario, controls: opts.controls, seed: opts.seed });
  const driver = createRealtimeDriver({ sim, acceleration: opts.acceleration ?? 60, untilSimMs: sim.durationMs, onFinish: opts.onFinish });
  driver.start();
  return { sim, driver, scenario };
}
