// A fake world as a site in service holds it (bench/scale-worker.ts, the dev-server tests).
import type { FakeWorld } from './fake-world';
import { testEventConfig } from './event-config';
import { initialPolicyState } from '../../workflows/policy';
import { desiredActuators } from '../../workflows/reconciler';

/**
 * A site in service: every actuator already holds its normal value (the deployment or the last event left it so),
 * so an event's first poll reads normal and writes nothing, as every event after a site's first one does. An empty
 * world instead makes every event assert normal at its first poll (each its own flags row).
 */
export function seedNormal(world: FakeWorld): void {
  const normalFor = (rowKey: string) => {
    const config = testEventConfig({ pollIntervalSeconds: 10, dataTable: { datatableId: 'dt-surge-flags', rowKey } });
    return desiredActuators(config, initialPolicyState(config, new Date().toISOString()));
  };
  for (const a of normalFor('surge-seed')) {
    if (a.target.tier !== null && a.target.actuator.kind === 'edgeFlag') world.edgeFlags.set(a.target.actuator.key, false);
  }
  const stored = world.flagsRow.bind(world);
  // Built once per row key: the bench reads each event's row every minute, and that read is in the worker's CPU.
  const normalRows = new Map<string, ReturnType<FakeWorld['flagsRow']>>();
  world.flagsRow = (rowKey) => {
    const row = stored(rowKey);
    if (row) return row;
    if (!normalRows.has(rowKey)) {
      const t = normalFor(rowKey).find((a) => a.target.tier === null)?.target;
      normalRows.set(rowKey, t?.tier === null ? { ...t.row, updatedAt: new Date(0).toISOString() } : undefined);
    }
    return normalRows.get(rowKey);
  };
}
