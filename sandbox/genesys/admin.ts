// The loopback-only admin API (`/__admin/...`): drive metrics and faults, read counters and sent messages, reset.
import { Router, badRequest, isRecord } from './http';
import type { GenesysSandboxState } from './state';
import type { FaultSettings, MalformedMetricsKind, QueueObservation } from './types';

type AdminHandler = (state: GenesysSandboxState, params: Record<string, string>, body: unknown) => { status?: number; body?: unknown };

const MALFORMED_KINDS: MalformedMetricsKind[] = ['no-results', 'no-queue-id', 'bad-count', 'missing-queue'];
const OBSERVATION_FIELDS = ['waiting', 'interacting', 'onQueueIdle', 'onQueueInteracting', 'offQueue'] as const;

function nonNegativeInt(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw badRequest(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value as number;
}

export function parseObservation(body: unknown): Partial<QueueObservation> {
  if (!isRecord(body)) throw badRequest(`The body must be an object with some of ${OBSERVATION_FIELDS.join(', ')}`);
  const out: Partial<QueueObservation> = {};
  for (const [field, value] of Object.entries(body)) {
    if (!(OBSERVATION_FIELDS as readonly string[]).includes(field)) throw badRequest(`Unknown metric "${field}" (known: ${OBSERVATION_FIELDS.join(', ')})`);
    out[field as (typeof OBSERVATION_FIELDS)[number]] = nonNegativeInt(value, field);
  }
  return out;
}

export function parseFaults(body: unknown): Partial<FaultSettings> {
  if (!isRecord(body)) throw badRequest('The body must be an object of fault settings');
  const out: Partial<FaultSettings> = {};
  for (const [field, value] of Object.entries(body)) {
    switch (field) {
      case 'latencyMs':
      case 'fail5xxNext':
      case 'malformedMetricsNext':
        out[field] = nonNegativeInt(value, field);
        break;
      case 'outage':
        if (typeof value !== 'boolean') throw badRequest('outage must be true or false');
        out.outage = value;
        break;
      case 'malformedMetricsKind':
        if (!MALFORMED_KINDS.includes(value as MalformedMetricsKind)) throw badRequest(`malformedMetricsKind must be one of ${MALFORMED_KINDS.join(', ')}`);
        out.malformedMetricsKind = value as MalformedMetricsKind;
        break;
      case 'failNextPublish':
        if (value !== null && typeof value !== 'string') throw badRequest('failNextPublish must be an error message or null');
        out.failNextPublish = value;
        break;
      case 'deniedPermissions':
        if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) throw badRequest('deniedPermissions must be an array of permission names');
        out.deniedPermissions = value as string[];
        break;
      default:
        throw badRequest(`Unknown fault "${field}"`);
    }
  }
  return out;
}

const handlers: [string, string, AdminHandler][] = [
  ['GET', '/__admin/state', (s) => ({
    body: {
      queues: [...s.queues.keys()],
      flows: [...s.flows.values()].map((f) => ({ id: f.id, publishedVersion: s.settleFlow(f).publishedVersionId, operation: f.operation, publishHistory: f.publishHistory })),
      webDeployments: [...s.webDeployments.values()],
      faults: s.faults,
      rateLimitPerMinute: s.rateLimitPerMinute,
      tokenTtlSeconds: s.tokenTtlSeconds,
    },
  })],
  ['GET', '/__admin/queues/:queueId/metrics', (s, p) => ({ body: s.observe(p.queueId) ?? null })],
  ['PUT', '/__admin/queues/:queueId/metrics', (s, p, b) => ({ body: s.setQueueMetrics(p.queueId, parseObservation(b)) })],
  ['POST', '/__admin/queues', (s, _p, b) => {
    if (!Array.isArray(b) || b.some((q) => !isRecord(q) || typeof q.id !== 'string')) throw badRequest('The body must be an array of {id, name?}');
    s.addQueues(b as { id: string; name?: string }[]);
    return { body: { queues: s.queues.size } };
  }],
  ['GET', '/__admin/faults', (s) => ({ body: s.faults })],
  ['POST', '/__admin/faults', (s, _p, b) => ({ body: s.setFaults(parseFaults(b)) })],
  ['POST', '/__admin/rate-limit', (s, _p, b) => {
    if (!isRecord(b)) throw badRequest('The body must be {perMinute}');
    s.rateLimitPerMinute = nonNegativeInt(b.perMinute, 'perMinute');
    return { body: { perMinute: s.rateLimitPerMinute } };
  }],
  ['POST', '/__admin/tokens/revoke', (s) => (s.revokeTokens(), { status: 204 })],
  ['GET', '/__admin/counters', (s) => ({ body: s.readCounters() })],
  ['DELETE', '/__admin/counters', (s) => (s.resetCounters(), { status: 204 })],
  ['GET', '/__admin/emails', (s) => ({ body: s.agentlessEmails })],
  ['GET', '/__admin/messages', (s) => ({ body: s.agentlessMessages })],
  ['POST', '/__admin/reset', (s) => (s.reset(), { status: 204 })],
];

export const adminRouter = handlers.reduce((r, [method, pattern, h]) => r.add(method, pattern, h), new Router<AdminHandler>());

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
