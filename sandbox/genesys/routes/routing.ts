// GET /api/v2/routing/queues (paged, filterable by id and name) and GET /api/v2/routing/queues/{queueId}.
// Shape as the SDK types it (purecloud-platform-client-v2 262.0.0 index.d.ts: QueueEntityListing {entities,
// pageSize, pageNumber, total, pageCount, ...uris}; RoutingApi.getRoutingQueues opts.id "Include only queues with
// the specified ID(s)", a repeated query parameter). An ID that matches nothing is simply absent from `entities`
// (an empty listing for only unknown IDs), never a 404: the controller's verifyQueues relies on exactly that.
import { notFound } from '../http';
import type { QueueRecord } from '../state';
import type { ApiRoute } from './context';
import { listParam, page } from './context';

function queueBody(q: QueueRecord): Record<string, unknown> {
  return {
    id: q.id,
    name: q.name,
    division: { id: 'div-home', name: 'Home', selfUri: '/api/v2/authorization/divisions/div-home' },
    memberCount: q.memberCount,
    userMemberCount: q.memberCount,
    joinedMemberCount: q.memberCount,
    mediaSettings: { message: { alertingTimeoutSeconds: 30, serviceLevel: { percentage: 0.8, durationMs: 20000 } } },
    dateCreated: q.dateCreated,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  };
}

export const routingRoutes: ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v2/routing/queues',
    permission: 'routing:queue:view',
    handler: ({ state, query }) => {
      const ids = listParam(query, 'id');
      const name = query.get('name');
      const queues = [...state.queues.values()]
        .filter((q) => ids.length === 0 || ids.includes(q.id))
        .filter((q) => !name || q.name.toLowerCase().includes(name.replace(/\*/g, '').toLowerCase()))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { body: page(queues.map(queueBody), query, '/api/v2/routing/queues') };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/routing/queues/:queueId',
    permission: 'routing:queue:view',
    handler: ({ state, params }) => {
      const q = state.queues.get(params.queueId);
      if (!q) throw notFound(`Queue ${params.queueId} not found`);
      return { body: queueBody(q) };
    },
  },
];
