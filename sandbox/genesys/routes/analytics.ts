// POST /api/v2/analytics/queues/observations/query: queue observations, grouped as the platform groups them.
import { badRequest, isRecord } from '../http';
import type { MalformedMetricsKind, QueueObservation } from '../types';
import type { ApiContext, ApiReply, ApiRoute } from './context';

const METRICS = ['oActiveUsers', 'oAlerting', 'oInteracting', 'oMemberUsers', 'oOffQueueUsers', 'oOnQueueUsers', 'oUserPresences', 'oUserRoutingStatuses', 'oWaiting'];
const CONVERSATION_METRICS = new Set(['oWaiting', 'oInteracting', 'oAlerting']);
const MEDIA_TYPES = ['voice', 'chat', 'email', 'callback', 'message'];
/** The sandbox enforces the chunk size production code uses (no official figure is published). */
export const MAX_QUEUE_PREDICATES = 100;
const ON_QUEUE_PRESENCE_ID = 'e08eaf1b-ee47-4fa9-a231-1200e284798f';
/** A sandbox-made "Break" presence definition (off-queue users are qualified by presence ID). */
const BREAK_PRESENCE_ID = '5f3c1a2e-7b4d-4e8a-9c61-0d2b8e4f7a13';

interface Predicate {
  dimension: string;
  value: string;
}

/** Collects the dimension predicates from a filter's predicates and nested clauses. */
function collectPredicates(filter: unknown, path: string, out: Predicate[]): void {
  if (!isRecord(filter)) throw badRequest(`${path} must be an object`);
  if (filter.type !== 'and' && filter.type !== 'or') throw badRequest(`${path}.type must be "and" or "or"`);
  const predicates = filter.predicates ?? [];
  const clauses = filter.clauses ?? [];
  if (!Array.isArray(predicates)) throw badRequest(`${path}.predicates must be an array`);
  if (!Array.isArray(clauses)) throw badRequest(`${path}.clauses must be an array`);
  predicates.forEach((p: unknown, i) => {
    const at = `${path}.predicates[${i}]`;
    if (!isRecord(p)) throw badRequest(`${at} must be an object`);
    if (p.type !== undefined && p.type !== 'dimension') throw badRequest(`${at}.type "${String(p.type)}" is not supported here (use "dimension")`);
    if (p.dimension !== 'queueId' && p.dimension !== 'mediaType') throw badRequest(`${at}.dimension must be "queueId" or "mediaType"`);
    if (p.operator !== undefined && p.operator !== 'matches') throw badRequest(`${at}.operator "${String(p.operator)}" is not supported (use "matches")`);
    if (typeof p.value !== 'string' || p.value === '') throw badRequest(`${at}.value must be a non-empty string`);
    out.push({ dimension: p.dimension, value: p.value });
  });
  clauses.forEach((c: unknown, i) => collectPredicates(c, `${path}.clauses[${i}]`, out));
}

function conversationCount(metric: string, o: QueueObservation, mediaType: string): number {
  if (mediaType !== 'message') return 0;
  if (metric === 'oWaiting') return o.waiting;
  if (metric === 'oInteracting') return o.interacting;
  return 0;
}

/** User metrics: qualifiers with a zero count are left out, as the platform does. */
function userData(metric: string, o: QueueObservation): Record<string, unknown>[] {
  const offQueue = o.offQueue ?? 0;
  const onQueue = o.onQueueIdle + o.onQueueInteracting;
  const q = (qualifier: string, count: number) => (count > 0 ? [{ metric, qualifier, stats: { count } }] : []);
  switch (metric) {
    case 'oOnQueueUsers':
      return [...q('IDLE', o.onQueueIdle), ...q('INTERACTING', o.onQueueInteracting)];
    case 'oOffQueueUsers':
      return offQueue > 0 ? [{ metric, qualifier: BREAK_PRESENCE_ID, stats: { count: offQueue } }] : [];
    case 'oUserRoutingStatuses':
      return [...q('IDLE', o.onQueueIdle), ...q('INTERACTING', o.onQueueInteracting), ...q('OFF_QUEUE', offQueue)];
    case 'oUserPresences':
      return [...q(ON_QUEUE_PRESENCE_ID, onQueue)];
    case 'oActiveUsers':
      return [{ metric, stats: { count: onQueue + offQueue } }];
    case 'oMemberUsers':
      return [{ metric, stats: { count: onQueue + offQueue } }];
    default:
      return [];
  }
}

