// The Genesys Cloud activities: queue metrics, flow publishing, the flags row and the messenger deployment.
// All platform calls go through GenesysSession.call (token, retries, actionable errors).
import { ApplicationFailure } from '@temporalio/common';
import type { Models } from 'purecloud-platform-client-v2';
import type { FlagsRow, QueueMetrics } from '../workflows/types';
import type { QueueMetricsSample, SurgeActivities } from './index';
import { ensureFlagsRow } from './flags-row';
import { GenesysFailure, currentActivity, isRecord, type GenesysSession } from './genesys-client';

/** Production code chunks observation queries at 100 queueId predicates; no official limit is published. */
export const MAX_QUEUES_PER_OBSERVATION_QUERY = 100;
const OBSERVATION_METRICS = ['oWaiting', 'oInteracting', 'oOnQueueUsers'];
const FLAGS_ROW_COLUMNS = ['tier1Active', 'tier2Active', 'tier3Active', 'tier4Active', 'waiting', 'agentsAvailable', 'updatedAt'];

export interface GenesysActivityOptions {
  /** How often a publish operation is polled. */
  publishPollMs?: number;
  /** Give up following a publish after this long (the activity's retry then follows it again). */
  publishTimeoutMs?: number;
}

export interface GenesysSetupReport {
  queues: { found: string[]; missing: string[] };
  flows: { found: { id: string; name?: string; publishedVersion?: string }[]; missing: string[] };
  datatable?: { id: string; found: boolean; missingColumns: string[] };
}

export type GenesysActivities = Pick<SurgeActivities, 'fetchQueueMetrics' | 'verifyQueues' | 'publishFlowVersion' | 'writeFlagsRow' | 'setMessengerDeploymentVersion'> & {
  /** Readiness check: which of the configured queues, flows and flags table exist. */
  describeGenesysSetup(input: { queueIds: string[]; flowIds: string[]; datatableId?: string }): Promise<GenesysSetupReport>;
};

function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidActivityInput');
}

function malformed(message: string): ApplicationFailure {
  return ApplicationFailure.retryable(`Malformed queue observation response: ${message}`, GenesysFailure.malformedResponse);
}

