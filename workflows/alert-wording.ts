// What operators read in alert emails: subjects and bodies for every alert the surgeEvent workflow sends.
// Pure: the workflow decides when, this module says what.
import type { Drift, DesiredActuator } from './reconciler';
import { manualFix } from './reconciler';
import { TIER_DESCRIPTIONS } from './tiers';
import type { AlertMessage, PolicyAction } from './types';
import type { ObservedValue } from './observation';

export interface AlertText {
  kind: AlertMessage['kind'];
  subject: string;
  body: string;
}

/** The alert for one policy action, or null when it needs none. */
export function policyActionAlert(action: PolicyAction, dryRun: boolean): AlertText | null {
  if (action.type === 'transition') {
    const t = action.transition;
    const numbers = t.waiting === null ? '' : ` Waiting ${t.waiting}, agents available ${t.agentsAvailable}.`;
    return {
      kind: 'transition',
      subject: `tier ${t.tier} ${t.to ? 'ACTIVATED' : 'restored'} (${TIER_DESCRIPTIONS[t.tier].name})`,
      body: `${t.to ? 'Activated' : 'Restored'} tier ${t.tier} at ${t.at} by ${t.by} (${t.cause}): ${t.reason}.${numbers}${dryRun ? ' DRY RUN: no actuator was called.' : ''}`,
    };
  }
  if (action.type === 'recommend') {
    const r = action.recommendation;
    return {
      kind: 'recommendation',
      subject: `approve tier ${r.tier}? (${r.action})`,
      body: `The rule for tier ${r.tier} is met: ${r.reason}. Tier ${r.tier} is manual: an operator decides (force it on, or leave it).`,
    };
  }
  if (action.condition === 'controller-misconfigured') {
    // The controller's own mistake: one alert naming the fix; tiers are held and tier 4 never counts it.
    return { kind: 'metrics', subject: action.raised ? 'controller misconfigured: tiers held' : 'controller observes the platform again', body: action.message };
  }
  if (action.condition === 'metrics-unavailable') return { kind: 'metrics', subject: action.raised ? 'queue metrics unavailable' : 'queue metrics back', body: action.message };
  if (action.condition.startsWith('actuator-failed')) {
    return { kind: 'actuator-failure', subject: action.raised ? `actuator failing (${action.condition})` : `actuator recovered (${action.condition})`, body: action.message };
  }
  return null;
}

const shown = (v: ObservedValue | undefined) => (v === undefined ? 'unreadable' : v === null ? 'absent' : JSON.stringify(v));

export function driftAlert(drift: Drift, desired: string, dryRun: boolean, at: string): AlertText {
  return {
    kind: 'actuator-failure',
    subject: `${drift.id} changed outside the controller`,
    body:
      `At ${at} ${drift.id} read ${shown(drift.observed)}; the controller had set ${shown(drift.expected)} and wants ${JSON.stringify(desired)}. ` +
      (dryRun ? 'DRY RUN: reported only, nothing re-asserted.' : 'The controller re-asserts it now; if someone keeps changing it, find who (another tool, another event) and stop them.'),
  };
}

export function endedWithFailuresAlert(left: { actuator: DesiredActuator; observed: ObservedValue | undefined; error?: string }[], attempts: number): AlertText {
  const lines = left.map(
    ({ actuator, observed, error }) => `- ${actuator.id}: reads ${shown(observed)}${error ? ` (${error})` : ''}, should be ${JSON.stringify(actuator.normal)}. Fix by hand: ${manualFix(actuator)}`,
  );
  return {
    kind: 'event',
    subject: `EVENT ENDED WITH ${left.length} ACTUATOR(S) NOT RESTORED`,
    body: [`The event is over but after ${attempts} restore attempts these actuators are not observed normal. Customers may still see a surge tier.`, ...lines].join('\n'),
  };
}
