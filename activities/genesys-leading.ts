// The leading signals, read from Genesys Cloud each poll beside the queue observations:
// - the arrival rate into the event's queues and its trend: POST /api/v2/analytics/conversations/aggregates/query
//   (AnalyticsApi.postAnalyticsConversationsAggregatesQuery, body ConversationAggregationQuery {interval,
//   granularity, groupBy, filter, metrics}; answer ConversationAggregateQueryResponse {results: [{group, data:
//   [{interval, metrics: [{metric, stats: {count}}]}]}]}), `nOffered` per minute over the last few minutes,
//   mediaType message;
// - the bot's sessions: POST /api/v2/analytics/flows/observations/query (AnalyticsApi.postAnalyticsFlowsObservationsQuery,
//   body FlowObservationQuery {filter, metrics}; answer FlowObservationQueryResponse {results: [{group, data:
//   [{metric, stats: {count}}]}]}), `oFlow` for the bot flow.
// Types: purecloud-platform-client-v2 index.d.ts (ConversationAggregationQuery ~28210, FlowObservationQuery
// ~40953); metric meanings: /work/shared/reference/genesys-cloud.md section 10.
// Budget: one aggregates query per 100 queues and one flow query per poll (bench/genesys-budget.ts).
// Aggregates may lag real time (by up to about a minute, UNVERIFIED): a late last bucket reads low, so the
// trend errs low (a late early warning, never a false one); the lagging rules still stand behind it.
import { ApplicationFailure } from '@temporalio/common';
import type { Models } from 'purecloud-platform-client-v2';
import type { LeadingSignals } from '../workflows/types';
import { GenesysFailure, isRecord, type GenesysSession } from './genesys-client';
import { MAX_QUEUES_PER_OBSERVATION_QUERY } from './genesys';

export interface LeadingSignalsInput {
  queueIds: string[];
  /** The end of the arrival window (the workflow's time: the poll's instant). */
  at: string;
  /** Whole minutes, 2 to 15. */
  windowSeconds: number;
  botFlowId?: string;
}

export interface LeadingActivities {
  /** Reads the arrival rate, its trend and the bot's sessions; throws (never returns zeros) when the platform can't say. */
  fetchLeadingSignals(input: LeadingSignalsInput): Promise<LeadingSignals>;
}

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidActivityInput');
}

function malformed(what: string, message: string): ApplicationFailure {
  return ApplicationFailure.retryable(`Malformed ${what} response: ${message}`, GenesysFailure.malformedResponse);
}

export function aggregatesQuery(queueIds: string[], fromMs: number, toMs: number): Models.ConversationAggregationQuery {
  return {
    interval: `${new Date(fromMs).toISOString()}/${new Date(toMs).toISOString()}`,
    granularity: 'PT1M',
    groupBy: ['queueId'],
    filter: {
      type: 'and',
      clauses: [
        { type: 'or', predicates: queueIds.map((value) => ({ type: 'dimension', dimension: 'queueId', operator: 'matches', value })) },
        { type: 'or', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'message' }] },
      ],
    },
    metrics: ['nOffered'],
  };
}

export function flowObservationQuery(flowId: string): Models.FlowObservationQuery {
  return { filter: { type: 'or', predicates: [{ type: 'dimension', dimension: 'flowId', operator: 'matches', value: flowId }] }, metrics: ['oFlow'] };
}

/**
 * Adds each result bucket's nOffered into per-minute counts (index 0 = the oldest minute of the window).
 * Buckets and groups with nothing offered are absent (the platform leaves them out): they read 0.
 */
export function parseOfferedPerMinute(response: unknown, fromMs: number, minutes: number): number[] {
  const counts = new Array<number>(minutes).fill(0);
  if (!isRecord(response)) throw malformed('conversation aggregates', 'not an object');
  if (response.results === undefined) return counts; // nothing offered in the window
  if (!Array.isArray(response.results)) throw malformed('conversation aggregates', '"results" is not an array');
  response.results.forEach((result: unknown, i) => {
    const data = isRecord(result) ? (result.data ?? []) : undefined;
    if (!Array.isArray(data)) throw malformed('conversation aggregates', `results[${i}].data is not an array`);
    data.forEach((bucket: unknown, j) => {
      const at = `results[${i}].data[${j}]`;
      const start = isRecord(bucket) && typeof bucket.interval === 'string' ? Date.parse(bucket.interval.split('/')[0]) : NaN;
      if (Number.isNaN(start)) throw malformed('conversation aggregates', `${at} has no interval`);
      const minute = Math.round((start - fromMs) / 60_000);
      const metrics = (bucket as Record<string, unknown>).metrics ?? [];
      if (!Array.isArray(metrics)) throw malformed('conversation aggregates', `${at}.metrics is not an array`);
      for (const m of metrics) {
        if (!isRecord(m) || m.metric !== 'nOffered') continue;
        const count = isRecord(m.stats) ? m.stats.count : undefined;
        if (typeof count !== 'number' || !Number.isFinite(count)) throw malformed('conversation aggregates', `${at} nOffered stats.count is ${JSON.stringify(count)}, not a number`);
        if (minute >= 0 && minute < minutes) counts[minute] += count;
      }
    });
  });
  return counts;
}

