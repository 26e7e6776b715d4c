// Architect flows: read, list versions, and the asynchronous publish that reports through `currentOperation`.
import { GenesysHttpError, badRequest, notFound } from '../http';
import type { FlowRecord, GenesysSandboxState, OperationRecord } from '../state';
import type { ApiRoute } from './context';
import { listParam, page } from './context';

function versionBody(flow: FlowRecord, versionId: string | undefined): Record<string, unknown> | undefined {
  const v = flow.versions.find((x) => x.id === versionId);
  if (!v) return undefined;
  return { id: v.id, name: v.name, commitVersion: v.id, configurationVersion: v.id, type: 'PUBLISH', secure: false, debug: false, dateCreated: Date.parse(v.dateCreated), selfUri: `/api/v2/flows/${flow.id}/versions/${v.id}` };
}

export function operationBody(op: OperationRecord): Record<string, unknown> {
  return {
    id: op.id,
    complete: op.complete,
    actionName: 'PUBLISH',
    actionStatus: op.status,
    client: { id: 'sandbox-client', selfUri: '/api/v2/oauth/clients/sandbox-client' },
    ...(op.status === 'FAILURE'
      ? { errorMessage: op.failWith, errorCode: 'FLOW_PUBLISH_FAILED', errorDetails: [{ errorCode: 'FLOW_PUBLISH_FAILED', fieldName: 'flow', entityId: op.id }] }
      : {}),
  };
}

function flowBody(state: GenesysSandboxState, flow: FlowRecord): Record<string, unknown> {
  state.settleFlow(flow);
  const latest = flow.versions[flow.versions.length - 1]?.id;
  return {
    id: flow.id,
    name: flow.name,
    division: { id: 'div-home', name: 'Home' },
    type: flow.type.toUpperCase(),
    active: flow.publishedVersionId !== undefined,
    system: false,
    deleted: false,
    publishedVersion: versionBody(flow, flow.publishedVersionId),
    checkedInVersion: versionBody(flow, latest),
    savedVersion: versionBody(flow, latest),
    ...(flow.operation ? { currentOperation: operationBody(flow.operation) } : {}),
    selfUri: `/api/v2/flows/${flow.id}`,
  };
}

function findFlow(state: GenesysSandboxState, flowId: string): FlowRecord {
  const flow = state.flows.get(flowId);
  if (!flow) throw notFound(`Flow ${flowId} not found`, 'flow.not.found');
  return state.settleFlow(flow);
}

export const flowRoutes: ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v2/flows',
    permission: 'architect:flow:view',
    handler: ({ state, query }) => {
      const ids = listParam(query, 'id');
      const types = listParam(query, 'type').map((t) => t.toLowerCase());
      const flows = [...state.flows.values()]
        .filter((f) => ids.length === 0 || ids.includes(f.id))
        .filter((f) => types.length === 0 || types.includes(f.type.toLowerCase()));
      return { body: page(flows.map((f) => flowBody(state, f)), query, '/api/v2/flows') };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/flows/:flowId',
    permission: 'architect:flow:view',
    handler: ({ state, params }) => ({ body: flowBody(state, findFlow(state, params.flowId)) }),
  },
  {
    method: 'GET',
    pattern: '/api/v2/flows/:flowId/versions',
    permission: 'architect:flow:view',
    handler: ({ state, params, query }) => {
      const flow = findFlow(state, params.flowId);
      return { body: page(flow.versions.map((v) => versionBody(flow, v.id)), query, `/api/v2/flows/${flow.id}/versions`) };
    },
  },
  {
    method: 'POST',
    pattern: '/api/v2/flows/actions/publish',
    permission: 'architect:flow:publish',
    handler: ({ state, query }) => {
      const flowId = query.get('flow');
      if (!flowId) throw badRequest('The query parameter "flow" is required', 'missing.required.parameter');
      const flow = findFlow(state, flowId);
      const version = query.get('version') ?? flow.versions[flow.versions.length - 1]?.id;
      if (!version || !flow.versions.some((v) => v.id === version)) {
        throw badRequest(`Flow ${flowId} has no version ${String(version)} (versions: ${flow.versions.map((v) => v.id).join(', ')})`, 'flow.version.not.found');
      }
      if (flow.operation && !flow.operation.complete) {
        throw new GenesysHttpError(409, 'flow.operation.in.progress', `Flow ${flowId} already has a ${flow.operation.status} publish in progress (operation ${flow.operation.id})`);
      }
      return { body: operationBody(state.startPublish(flow, version)) };
    },
  },
];
