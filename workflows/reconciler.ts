// The reconciler: given what every actuator should hold (from the policy's tiers and the config) and what was
// observed, decide which writes to make and which drifts to record. Pure (no Temporal import): the workflow
// does the I/O, table-driven tests (test/reconciler.test.ts) pin every rule.
//
// `known` is what the controller last confirmed for each actuator: an observation, or its own write that
// succeeded. A read that disagrees with `known` was made by someone else (drift): it is recorded, alerted once,
// and re-asserted. Only where what is there differs from what should be is a write made.
import { actuatorTargets, type ActuatorTarget } from './actuation';
import type { ActuatorRead, Observation, ObservedValue } from './observation';
import type { EventConfig, PolicyState, TierNumber } from './types';

export interface DesiredActuator {
  id: string;
  /** The tier it serves; null for the flags row, which serves every tier. */
  tier: TierNumber | null;
  /** Canonical value it should hold (see ObservedValue). */
  desired: string;
  /** Canonical value when the event is not running (every tier off). */
  normal: string;
  read: ActuatorRead;
  /** What the write needs (payloads, versions). */
  target: ActuatorTarget;
}

export interface Drift {
  id: string;
  tier: TierNumber | null;
  /** What the controller had confirmed. */
  expected: ObservedValue;
  observed: ObservedValue;
}

export interface ReconcileInput {
  actuators: DesiredActuator[];
  /** Last confirmed value per actuator ID (absent: never confirmed). */
  known: Record<string, ObservedValue>;
  /** This poll's reads; an actuator absent here (not read this poll) or failed is judged by `known`. */
  observed: Observation['actuators'];
  /** Actuators whose drift has been alerted and not yet seen corrected. */
  openDrifts: string[];
}

export interface ReconcilePlan {
  known: Record<string, ObservedValue>;
  /** Actuators to write, in the order given. */
  writes: DesiredActuator[];
  /** Drifts newly seen this poll (each to be recorded). */
  drifts: Drift[];
  /** Drifts to alert about: newly seen, not already open. */
  alertDrifts: Drift[];
  openDrifts: string[];
  /** Drifts that closed this poll (observed back at the desired value). */
  closedDrifts: string[];
}

/** Every site-wide actuator of the event with the value it should hold for `state`'s tiers. */
export function desiredActuators(config: EventConfig, state: PolicyState): DesiredActuator[] {
  return actuatorTargets(config, state).map((target): DesiredActuator => {
    if (target.tier === null) {
      return {
        id: target.id,
        tier: null,
        desired: target.fingerprint,
        normal: '0000',
        read: { id: target.id, kind: 'flags-row', datatableId: target.datatableId, rowKey: target.row.key },
        target,
      };
    }
    const a = target.actuator;
    const on = target.desired;
    switch (a.kind) {
      case 'edgeFlag':
        return { id: target.id, tier: target.tier, desired: on ? 'true' : 'false', normal: 'false', read: { id: target.id, kind: 'kv', key: a.key }, target };
      case 'flowVersion':
        return { id: target.id, tier: target.tier, desired: on ? a.surgeVersion : a.normalVersion, normal: a.normalVersion, read: { id: target.id, kind: 'flow', flowId: a.flowId }, target };
      case 'messengerDeployment':
        return {
          id: target.id,
          tier: target.tier,
          desired: on ? a.surgeConfigurationVersion : a.normalConfigurationVersion,
          normal: a.normalConfigurationVersion,
          read: { id: target.id, kind: 'deployment', deploymentId: a.deploymentId },
          target,
        };
      case 'dataTableFlag':
        // actuatorTargets folds these into the one flags-row target; never reached.
        throw new Error(`dataTableFlag ${target.id} is served by the flags row`);
    }
  });
}

/** Reads that may run at a short interval (KV through the Cloudflare API) versus Genesys reads (token budget). */
export function isCheapRead(read: ActuatorRead): boolean {
  return read.kind === 'kv';
}

/** The value an actuator holds as far as the controller can tell: this poll's read if it worked, else `known`. */
export function currentValue(id: string, known: Record<string, ObservedValue>, observed: Observation['actuators']): ObservedValue | undefined {
  const part = observed[id];
  if (part?.ok) return part.value;
  return id in known ? known[id] : undefined;
}

export function reconcile(input: ReconcileInput): ReconcilePlan {
  const known = { ...input.known };
  const open = new Set(input.openDrifts);
  const writes: DesiredActuator[] = [];
  const drifts: Drift[] = [];
  const alertDrifts: Drift[] = [];
  const closedDrifts: string[] = [];
  for (const a of input.actuators) {
    const part = input.observed[a.id];
    if (part?.ok) {
      if (a.id in known && known[a.id] !== part.value) {
        const drift: Drift = { id: a.id, tier: a.tier, expected: known[a.id] ?? null, observed: part.value };
        drifts.push(drift);
        if (!open.has(a.id)) alertDrifts.push(drift);
        open.add(a.id);
      } else if (open.has(a.id) && part.value === a.desired) {
        open.delete(a.id);
        closedDrifts.push(a.id);
      }
      known[a.id] = part.value;
    }
    // Unknown (never read, read failed): write, so the desired state is asserted rather than assumed.
    const value = currentValue(a.id, known, input.observed);
    if (value === undefined || value !== a.desired) writes.push(a);
  }
  return { known, writes, drifts, alertDrifts, openDrifts: [...open], closedDrifts };
}

/** After a write that succeeded: the actuator holds what was written. */
export function confirmWrite(known: Record<string, ObservedValue>, a: DesiredActuator): Record<string, ObservedValue> {
  return { ...known, [a.id]: a.desired };
}

/** Actuators not observed at their normal value: what the end's restore loop waits for. */
export function notNormal(actuators: DesiredActuator[], observed: Observation['actuators']): { actuator: DesiredActuator; observed: ObservedValue | undefined; error?: string }[] {
  return actuators.flatMap((a) => {
    const part = observed[a.id];
    if (part?.ok && part.value === a.normal) return [];
    return [{ actuator: a, observed: part?.ok ? part.value : undefined, ...(part && !part.ok ? { error: part.error } : {}) }];
  });
}

/** The exact manual step that puts an actuator back to normal when the controller could not. */
export function manualFix(a: DesiredActuator): string {
  const r = a.read;
  switch (r.kind) {
    case 'kv':
      return `npx wrangler kv key put ${r.key} ${a.normal} --namespace-id=<CLOUDFLARE_KV_NAMESPACE_ID> --remote`;
    case 'flags-row':
      return `Genesys Cloud Admin > Architect > Data Tables > ${r.datatableId}: edit row "${r.rowKey}", set tier1Active..tier4Active to false`;
    case 'flow':
      return `Genesys Cloud Architect: open flow ${r.flowId} and publish version ${a.normal} (or POST /api/v2/flows/actions/publish?flow=${r.flowId} with version ${a.normal})`;
    case 'deployment':
      return `Genesys Cloud Admin > Message > Messenger Deployments > ${r.deploymentId}: select configuration version ${a.normal} and save`;
  }
}