function observationsQuery(ctx: ApiContext): ApiReply {
  const body = ctx.body;
  if (!isRecord(body)) throw badRequest('The body must be a QueueObservationQuery object');
  const predicates: Predicate[] = [];
  collectPredicates(body.filter, 'filter', predicates);
  const queueIds = [...new Set(predicates.filter((p) => p.dimension === 'queueId').map((p) => p.value))];
  if (queueIds.length === 0) throw badRequest('filter must contain at least one queueId predicate');
  if (queueIds.length > MAX_QUEUE_PREDICATES) {
    throw badRequest(`filter has ${queueIds.length} queueId predicates; at most ${MAX_QUEUE_PREDICATES} are allowed per query`);
  }
  const mediaFilter = predicates.filter((p) => p.dimension === 'mediaType').map((p) => p.value);
  for (const m of mediaFilter) if (!MEDIA_TYPES.includes(m)) throw badRequest(`Unknown mediaType "${m}" (one of ${MEDIA_TYPES.join(', ')})`);
  const mediaTypes = mediaFilter.length > 0 ? [...new Set(mediaFilter)] : ['message'];
  if (!Array.isArray(body.metrics) || body.metrics.length === 0) throw badRequest('metrics must be a non-empty array');
  const metrics = body.metrics.map((m: unknown, i) => {
    if (typeof m !== 'string' || !METRICS.includes(m)) throw badRequest(`metrics[${i}] "${String(m)}" is not one of ${METRICS.join(', ')}`);
    return m;
  });

  const results: Record<string, unknown>[] = [];
  for (const queueId of queueIds) {
    const o = ctx.state.observe(queueId);
    if (!o) continue; // an unknown queue (or one in a division we can't see) is simply absent
    const convMetrics = metrics.filter((m) => CONVERSATION_METRICS.has(m));
    for (const mediaType of convMetrics.length > 0 ? mediaTypes : []) {
      results.push({ group: { queueId, mediaType }, data: convMetrics.map((metric) => ({ metric, stats: { count: conversationCount(metric, o, mediaType) } })) });
    }
    const users = metrics.filter((m) => !CONVERSATION_METRICS.has(m)).flatMap((m) => userData(m, o));
    if (users.length > 0 || metrics.some((m) => !CONVERSATION_METRICS.has(m))) results.push({ group: { queueId }, data: users });
  }
  return { body: malform(ctx, { results }) };
}

/** Applies the "malformed body" fault: the shapes a broken or changed platform might send. */
function malform(ctx: ApiContext, response: { results: Record<string, unknown>[] }): unknown {
  const faults = ctx.state.faults;
  if (faults.malformedMetricsNext <= 0) return response;
  faults.malformedMetricsNext--;
  const kind: MalformedMetricsKind = faults.malformedMetricsKind;
  const results = response.results;
  switch (kind) {
    case 'no-results':
      return { systemToOrganizationMappings: {} };
    case 'no-queue-id':
      if (results[0]) results[0].group = { mediaType: 'message' };
      return response;
    case 'bad-count':
      if (results[0]) results[0].data = [{ metric: 'oWaiting', stats: { count: 'many' } }];
      return response;
    case 'missing-queue':
      return { results: results.slice(1).filter((r) => (r.group as { queueId?: string }).queueId !== (results[0]?.group as { queueId?: string }).queueId) };
  }
}

export const analyticsRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/api/v2/analytics/queues/observations/query', permission: 'analytics:queueObservation:view', handler: observationsQuery },
];
