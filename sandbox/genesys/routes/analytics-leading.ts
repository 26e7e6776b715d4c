// The two analytics queries the leading signals read, served from the metrics source in the platform's shapes.
// Shapes from the SDK's own types (purecloud-platform-client-v2 index.d.ts):
// - POST /api/v2/analytics/conversations/aggregates/query: body ConversationAggregationQuery {interval, granularity?,
//   groupBy?, filter?, metrics}; answer ConversationAggregateQueryResponse {results?: [{group?: {[dim]: string},
//   data?: StatisticalResponse[] = [{interval?, metrics?: [{metric?, qualifier?, stats?: StatisticalSummary}]}]}]}.
// - POST /api/v2/analytics/flows/observations/query: body FlowObservationQuery {filter, metrics, detailMetrics?};
//   answer FlowObservationQueryResponse {results?: [{group?: {[dim]: string}, data?: ObservationMetricData[] =
//   [{metric?, qualifier?, stats?: {count?}}]}]}.
// `nOffered` counts conversations offered to a queue; `oFlow` counts conversations in a flow now
// (/work/shared/reference/genesys-cloud.md section 10). Like the platform, buckets and groups with nothing in
// them are left out of the answer. The permission names are the SDK docs' (UNVERIFIED against a live org).
import { badRequest, isRecord } from '../http';
import type { ApiContext, ApiReply, ApiRoute } from './context';
import { MAX_QUEUE_PREDICATES } from './analytics';

const AGGREGATE_METRICS = ['nOffered'];
const FLOW_METRICS = ['oFlow'];
const MEDIA_TYPES = ['voice', 'chat', 'email', 'callback', 'message'];
const GRANULARITY = /^PT(\d+)M$/;
/** The sandbox answers at most this many buckets per group (the platform bounds intervals too). */
const MAX_BUCKETS = 1_440;

interface Predicate {
  dimension: string;
  value: string;
}

function predicates(filter: unknown, path: string, allowed: string[], out: Predicate[]): void {
  if (!isRecord(filter)) throw badRequest(`${path} must be an object`);
  if (filter.type !== 'and' && filter.type !== 'or') throw badRequest(`${path}.type must be "and" or "or"`);
  const list = filter.predicates ?? [];
  const clauses = filter.clauses ?? [];
  if (!Array.isArray(list)) throw badRequest(`${path}.predicates must be an array`);
  if (!Array.isArray(clauses)) throw badRequest(`${path}.clauses must be an array`);
  list.forEach((p: unknown, i) => {
    const at = `${path}.predicates[${i}]`;
    if (!isRecord(p)) throw badRequest(`${at} must be an object`);
    if (p.type !== undefined && p.type !== 'dimension') throw badRequest(`${at}.type "${String(p.type)}" is not supported here (use "dimension")`);
    if (typeof p.dimension !== 'string' || !allowed.includes(p.dimension)) throw badRequest(`${at}.dimension must be one of ${allowed.join(', ')}`);
    if (p.operator !== undefined && p.operator !== 'matches') throw badRequest(`${at}.operator "${String(p.operator)}" is not supported (use "matches")`);
    if (typeof p.value !== 'string' || p.value === '') throw badRequest(`${at}.value must be a non-empty string`);
    out.push({ dimension: p.dimension, value: p.value });
  });
  clauses.forEach((c: unknown, i) => predicates(c, `${path}.clauses[${i}]`, allowed, out));
}

function metricsOf(body: Record<string, unknown>, allowed: string[]): string[] {
  if (!Array.isArray(body.metrics) || body.metrics.length === 0) throw badRequest('metrics must be a non-empty array');
  return body.metrics.map((m: unknown, i) => {
    if (typeof m !== 'string' || !allowed.includes(m)) throw badRequest(`metrics[${i}] "${String(m)}" is not one of ${allowed.join(', ')} (sandbox)`);
    return m;
  });
}

function parseInterval(value: unknown): { fromMs: number; toMs: number } {
  if (typeof value !== 'string') throw badRequest('interval is required: "<ISO start>/<ISO end>"');
  const [from, to, extra] = value.split('/');
  const fromMs = Date.parse(from ?? '');
  const toMs = Date.parse(to ?? '');
  if (extra !== undefined || Number.isNaN(fromMs) || Number.isNaN(toMs)) throw badRequest(`interval "${value}" is not "<ISO start>/<ISO end>"`);
  if (toMs <= fromMs) throw badRequest(`interval "${value}" ends before it starts`);
  return { fromMs, toMs };
}