function requireIds(ids: unknown, name: string): string[] {
  if (!Array.isArray(ids)) throw invalidInput(`${name} must be an array of IDs`);
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id.trim() === '') throw invalidInput(`${name}[${i}] must be a non-empty string`);
  });
  return [...new Set(ids as string[])];
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(`${name} must be a non-empty string`);
  return value;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function summarise(ids: string[]): string {
  return ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`;
}

export function observationQuery(queueIds: string[]): Models.QueueObservationQuery {
  return {
    filter: {
      type: 'and',
      clauses: [
        { type: 'or', predicates: queueIds.map((value) => ({ type: 'dimension', dimension: 'queueId', operator: 'matches', value })) },
        { type: 'or', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'message' }] },
      ],
    },
    metrics: OBSERVATION_METRICS,
  };
}

/**
 * Reads one observation response into per-queue numbers. A metric that is absent reads 0 (the platform
 * omits zero counts); anything malformed throws, naming what is wrong, because zeros would read as "calm".
 */
export function parseObservations(response: unknown, requested: string[]): Map<string, QueueMetrics> {
  if (!isRecord(response) || !Array.isArray(response.results)) throw malformed('no "results" array');
  const out = new Map<string, QueueMetrics>(requested.map((queueId) => [queueId, { queueId, waiting: 0, agentsAvailable: 0, agentsOnQueue: 0, interacting: 0 }]));
  const onQueueTotals = new Map<string, { qualified: number; unqualified?: number }>();
  response.results.forEach((result: unknown, i) => {
    const group = isRecord(result) && isRecord(result.group) ? result.group : undefined;
    const queueId = group?.queueId;
    if (typeof queueId !== 'string' || queueId === '') throw malformed(`results[${i}] has no group.queueId`);
    const metrics = out.get(queueId);
    if (!metrics) return; // a queue we did not ask about
    const data = (result as Record<string, unknown>).data ?? [];
    if (!Array.isArray(data)) throw malformed(`results[${i}].data for queue ${queueId} is not an array`);
    const mediaType = group?.mediaType;
    data.forEach((datum: unknown, j) => {
      const at = `results[${i}].data[${j}] (queue ${queueId})`;
      if (!isRecord(datum) || typeof datum.metric !== 'string') throw malformed(`${at} has no metric name`);
      const count = isRecord(datum.stats) ? datum.stats.count : undefined;
      const qualifier = typeof datum.qualifier === 'string' ? datum.qualifier : undefined;
      if (typeof count !== 'number' || !Number.isFinite(count)) {
        throw malformed(`${at} ${datum.metric}${qualifier ? `/${qualifier}` : ''} stats.count is ${JSON.stringify(count)}, not a number`);
      }
      switch (datum.metric) {
        case 'oWaiting':
          if (mediaType === undefined || mediaType === 'message') metrics.waiting += count;
          break;
        case 'oInteracting':
          if (mediaType === undefined || mediaType === 'message') metrics.interacting += count;
          break;
        case 'oOnQueueUsers': {
          const totals = onQueueTotals.get(queueId) ?? { qualified: 0 };
          if (qualifier === undefined) totals.unqualified = count;
          else totals.qualified += count;
          onQueueTotals.set(queueId, totals);
          if (qualifier === 'IDLE') metrics.agentsAvailable += count;
          break;
        }
      }
    });
  });
  // The platform omits a queue with nothing to report (no members on message media, nobody waiting):
  // absent reads as zeros. Whether the ID exists at all is checked separately (verifyQueues), so an
  // unknown ID is the controller's mistake, named, never "no data" and never a platform failure.
  for (const [queueId, t] of onQueueTotals) out.get(queueId)!.agentsOnQueue = t.qualified > 0 ? t.qualified : (t.unqualified ?? 0);
  return out;
}

function validateFlagsRow(row: unknown): FlagsRow {
  if (!isRecord(row)) throw invalidInput('row must be an object');
  requireString(row.key, 'row.key');
  for (const f of ['tier1Active', 'tier2Active', 'tier3Active', 'tier4Active']) if (typeof row[f] !== 'boolean') throw invalidInput(`row.${f} must be a boolean`);
  for (const f of ['waiting', 'agentsAvailable']) if (!Number.isInteger(row[f])) throw invalidInput(`row.${f} must be an integer`);
  requireString(row.updatedAt, 'row.updatedAt');
  const extra = Object.keys(row).filter((k) => k !== 'key' && !FLAGS_ROW_COLUMNS.includes(k));
  if (extra.length > 0) throw invalidInput(`row has fields the flags table does not: ${extra.join(', ')}`);
  return row as unknown as FlagsRow;
}

/**
 * Whether `published` (Flow.publishedVersion, SDK 262 FlowVersion {id, name, commitVersion, ...}) is the configured
 * version. What Genesys puts in publishedVersion after POST /api/v2/flows/actions/publish {version} is undocumented:
 * neither the API docs nor the SDK say whether republishing version "2.0" keeps id "2.0" or numbers it anew, and no
 * public source we could find shows it. If it numbered anew, comparing ids alone would republish on every poll. So
 * the version's name counts too (a name is what an operator sets and a republish does not rewrite); a mismatch
 * after our own publish succeeded fails loudly (publishFailed, below) instead of looping.
 */
export function isLiveVersion(published: Models.FlowVersion | undefined, version: string): boolean {
  return published !== undefined && (published.id === version || published.name === version);
}

const isFailure = (err: unknown, type: string) => err instanceof ApplicationFailure && err.type === type;
const inProgress = (op: Models.Operation | undefined): boolean => op !== undefined && op.complete !== true && op.actionStatus !== 'SUCCESS' && op.actionStatus !== 'FAILURE';

interface PublishHeartbeat {
  flowId: string;
  version: string;
  operationId: string;
}

export function createGenesysActivities(session: GenesysSession, options: GenesysActivityOptions = {}): GenesysActivities {
  const publishPollMs = options.publishPollMs ?? 1_000;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5 * 60_000;
  const { architect } = session;

  const readFlow = (flowId: string) =>
    session.call({ action: 'read the flow', permission: 'architect:flow:view', resource: `flow ${flowId}` }, () => architect.getFlow(flowId));

  /** Polls the flow until `operationId` is no longer in progress; heartbeats so a worker crash resumes here. */
  async function followOperation(flowId: string, version: string, operationId: string): Promise<void> {
    const deadline = session.now() + publishTimeoutMs;
    for (;;) {
      currentActivity()?.heartbeat({ flowId, version, operationId } satisfies PublishHeartbeat);
      const op = (await readFlow(flowId)).currentOperation;
      if (!op || op.id !== operationId || !inProgress(op)) return;
      if (session.now() >= deadline) {
        throw ApplicationFailure.retryable(
          `Publishing flow ${flowId} version ${version} is still ${op.actionStatus ?? 'running'} after ${Math.round(publishTimeoutMs / 1000)} s (operation ${operationId})`,
          GenesysFailure.unavailable,
        );
      }
      await session.sleep(publishPollMs);
    }
  }

  /**
   * The IDs among `queueIds` that exist and this OAuth client can see: GET /api/v2/routing/queues?id=..
   * (RoutingApi.getRoutingQueues({ id: string[] }), `id` "Include only queues with the specified ID(s)",
   * sent as a repeated query parameter: purecloud-platform-client-v2 262.0.0 RoutingApi.js getRoutingQueues,
   * buildCollectionParam(opts.id, 'multi'); answers a QueueEntityListing, unknown IDs simply absent).
   */
  async function existingQueues(queueIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(queueIds, 100)) {
      const listing = await session.call({ action: 'list queues', permission: 'routing:queue:view', resource: `queues ${summarise(chunk)}` }, () =>
        session.routing.getRoutingQueues({ id: chunk, pageSize: 100 }),
      );
      for (const q of listing?.entities ?? []) if (q.id) found.add(q.id);
    }
    return found;
  }

  return {
    async fetchQueueMetrics(input) {
      const queueIds = requireIds(input?.queueIds, 'queueIds');
      if (queueIds.length === 0) throw invalidInput('queueIds is empty: an event watches at least one queue');
      const perQueue = new Map<string, QueueMetrics>();
      for (const chunk of chunks(queueIds, MAX_QUEUES_PER_OBSERVATION_QUERY)) {
        const response = await session.call(
          { action: 'query queue observations', permission: 'analytics:queueObservation:view', resource: `queues ${summarise(chunk)}` },
          () => session.analytics.postAnalyticsQueuesObservationsQuery(observationQuery(chunk)),
        );
        for (const [id, m] of parseObservations(response, chunk)) perQueue.set(id, m);
      }
      const list = queueIds.map((id) => perQueue.get(id)!);
      const sample: QueueMetricsSample = {
        at: new Date().toISOString(),
        waiting: list.reduce((sum, q) => sum + q.waiting, 0),
        agentsAvailable: list.reduce((sum, q) => sum + q.agentsAvailable, 0),
        perQueue: list,
      };
      return sample;
    },

    async publishFlowVersion(input) {
      const flowId = requireString(input?.flowId, 'flowId');
      const version = requireString(input?.version, 'version');
      // A retried attempt (say after a worker crash) resumes the operation its predecessor started.
      const resumed = currentActivity()?.info.heartbeatDetails as PublishHeartbeat | undefined;
      let ourOperation = resumed?.flowId === flowId && resumed.version === version ? resumed.operationId : undefined;
      for (let round = 1; round <= 5; round++) {
        const flow = await readFlow(flowId);
        const op = flow.currentOperation;
        if (op && inProgress(op)) {
          // Ours from an earlier attempt, or someone else's: never start a second publish over it.
          await followOperation(flowId, version, op.id!);
          continue;
        }
        if (isLiveVersion(flow.publishedVersion, version)) return { alreadyPublished: ourOperation === undefined };
        if (op && ourOperation !== undefined && op.id === ourOperation) {
          const reason = op.actionStatus === 'FAILURE' ? `${op.errorMessage ?? 'no message'}${op.errorCode ? ` (${op.errorCode})` : ''}` : `it ended ${op.actionStatus ?? 'complete'} but version ${flow.publishedVersion?.id ?? 'none'} is live`;
          throw ApplicationFailure.nonRetryable(`Publishing flow ${flowId} version ${version} failed: ${reason} (operation ${ourOperation})`, GenesysFailure.publishFailed);
        }
        let started: Models.Operation;
        try {
          started = await session.call({ action: `publish version ${version}`, permission: 'architect:flow:publish', resource: `flow ${flowId}` }, () =>
            architect.postFlowsActionsPublish(flowId, { version }),
          );
        } catch (err) {
          if (isFailure(err, GenesysFailure.conflict)) continue; // another publish began in between: follow it
          throw err;
        }
        if (!started?.id) throw ApplicationFailure.retryable(`Publishing flow ${flowId} version ${version}: the platform returned no operation ID`, GenesysFailure.malformedResponse);
        ourOperation = started.id;
        if (inProgress(started)) await followOperation(flowId, version, started.id);
      }
      throw ApplicationFailure.retryable(`Publishing flow ${flowId} version ${version}: other publishes kept the flow busy`, GenesysFailure.conflict);
    },

    async writeFlagsRow(input) {
      const datatableId = requireString(input?.datatableId, 'datatableId');
      const row = validateFlagsRow(input?.row);
      const resource = `row ${row.key} of data table ${datatableId}`;
      // The pre-event check creates the row (activities/flags-row.ts); reading first here too means an event armed
      // without that check still gets its row, and a PUT never has to guess what a missing row answers.
      if (await ensureFlagsRow(session, datatableId, row)) return;
      await session.call({ action: 'update the flags row', permission: 'architect:datatableRow:edit', resource }, () =>
        // The row must go in opts.body: passed positionally the SDK sends an empty PUT.
        architect.putFlowsDatatableRow(datatableId, row.key, { body: { ...row } }),
      );
    },

    async setMessengerDeploymentVersion(input) {
      const deploymentId = requireString(input?.deploymentId, 'deploymentId');
      const configurationVersion = requireString(input?.configurationVersion, 'configurationVersion');
      const resource = `web deployment ${deploymentId}`;
      const deployment = await session.call({ action: 'read the web deployment', permission: 'webDeployments:deployment:view', resource }, () =>
        session.webDeployments.getWebdeploymentsDeployment(deploymentId),
      );
      if (!deployment?.configuration?.id) throw ApplicationFailure.retryable(`${resource} came back without configuration.id`, GenesysFailure.malformedResponse);
      if (deployment.configuration.version === configurationVersion) return { alreadySet: true };
      // Read-only fields are dropped; everything else is sent back unchanged (PUT replaces the deployment).
      const { snippet: _snippet, selfUri: _selfUri, dateCreated: _created, dateModified: _modified, lastModifiedUser: _user, ...writable } = deployment;
      const updated = await session.call({ action: `point the web deployment at configuration version ${configurationVersion}`, permission: 'webDeployments:deployment:edit', resource }, () =>
        session.webDeployments.putWebdeploymentsDeployment(deploymentId, { ...writable, configuration: { id: deployment.configuration.id, version: configurationVersion } }),
      );
      if (updated?.configuration?.version !== configurationVersion) {
        throw ApplicationFailure.retryable(`${resource} still points at configuration version ${updated?.configuration?.version ?? 'unknown'} after the update`, GenesysFailure.conflict);
      }
      return { alreadySet: false };
    },

    async verifyQueues(input) {
      const queueIds = requireIds(input?.queueIds, 'queueIds');
      const found = await existingQueues(queueIds);
      return { unknown: queueIds.filter((id) => !found.has(id)) };
    },

    async describeGenesysSetup(input) {
      const queueIds = requireIds(input?.queueIds ?? [], 'queueIds');
      const flowIds = requireIds(input?.flowIds ?? [], 'flowIds');
      const foundQueues = await existingQueues(queueIds);
      const flows: GenesysSetupReport['flows'] = { found: [], missing: [] };
      for (const flowId of flowIds) {
        try {
          const flow = await readFlow(flowId);
          flows.found.push({ id: flowId, name: flow.name, publishedVersion: flow.publishedVersion?.id });
        } catch (err) {
          if (!isFailure(err, GenesysFailure.notFound)) throw err;
          flows.missing.push(flowId);
        }
      }
      const report: GenesysSetupReport = { queues: { found: queueIds.filter((id) => foundQueues.has(id)), missing: queueIds.filter((id) => !foundQueues.has(id)) }, flows };
      if (input?.datatableId) {
        const id = requireString(input.datatableId, 'datatableId');
        try {
          const table = await session.call({ action: 'read the data table', permission: 'architect:datatable:view', resource: `data table ${id}` }, () =>
            architect.getFlowsDatatable(id, { expand: 'schema' }),
          );
          const properties = isRecord(table?.schema) && isRecord((table.schema as Record<string, unknown>).properties) ? ((table.schema as Record<string, unknown>).properties as Record<string, unknown>) : {};
          report.datatable = { id, found: true, missingColumns: ['key', ...FLAGS_ROW_COLUMNS].filter((c) => !(c in properties)) };
        } catch (err) {
          if (!isFailure(err, GenesysFailure.notFound)) throw err;
          report.datatable = { id, found: false, missingColumns: [] };
        }
      }
      return report;
    },
  };
}
