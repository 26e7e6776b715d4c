// Ready-made ControlsSources. In the local stack the real one reads the Genesys sandbox's data-table row and
// flow versions and the Cloudflare sandbox's KV flags; these serve scripted drills and tests.
import type { Scenario } from '../scenarios/schema';
import { NO_TIERS, type ControlsSource, type TierControls } from './types';

export function createFixedControls(tiers: Partial<TierControls>): ControlsSource {
  const fixed = { ...NO_TIERS, ...tiers };
  return { controls: () => fixed };
}

/** Follows the scenario's `tierPlan`: what an operator pre-arming a planned event would switch on, and when. */
export function createPlannedControls(plan: Scenario['tierPlan']): ControlsSource {
  return {
    controls(simTimeMs) {
      const minute = simTimeMs / 60_000;
      const on = (tier: number) => plan.some((w) => w.tier === tier && minute >= w.fromMinute && minute < w.toMinute);
      return { tier1: on(1), tier2: on(2), tier3: on(3), tier4: on(4) };
    },
  };
}

/** Lets a caller (a dashboard, a drill script, the stack) set tiers by hand. */
export function createSwitchableControls(initial: Partial<TierControls> = {}): ControlsSource & { set(tiers: Partial<TierControls>): void } {
  let current: TierControls = { ...NO_TIERS, ...initial };
  return {
    controls: () => current,
    set(tiers) {
      current = { ...current, ...tiers };
    },
  };
}