function aggregatesQuery(ctx: ApiContext): ApiReply {
  const body = ctx.body;
  if (!isRecord(body)) throw badRequest('The body must be a ConversationAggregationQuery object');
  const { fromMs, toMs } = parseInterval(body.interval);
  let stepMs = toMs - fromMs;
  if (body.granularity !== undefined) {
    const m = typeof body.granularity === 'string' ? GRANULARITY.exec(body.granularity) : null;
    if (!m || Number(m[1]) < 1) throw badRequest(`granularity "${String(body.granularity)}" is not supported by the sandbox (use PT<n>M)`);
    stepMs = Number(m[1]) * 60_000;
  }
  if ((toMs - fromMs) / stepMs > MAX_BUCKETS) throw badRequest(`interval / granularity gives more than ${MAX_BUCKETS} buckets`);
  const groupBy = body.groupBy ?? [];
  if (!Array.isArray(groupBy) || groupBy.some((g) => g !== 'queueId' && g !== 'mediaType')) throw badRequest('groupBy: the sandbox groups by queueId and mediaType only');
  const found: Predicate[] = [];
  if (body.filter !== undefined) predicates(body.filter, 'filter', ['queueId', 'mediaType'], found);
  const queueIds = [...new Set(found.filter((p) => p.dimension === 'queueId').map((p) => p.value))];
  if (queueIds.length === 0) throw badRequest('filter must contain at least one queueId predicate (sandbox)');
  if (queueIds.length > MAX_QUEUE_PREDICATES) throw badRequest(`filter has ${queueIds.length} queueId predicates; at most ${MAX_QUEUE_PREDICATES} are allowed per query`);
  const media = found.filter((p) => p.dimension === 'mediaType').map((p) => p.value);
  for (const m of media) if (!MEDIA_TYPES.includes(m)) throw badRequest(`Unknown mediaType "${m}" (one of ${MEDIA_TYPES.join(', ')})`);
  // The simulator is a messaging contact centre: other media have nothing offered.
  const messaging = media.length === 0 || media.includes('message');
  const metrics = metricsOf(body, AGGREGATE_METRICS);

  const results: Record<string, unknown>[] = [];
  for (const queueId of queueIds) {
    const data: Record<string, unknown>[] = [];
    for (let start = fromMs; start < toMs; start += stepMs) {
      const end = Math.min(toMs, start + stepMs);
      const count = messaging ? ctx.state.offered(queueId, start, end) : 0;
      if (count === undefined) break; // unknown queue: absent, as the platform leaves it out
      if (count > 0) data.push({ interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`, metrics: metrics.map((metric) => ({ metric, stats: { count } })) });
    }
    if (data.length > 0) results.push({ group: { queueId, ...(groupBy.includes('mediaType') ? { mediaType: 'message' } : {}) }, data });
  }
  // The platform answers `{}` when nothing matched.
  return { body: results.length > 0 ? { results } : {} };
}

function flowObservationsQuery(ctx: ApiContext): ApiReply {
  const body = ctx.body;
  if (!isRecord(body)) throw badRequest('The body must be a FlowObservationQuery object');
  const found: Predicate[] = [];
  predicates(body.filter, 'filter', ['flowId'], found);
  const flowIds = [...new Set(found.map((p) => p.value))];
  if (flowIds.length === 0) throw badRequest('filter must contain at least one flowId predicate (sandbox)');
  const metrics = metricsOf(body, FLOW_METRICS);
  const results: Record<string, unknown>[] = [];
  for (const flowId of flowIds) {
    const count = ctx.state.flowSessions(flowId);
    if (count === undefined) continue;
    results.push({ group: { flowId }, data: metrics.map((metric) => ({ metric, stats: { count } })) });
  }
  return { body: { results } };
}

export const leadingAnalyticsRoutes: ApiRoute[] = [
  { method: 'POST', pattern: '/api/v2/analytics/conversations/aggregates/query', permission: 'analytics:conversationAggregate:view', handler: aggregatesQuery },
  { method: 'POST', pattern: '/api/v2/analytics/flows/observations/query', permission: 'analytics:flowObservation:view', handler: flowObservationsQuery },
];
