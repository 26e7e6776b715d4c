// One Architect flow publish, run as its own workflow with ID `flow-publish-<flowId>`: Temporal refuses a
// second execution with that ID while one is open, so two publishes of one flow can never overlap,
// whichever event or operator asks. The caller reconciles on its next poll.
import { proxyActivities } from '@temporalio/workflow';
import type { SurgeActivities } from '../activities';

const { publishFlowVersion } = proxyActivities<SurgeActivities>({
  // Publishing is asynchronous on the platform; the activity follows the operation and heartbeats.
  startToCloseTimeout: '10 minutes',
  // Short: after a worker crash the next attempt starts once heartbeats stop, and resumes the operation.
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

export interface FlowPublishInput {
  flowId: string;
  version: string;
  requestedBy: string;
}

export interface FlowPublishResult {
  flowId: string;
  version: string;
  alreadyPublished: boolean;
}

export function flowPublishWorkflowId(flowId: string): string {
  return `flow-publish-${flowId}`;
}

export async function flowPublish(input: FlowPublishInput): Promise<FlowPublishResult> {
  const { alreadyPublished } = await publishFlowVersion({ flowId: input.flowId, version: input.version });
  return { flowId: input.flowId, version: input.version, alreadyPublished };
}
