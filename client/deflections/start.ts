// Makes (or finds) the promise for one conversation: starts deflectionFollowUp with workflow ID
// `deflection-<conversationId>`. USE_EXISTING attaches a retried Data Action call to the running promise;
// REJECT_DUPLICATE keeps a call after the promise was kept from making a second one. Either way the caller
// gets the first promise's reference and deadline.
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { deflectionFollowUp } from '../../workflows/deflection-follow-up';
import { deflectionReference, deflectionWorkflowId, type DeflectionFollowUpInput, type DeflectionRequest, type DeflectionResponse } from '../../workflows/deflection-types';
import { TASK_QUEUE } from '../../workflows/ids';

export interface StartDeflectionOptions {
  taskQueue?: string;
  atRiskMarginMinutes: number;
  giveUpAfterMinutes?: number;
}

interface PromiseMemo {
  reference?: string;
  promisedBy?: string;
  startRequestId?: string;
}

export async function startDeflection(client: Client, request: DeflectionRequest & { promisedBy: string }, options: StartDeflectionOptions): Promise<DeflectionResponse> {
  const workflowId = deflectionWorkflowId(request.conversationId);
  const reference = deflectionReference(request.conversationId);
  // Marks this call's start, so the describe below can tell "created by me" from "found".
  const startRequestId = randomUUID();
  const input: DeflectionFollowUpInput = {
    request,
    reference,
    atRiskMarginMinutes: options.atRiskMarginMinutes,
    ...(options.giveUpAfterMinutes !== undefined ? { giveUpAfterMinutes: options.giveUpAfterMinutes } : {}),
  };
  const memo: PromiseMemo = { reference, promisedBy: request.promisedBy, startRequestId };
  let handle;
  try {
    handle = await client.workflow.start(deflectionFollowUp, {
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      workflowId,
      args: [input],
      memo: memo as Record<string, unknown>,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = client.workflow.getHandle(workflowId); // closed already: the promise was made (and kept or failed)
  }
  // The start answer does not say whether it attached; the memo of the execution does.
  const found = (await handle.describe()).memo as PromiseMemo | undefined;
  const created = found?.startRequestId === startRequestId;
  return { reference: found?.reference ?? reference, workflowId, promisedBy: found?.promisedBy ?? request.promisedBy, created };
}

/** The promise an earlier call made for this conversation (running or closed), or null when there is none. */
export async function findDeflection(client: Client, conversationId: string): Promise<DeflectionResponse | null> {
  const workflowId = deflectionWorkflowId(conversationId);
  try {
    const memo = (await client.workflow.getHandle(workflowId).describe()).memo as PromiseMemo | undefined;
    return { reference: memo?.reference ?? deflectionReference(conversationId), workflowId, promisedBy: memo?.promisedBy ?? '', created: false };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
