// The pure derivation of the actuators an event claims (workflows/claim-keys.ts), table-driven.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { actuatorClaimKeys } from '../workflows/claim-keys';
import type { EventConfig } from '../workflows/types';

type Input = Parameters<typeof actuatorClaimKeys>[0];
const none: EventConfig['actuators'] = { 1: [], 2: [], 3: [], 4: [] };
const flow = { kind: 'flowVersion', flowId: 'flow-inbound', surgeVersion: '2.0', normalVersion: '1.0' } as const;
const deployment = { kind: 'messengerDeployment', deploymentId: 'dep-1', surgeConfigurationVersion: '7', normalConfigurationVersion: '6' } as const;
const kv = (key: 'chat_surge_active' | 'chat_fallback_active') => ({ kind: 'edgeFlag', key }) as const;

const cases: { name: string; input: Input; expected: [string, string][] }[] = [
  { name: 'no actuators, no data table: nothing to claim', input: { actuators: none, dryRun: false }, expected: [] },
  {
    name: 'a data table alone: its row (written at every start and end)',
    input: { actuators: none, dataTable: { datatableId: 'dt-flags', rowKey: 'surge-ev1' }, dryRun: false },
    expected: [['actuator-claim-flags-row-dt-flags-surge-ev1', 'flags row "surge-ev1" of data table dt-flags']],
  },
  {
    name: 'every kind once, sorted by claim ID; dataTableFlag tiers share the one row',
    input: {
      actuators: { 1: [{ kind: 'dataTableFlag' }], 2: [{ kind: 'dataTableFlag' }, flow], 3: [kv('chat_surge_active'), deployment], 4: [kv('chat_fallback_active')] },
      dataTable: { datatableId: 'dt-flags', rowKey: 'row' },
      dryRun: false,
    },
    expected: [
      ['actuator-claim-deployment-dep-1', 'Messenger deployment dep-1'],
      ['actuator-claim-flags-row-dt-flags-row', 'flags row "row" of data table dt-flags'],
      ['actuator-claim-flow-flow-inbound', 'flow flow-inbound'],
      ['actuator-claim-kv-chat_fallback_active', 'chat_fallback_active (KV)'],
      ['actuator-claim-kv-chat_surge_active', 'chat_surge_active (KV)'],
    ],
  },
  {
    name: 'one actuator named by two tiers is claimed once',
    input: { actuators: { ...none, 2: [flow], 3: [flow, kv('chat_surge_active')], 4: [kv('chat_surge_active')] }, dryRun: false },
    expected: [
      ['actuator-claim-flow-flow-inbound', 'flow flow-inbound'],
      ['actuator-claim-kv-chat_surge_active', 'chat_surge_active (KV)'],
    ],
  },
  {
    name: 'two events with different flags rows do not collide',
    input: { actuators: none, dataTable: { datatableId: 'dt-flags', rowKey: 'surge-ev2' }, dryRun: false },
    expected: [['actuator-claim-flags-row-dt-flags-surge-ev2', 'flags row "surge-ev2" of data table dt-flags']],
  },
  {
    name: 'a dry run writes nothing, so claims nothing',
    input: { actuators: { ...none, 3: [kv('chat_surge_active')] }, dataTable: { datatableId: 'dt-flags', rowKey: 'r' }, dryRun: true },
    expected: [],
  },
];

describe('actuatorClaimKeys (what an event owns)', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        actuatorClaimKeys(c.input).map((k) => [k.workflowId, k.actuator]),
        c.expected,
      );
    });
  }
});