/** oFlow for one flow; absent from the answer reads 0 (nobody in the flow). */
export function parseFlowSessions(response: unknown, flowId: string): number {
  if (!isRecord(response) || !Array.isArray(response.results)) throw malformed('flow observations', 'no "results" array');
  let sessions = 0;
  response.results.forEach((result: unknown, i) => {
    if (!isRecord(result) || !isRecord(result.group) || result.group.flowId !== flowId) return;
    const data = result.data ?? [];
    if (!Array.isArray(data)) throw malformed('flow observations', `results[${i}].data is not an array`);
    for (const d of data) {
      if (!isRecord(d) || d.metric !== 'oFlow') continue;
      const count = isRecord(d.stats) ? d.stats.count : undefined;
      if (typeof count !== 'number' || !Number.isFinite(count)) throw malformed('flow observations', `oFlow stats.count is ${JSON.stringify(count)}, not a number`);
      sessions += count;
    }
  });
  return sessions;
}

/** Least-squares slope of the per-minute counts, in (per minute) per minute. */
export function slopePerMinute(counts: number[]): number {
  const n = counts.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = counts.reduce((s, c) => s + c, 0) / n;
  let num = 0;
  let den = 0;
  counts.forEach((c, x) => {
    num += (x - meanX) * (c - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

export function createLeadingActivities(session: GenesysSession): LeadingActivities {
  return {
    async fetchLeadingSignals(input) {
      if (!Array.isArray(input?.queueIds) || input.queueIds.length === 0 || input.queueIds.some((q) => typeof q !== 'string' || q === '')) {
        throw invalidInput('queueIds must be a non-empty array of queue IDs');
      }
      const toMs = Date.parse(input.at);
      if (Number.isNaN(toMs)) throw invalidInput(`at must be an ISO instant, got ${JSON.stringify(input.at)}`);
      const minutes = input.windowSeconds / 60;
      if (!Number.isInteger(minutes) || minutes < 2 || minutes > 15) throw invalidInput(`windowSeconds must be whole minutes from 120 to 900, got ${input.windowSeconds}`);
      const fromMs = toMs - minutes * 60_000;
      const queueIds = [...new Set(input.queueIds)];
      const chunks: string[][] = [];
      for (let i = 0; i < queueIds.length; i += MAX_QUEUES_PER_OBSERVATION_QUERY) chunks.push(queueIds.slice(i, i + MAX_QUEUES_PER_OBSERVATION_QUERY));
      const offered = chunks.map((chunk) =>
        session
          .call({ action: 'query conversation aggregates (nOffered)', permission: 'analytics:conversationAggregate:view', resource: `${chunk.length} queue(s)` }, () =>
            session.analytics.postAnalyticsConversationsAggregatesQuery(aggregatesQuery(chunk, fromMs, toMs)),
          )
          .then((response) => parseOfferedPerMinute(response, fromMs, minutes)),
      );
      const botFlowId = input.botFlowId;
      const bot = botFlowId
        ? session
            .call({ action: 'query flow observations (oFlow)', permission: 'analytics:flowObservation:view', resource: `flow ${botFlowId}` }, () =>
              session.analytics.postAnalyticsFlowsObservationsQuery(flowObservationQuery(botFlowId)),
            )
            .then((response) => parseFlowSessions(response, botFlowId))
        : undefined;
      const [perChunk, botSessions] = await Promise.all([Promise.all(offered), bot]);
      const perMinute = perChunk.reduce((sum, counts) => sum.map((s, i) => s + counts[i]), new Array<number>(minutes).fill(0));
      const signals: LeadingSignals = {
        offeredPerMinute: perMinute.reduce((s, c) => s + c, 0) / minutes,
        offeredTrendPerMinute: slopePerMinute(perMinute),
      };
      if (botSessions !== undefined) signals.botSessions = botSessions;
      return signals;
    },
  };
}
