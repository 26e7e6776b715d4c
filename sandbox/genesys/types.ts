// The Genesys sandbox's public shapes: the seam a contact-centre simulator plugs into, and the seed.

/** One queue's live message-media numbers, as analytics observations would report them. */
export interface QueueObservation {
  waiting: number;
  interacting: number;
  onQueueIdle: number;
  onQueueInteracting: number;
  offQueue?: number;
}

/** Where observation numbers come from; `undefined` means the queue is unknown to the source. */
export interface MetricsSource {
  observe(queueId: string): QueueObservation | undefined;
  /** Conversations offered to the queue (nOffered) in [fromMs, toMs) on the sandbox's clock; optional. */
  offered?(queueId: string, fromMs: number, toMs: number): number | undefined;
  /** Conversations in a flow now (oFlow); `undefined` for a flow the source does not model. */
  flowSessions?(flowId: string): number | undefined;
}

export interface SeedQueue {
  id: string;
  name: string;
  memberCount?: number;
}

export interface SeedFlowVersion {
  id: string;
  name: string;
}

export interface SeedFlow {
  id: string;
  name: string;
  /** Architect flow type, e.g. `inboundshortmessage`, `bot`. */
  type: string;
  versions: SeedFlowVersion[];
  /** Version live at start; omitted means never published. */
  publishedVersion?: string;
}

/** A column of a data table: the API field ID and its JSON-schema type. */
export interface SeedDataTableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
}

export interface SeedDataTable {
  id: string;
  name: string;
  /** Columns besides the reference key `key`. */
  columns: SeedDataTableColumn[];
  rows?: Record<string, unknown>[];
}

export interface SeedMessengerConfiguration {
  id: string;
  name: string;
  /** Published configuration versions, e.g. `1` (normal) and `2` (surge: launcher hidden). */
  versions: string[];
}

export interface SeedWebDeployment {
  id: string;
  name: string;
  configurationId: string;
  configurationVersion: string;
  flowId?: string;
}

export interface SandboxSeed {
  /** OAuth clients accepted by `/oauth/token`. */
  clients: { clientId: string; clientSecret: string }[];
  queues: SeedQueue[];
  flows: SeedFlow[];
  dataTables: SeedDataTable[];
  messengerConfigurations: SeedMessengerConfiguration[];
  webDeployments: SeedWebDeployment[];
  /** Initial admin-set metrics per queue (used when no MetricsSource is given). */
  metrics?: Record<string, Partial<QueueObservation>>;
}

/** Which malformed metrics body the next observation queries return. */
export type MalformedMetricsKind = 'no-results' | 'no-queue-id' | 'bad-count' | 'missing-queue';

export interface FaultSettings {
  /** Added delay before every API answer (not login, not admin). */
  latencyMs: number;
  /** The next N API requests answer 503. */
  fail5xxNext: number;
  /** While on, login and API answer 503. */
  outage: boolean;
  /** The next N observation queries answer 200 with a malformed body. */
  malformedMetricsNext: number;
  malformedMetricsKind: MalformedMetricsKind;
  /** When set, the next publish operation fails with this message. */
  failNextPublish: string | null;
  /** Permissions the OAuth client is missing: routes that need one answer 403. */
  deniedPermissions: string[];
}
