// The default organisation the local stack and the demo event use.
import type { SandboxSeed } from './types';

export const SANDBOX_CLIENT_ID = 'sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';

export const FLAGS_TABLE_COLUMNS = [
  { name: 'tier1Active', type: 'boolean' },
  { name: 'tier2Active', type: 'boolean' },
  { name: 'tier3Active', type: 'boolean' },
  { name: 'tier4Active', type: 'boolean' },
  { name: 'waiting', type: 'integer' },
  { name: 'agentsAvailable', type: 'integer' },
  { name: 'updatedAt', type: 'string' },
] as const;

export function defaultSeed(): SandboxSeed {
  return {
    clients: [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }],
    queues: [
      { id: 'q-sales', name: 'Sales Messaging', memberCount: 12 },
      { id: 'q-support', name: 'Support Messaging', memberCount: 20 },
    ],
    flows: [
      {
        id: 'flow-inbound-message',
        name: 'Inbound Web Messaging',
        type: 'inboundshortmessage',
        versions: [
          { id: '1.0', name: 'normal routing' },
          { id: '2.0', name: 'surge: offer email/callback/FAQ before queueing' },
        ],
        publishedVersion: '1.0',
      },
      {
        id: 'flow-bot',
        name: 'Messaging Bot',
        type: 'digitalbot',
        versions: [
          { id: '1.0', name: 'normal containment' },
          { id: '2.0', name: 'surge: async answers for low-urgency intents' },
        ],
        publishedVersion: '1.0',
      },
    ],
    dataTables: [{ id: 'dt-surge-flags', name: 'Surge flags', columns: FLAGS_TABLE_COLUMNS.map((c) => ({ ...c })), rows: [] }],
    messengerConfigurations: [{ id: 'cfg-web-messenger', name: 'Storefront Messenger', versions: ['1', '2'] }],
    webDeployments: [
      { id: 'wd-storefront', name: 'Storefront', configurationId: 'cfg-web-messenger', configurationVersion: '1', flowId: 'flow-inbound-message' },
    ],
    metrics: {
      'q-sales': { waiting: 0, interacting: 4, onQueueIdle: 6, onQueueInteracting: 4, offQueue: 2 },
      'q-support': { waiting: 0, interacting: 8, onQueueIdle: 10, onQueueInteracting: 8, offQueue: 2 },
    },
  };
}
