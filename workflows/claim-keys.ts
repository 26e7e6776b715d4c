// Which site-wide actuators an event drives, as ownership claims: one per KV key, flags row, flow and Messenger
// deployment, each with the deterministic workflow ID `actuator-claim-<kind>-<id>` that Temporal lets only one
// running execution hold. Pure (no Temporal import): the client claims these before it starts an event
// (client/actuator-claims.ts), the event releases them at its end; test/claim-keys.test.ts pins the table.
//
// KV keys are claimed by key alone, not per Cloudflare namespace: the namespace lives in the worker's environment
// (CLOUDFLARE_KV_NAMESPACE_ID), which a client does not know, and one deployment drives one namespace. Two events
// in different namespaces sharing a key would be refused together: the safe side of the mistake.
import type { EventConfig } from './types';

export interface ActuatorClaimKey {
  /** The claim workflow's ID: `actuator-claim-<kind>-<id>`. */
  workflowId: string;
  /** The actuator in operators' words, e.g. `chat_surge_active (KV)`. */
  actuator: string;
}

export const ACTUATOR_CLAIM_PREFIX = 'actuator-claim-';

/** Every site-wide actuator `config` drives, once each, in a stable order. A dry run drives (and claims) none. */
export function actuatorClaimKeys(config: Pick<EventConfig, 'actuators' | 'dataTable' | 'dryRun'>): ActuatorClaimKey[] {
  if (config.dryRun) return [];
  const keys = new Map<string, string>();
  const add = (kind: string, id: string, actuator: string) => keys.set(`${ACTUATOR_CLAIM_PREFIX}${kind}-${id}`, actuator);
  for (const tier of [1, 2, 3, 4] as const) {
    for (const a of config.actuators[tier]) {
      switch (a.kind) {
        case 'edgeFlag':
          add('kv', a.key, `${a.key} (KV)`);
          break;
        case 'flowVersion':
          add('flow', a.flowId, `flow ${a.flowId}`);
          break;
        case 'messengerDeployment':
          add('deployment', a.deploymentId, `Messenger deployment ${a.deploymentId}`);
          break;
        case 'dataTableFlag':
          // Served by the one flags row below (workflows/actuation.ts), which is written whenever dataTable is set.
          break;
      }
    }
  }
  // The flags row is written at the start and end of every event with a dataTable, whether or not a tier names it.
  if (config.dataTable) add('flags-row', `${config.dataTable.datatableId}-${config.dataTable.rowKey}`, `flags row "${config.dataTable.rowKey}" of data table ${config.dataTable.datatableId}`);
  return [...keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workflowId, actuator]) => ({ workflowId, actuator }));
}
