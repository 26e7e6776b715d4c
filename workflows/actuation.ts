// What every actuator should look like given the tiers' desired state. The workflow compares this with
// what the actuators last confirmed and calls only those that differ: a failed call stays different and
// is retried on the next poll, a confirmed one is never repeated.
import { TIERS, type ActuatorConfig, type EventConfig, type FlagsRow, type PolicyState, type TierNumber } from './types';

export type ActuatorTarget =
  | { id: string; tier: TierNumber; desired: boolean; fingerprint: string; actuator: ActuatorConfig }
  | { id: 'flags-row'; tier: null; fingerprint: string; row: Omit<FlagsRow, 'updatedAt'>; datatableId: string };

export function actuatorTargets(config: EventConfig, state: PolicyState): ActuatorTarget[] {
  const targets: ActuatorTarget[] = [];
  for (const tier of TIERS) {
    const desired = state.tiers[tier].active;
    config.actuators[tier].forEach((actuator, index) => {
      // The flags row is one write covering every tier, planned once below.
      if (actuator.kind === 'dataTableFlag') return;
      targets.push({ id: actuatorId(tier, index, actuator), tier, desired, fingerprint: desired ? 'on' : 'off', actuator });
    });
  }
  if (config.dataTable) {
    const sample = state.lastSample?.ok ? state.lastSample : null;
    const flags = {
      tier1Active: state.tiers[1].active,
      tier2Active: state.tiers[2].active,
      tier3Active: state.tiers[3].active,
      tier4Active: state.tiers[4].active,
    };
    targets.push({
      id: 'flags-row',
      tier: null,
      // Only the flags decide whether the row is rewritten; the numbers ride along with each write.
      fingerprint: TIERS.map((t) => (state.tiers[t].active ? '1' : '0')).join(''),
      row: { key: config.dataTable.rowKey, ...flags, waiting: sample?.waiting ?? 0, agentsAvailable: sample?.agentsAvailable ?? 0 },
      datatableId: config.dataTable.datatableId,
    });
  }
  return targets;
}

export function actuatorId(tier: TierNumber, index: number, actuator: ActuatorConfig): string {
  switch (actuator.kind) {
    case 'flowVersion':
      return `tier${tier}:flow:${actuator.flowId}`;
    case 'edgeFlag':
      return `tier${tier}:kv:${actuator.key}`;
    case 'messengerDeployment':
      return `tier${tier}:deployment:${actuator.deploymentId}`;
    case 'dataTableFlag':
      return `tier${tier}:datatable:${index}`;
  }
}

/** Whether every actuator serving `tier` has confirmed the tier's desired state. */
export function tierApplied(targets: ActuatorTarget[], applied: Record<string, string>, tier: TierNumber): boolean {
  return targets.every((t) => (t.tier !== tier && t.tier !== null) || applied[t.id] === t.fingerprint);
}
