// Everything the sandbox knows: the seeded organisation, tokens, faults and request counters.
// Routes read and change it; tests and the admin API drive it directly.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  FaultSettings,
  MetricsSource,
  QueueObservation,
  SandboxSeed,
  SeedDataTableColumn,
  SeedFlowVersion,
} from './types';
import { defaultSeed } from './seed';

export interface SandboxStateOptions {
  metrics?: MetricsSource;
  clock?: () => number;
  tokenTtlSeconds?: number;
  rateLimitPerMinute?: number;
  publishDelayMs?: number;
  seed?: SandboxSeed;
}

export interface TokenRecord {
  token: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  /** Fixed one-minute window for the per-token rate limit. */
  windowStart: number;
  windowCount: number;
}

export interface QueueRecord {
  id: string;
  name: string;
  memberCount: number;
  dateCreated: string;
}

export interface OperationRecord {
  id: string;
  version: string;
  startedAt: number;
  completesAt: number;
  failWith: string | null;
  complete: boolean;
  status: 'STARTED' | 'SUCCESS' | 'FAILURE';
}

export interface FlowRecord {
  id: string;
  name: string;
  type: string;
  versions: (SeedFlowVersion & { dateCreated: string })[];
  publishedVersionId?: string;
  datePublished?: string;
  operation?: OperationRecord;
  /** Successful publishes, oldest first (what tests read to count publishes). */
  publishHistory: { version: string; at: string }[];
}

export interface DataTableRecord {
  id: string;
  name: string;
  columns: SeedDataTableColumn[];
  rows: Map<string, Record<string, unknown>>;
}

export interface WebDeploymentRecord {
  id: string;
  name: string;
  description?: string;
  allowAllDomains: boolean;
  allowedDomains: string[];
  status: string;
  flowId?: string;
  configuration: { id: string; version: string };
  dateCreated: string;
  dateModified: string;
}

export interface RouteCounter {
  count: number;
  byStatus: Record<string, number>;
}

export interface CounterSnapshot {
  total: number;
  byRoute: Record<string, RouteCounter>;
  /** Requests per bearer token (admitted or not), keyed by token. */
  byToken: Record<string, number>;
  byStatus: Record<string, number>;
}

const ZERO_OBSERVATION: QueueObservation = { waiting: 0, interacting: 0, onQueueIdle: 0, onQueueInteracting: 0, offQueue: 0 };

export function defaultFaults(): FaultSettings {
  return {
    latencyMs: 0,
    fail5xxNext: 0,
    outage: false,
    malformedMetricsNext: 0,
    malformedMetricsKind: 'no-results',
    failNextPublish: null,
    deniedPermissions: [],
  };
}

export class GenesysSandboxState {
  readonly clock: () => number;
  tokenTtlSeconds: number;
  rateLimitPerMinute: number;
  publishDelayMs: number;
  readonly metricsSource: MetricsSource | undefined;
  private readonly seed: SandboxSeed;
  private readonly initial: { tokenTtlSeconds: number; rateLimitPerMinute: number; publishDelayMs: number };

  faults: FaultSettings = defaultFaults();
  clients = new Map<string, string>();
  queues = new Map<string, QueueRecord>();
  metrics = new Map<string, QueueObservation>();
  flows = new Map<string, FlowRecord>();
  dataTables = new Map<string, DataTableRecord>();
  messengerConfigurations = new Map<string, { id: string; name: string; versions: string[] }>();
  webDeployments = new Map<string, WebDeploymentRecord>();
  agentlessEmails: Record<string, unknown>[] = [];
  agentlessMessages: Record<string, unknown>[] = [];
  tokens = new Map<string, TokenRecord>();
  private counters: CounterSnapshot = emptyCounters();

  constructor(opts: SandboxStateOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 86_400;
    this.rateLimitPerMinute = opts.rateLimitPerMinute ?? 300;
    this.publishDelayMs = opts.publishDelayMs ?? 1_500;
    this.metricsSource = opts.metrics;
    this.seed = opts.seed ?? defaultSeed();
    this.initial = { tokenTtlSeconds: this.tokenTtlSeconds, rateLimitPerMinute: this.rateLimitPerMinute, publishDelayMs: this.publishDelayMs };
    this.load();
  }

  /** Back to the seed and the start options: data, limits, tokens, faults and counters. */
  reset(): void {
    Object.assign(this, this.initial);
    this.faults = defaultFaults();
    this.tokens.clear();
    this.counters = emptyCounters();
    this.agentlessEmails = [];
    this.agentlessMessages = [];
    this.load();
  }

