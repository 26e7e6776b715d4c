// Web Messaging deployments: GET one or all, PUT the whole deployment (its configuration must be a published version).
import { badRequest, isRecord, notFound } from '../http';
import type { GenesysSandboxState, WebDeploymentRecord } from '../state';
import type { ApiRoute } from './context';

function deploymentBody(d: WebDeploymentRecord): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    ...(d.description ? { description: d.description } : {}),
    allowAllDomains: d.allowAllDomains,
    allowedDomains: d.allowedDomains,
    status: d.status,
    ...(d.flowId ? { flow: { id: d.flowId, selfUri: `/api/v2/flows/${d.flowId}` } } : {}),
    configuration: { id: d.configuration.id, version: d.configuration.version, selfUri: `/api/v2/webdeployments/configurations/${d.configuration.id}/versions/${d.configuration.version}` },
    snippet: `<script>/* Genesys Messenger snippet for deployment ${d.id} (sandbox) */</script>`,
    dateCreated: d.dateCreated,
    dateModified: d.dateModified,
    selfUri: `/api/v2/webdeployments/deployments/${d.id}`,
  };
}

function findDeployment(state: GenesysSandboxState, id: string): WebDeploymentRecord {
  const d = state.webDeployments.get(id);
  if (!d) throw notFound(`Web deployment ${id} not found`);
  return d;
}

const STATUSES = ['Pending', 'Active', 'Inactive', 'Error', 'Deleting'];

export const webDeploymentRoutes: ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v2/webdeployments/deployments',
    permission: 'webDeployments:deployment:view',
    handler: ({ state }) => {
      const entities = [...state.webDeployments.values()].map(deploymentBody);
      return { body: { entities, total: entities.length, selfUri: '/api/v2/webdeployments/deployments' } };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/webdeployments/deployments/:deploymentId',
    permission: 'webDeployments:deployment:view',
    handler: ({ state, params }) => ({ body: deploymentBody(findDeployment(state, params.deploymentId)) }),
  },
  {
    method: 'PUT',
    pattern: '/api/v2/webdeployments/deployments/:deploymentId',
    permission: 'webDeployments:deployment:edit',
    handler: ({ state, params, body }) => {
      const d = findDeployment(state, params.deploymentId);
      if (!isRecord(body)) throw badRequest('The body must be a WebDeployment object');
      if (typeof body.name !== 'string' || body.name === '') throw badRequest('name is required');
      const cfg = body.configuration;
      if (!isRecord(cfg) || typeof cfg.id !== 'string' || typeof cfg.version !== 'string') throw badRequest('configuration {id, version} is required');
      const known = state.messengerConfigurations.get(cfg.id);
      if (!known) throw badRequest(`Messenger configuration ${cfg.id} does not exist`);
      if (!known.versions.includes(cfg.version)) {
        throw badRequest(`Messenger configuration ${cfg.id} has no published version ${cfg.version} (published: ${known.versions.join(', ')})`);
      }
      if (body.status !== undefined && (typeof body.status !== 'string' || !STATUSES.includes(body.status))) throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
      d.name = body.name;
      d.description = typeof body.description === 'string' ? body.description : d.description;
      if (typeof body.allowAllDomains === 'boolean') d.allowAllDomains = body.allowAllDomains;
      if (Array.isArray(body.allowedDomains)) d.allowedDomains = body.allowedDomains.map(String);
      if (typeof body.status === 'string') d.status = body.status;
      if (isRecord(body.flow) && typeof body.flow.id === 'string') d.flowId = body.flow.id;
      d.configuration = { id: cfg.id, version: cfg.version };
      d.dateModified = new Date(state.clock()).toISOString();
      return { body: deploymentBody(d) };
    },
  },
];