  private load(): void {
    const created = new Date(this.clock()).toISOString();
    const seed = structuredClone(this.seed);
    this.clients = new Map(seed.clients.map((c) => [c.clientId, c.clientSecret]));
    this.queues = new Map(seed.queues.map((q) => [q.id, { id: q.id, name: q.name, memberCount: q.memberCount ?? 0, dateCreated: created }]));
    this.metrics = new Map();
    for (const [queueId, m] of Object.entries(seed.metrics ?? {})) this.metrics.set(queueId, { ...ZERO_OBSERVATION, ...m });
    this.flows = new Map(
      seed.flows.map((f) => [
        f.id,
        {
          id: f.id,
          name: f.name,
          type: f.type,
          versions: f.versions.map((v) => ({ ...v, dateCreated: created })),
          publishedVersionId: f.publishedVersion,
          datePublished: f.publishedVersion ? created : undefined,
          publishHistory: [],
        },
      ]),
    );
    this.dataTables = new Map(
      seed.dataTables.map((t) => [
        t.id,
        { id: t.id, name: t.name, columns: t.columns, rows: new Map((t.rows ?? []).map((r) => [String(r.key), { ...r }])) },
      ]),
    );
    this.messengerConfigurations = new Map(seed.messengerConfigurations.map((c) => [c.id, c]));
    this.webDeployments = new Map(
      seed.webDeployments.map((d) => [
        d.id,
        {
          id: d.id,
          name: d.name,
          allowAllDomains: true,
          allowedDomains: [],
          status: 'Active',
          flowId: d.flowId,
          configuration: { id: d.configurationId, version: d.configurationVersion },
          dateCreated: created,
          dateModified: created,
        },
      ]),
    );
  }

  // ---- tokens and rate limit -------------------------------------------------------------------

  issueToken(clientId: string): TokenRecord {
    const now = this.clock();
    const record: TokenRecord = {
      token: randomBytes(24).toString('base64url'),
      clientId,
      issuedAt: now,
      expiresAt: now + this.tokenTtlSeconds * 1000,
      windowStart: now,
      windowCount: 0,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** Makes every issued token answer 401 from now on (as if revoked or expired). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  // ---- queues and metrics ----------------------------------------------------------------------

  addQueues(queues: { id: string; name?: string; memberCount?: number }[]): void {
    const created = new Date(this.clock()).toISOString();
    for (const q of queues) {
      if (!this.queues.has(q.id)) this.queues.set(q.id, { id: q.id, name: q.name ?? q.id, memberCount: q.memberCount ?? 0, dateCreated: created });
    }
  }

  /** Sets some of a queue's observation numbers (creating the queue if it is new). */
  setQueueMetrics(queueId: string, metrics: Partial<QueueObservation>): QueueObservation {
    this.addQueues([{ id: queueId }]);
    const next = { ...ZERO_OBSERVATION, ...this.metrics.get(queueId), ...metrics };
    this.metrics.set(queueId, next);
    return next;
  }

  /** The numbers a queue reports now; `undefined` for a queue nobody knows. */
  observe(queueId: string): QueueObservation | undefined {
    if (this.metricsSource) return this.metricsSource.observe(queueId);
    if (!this.queues.has(queueId)) return undefined;
    return this.metrics.get(queueId) ?? ZERO_OBSERVATION;
  }

  /** Conversations offered to a queue in [fromMs, toMs); 0 without a source that counts them; `undefined` for an unknown queue. */
  offered(queueId: string, fromMs: number, toMs: number): number | undefined {
    const counted = this.metricsSource?.offered?.(queueId, fromMs, toMs);
    if (counted !== undefined) return counted;
    if (this.metricsSource) return this.metricsSource.observe(queueId) === undefined ? undefined : 0;
    return this.queues.has(queueId) ? 0 : undefined;
  }

  /** Conversations in a flow now; 0 for a known flow nobody models; `undefined` for an unknown flow. */
  flowSessions(flowId: string): number | undefined {
    const counted = this.metricsSource?.flowSessions?.(flowId);
    if (counted !== undefined) return counted;
    return this.flows.has(flowId) ? 0 : undefined;
  }

  // ---- flows -----------------------------------------------------------------------------------

  /** Completes a publish whose time has come; called before a flow is read. */
  settleFlow(flow: FlowRecord): FlowRecord {
    const op = flow.operation;
    if (op && !op.complete && this.clock() >= op.completesAt) {
      op.complete = true;
      if (op.failWith) {
        op.status = 'FAILURE';
      } else {
        op.status = 'SUCCESS';
        flow.publishedVersionId = op.version;
        flow.datePublished = new Date(this.clock()).toISOString();
        flow.publishHistory.push({ version: op.version, at: flow.datePublished });
      }
    }
    return flow;
  }

  startPublish(flow: FlowRecord, version: string): OperationRecord {
    const now = this.clock();
    const failWith = this.faults.failNextPublish;
    this.faults.failNextPublish = null;
    flow.operation = { id: randomUUID(), version, startedAt: now, completesAt: now + this.publishDelayMs, failWith, complete: false, status: 'STARTED' };
    return this.settleFlow(flow).operation!;
  }

  // ---- faults and counters ---------------------------------------------------------------------

  setFaults(patch: Partial<FaultSettings>): FaultSettings {
    this.faults = { ...this.faults, ...patch };
    return this.faults;
  }

  countRequest(route: string, token: string | undefined, status: number): void {
    const c = this.counters;
    c.total++;
    const r = (c.byRoute[route] ??= { count: 0, byStatus: {} });
    r.count++;
    r.byStatus[status] = (r.byStatus[status] ?? 0) + 1;
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    if (token) c.byToken[token] = (c.byToken[token] ?? 0) + 1;
  }

  readCounters(): CounterSnapshot {
    return structuredClone(this.counters);
  }

  resetCounters(): void {
    this.counters = emptyCounters();
  }
}

function emptyCounters(): CounterSnapshot {
  return { total: 0, byRoute: {}, byToken: {}, byStatus: {} };
}
