// One owner per site-wide actuator (issue 10, item 3). Before an event starts, the client claims each actuator
// it drives by starting the tiny `actuatorClaim` workflow under the actuator's deterministic ID
// (workflows/claim-keys.ts). Temporal refuses a second running execution with that ID, so exactly one event holds
// each actuator; the refused start reads the owner from the claim's memo and names it. A claim whose owner event
// is no longer running (terminated, failed, never started) is stale: it is terminated with a reason and taken
// over. Claims are taken here, not by the event workflow, because only a client can describe another workflow
// (to name the owner and see whether it still runs), and so that nothing of the refused event starts at all.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { actuatorClaim, type ActuatorClaimInput, type ActuatorClaimMemo } from '../workflows/actuator-claim';
import { actuatorClaimKeys, type ActuatorClaimKey } from '../workflows/claim-keys';
import { surgeEventWorkflowId } from '../workflows/ids';
import type { EventConfig } from '../workflows/types';

/** A claim outlives its event's end by this much unless released: room for the end's restore loop (8 backed-off attempts). */
export const CLAIM_GRACE_MS = 3 * 3_600_000;
/**
 * A claim whose owner event does not exist yet is a start in progress for this long (the claim is taken just
 * before the event is started); after it, the start died between the two and the claim is stale.
 */
export const CLAIM_START_GRACE_MS = 60_000;
const ATTEMPTS = 3;

/** `claims`: every claim the event holds (to release at its end); `taken`: those this call took (to give back if the start fails). */
export type ClaimResult = { ok: true; claims: string[]; taken: string[] } | { ok: false; refusal: string };

/** Claims every actuator `config` drives, or none: on a refusal the claims this call took are given back. */
export async function claimActuators(client: Client, taskQueue: string, config: EventConfig): Promise<ClaimResult> {
  const taken: string[] = [];
  const held: string[] = [];
  try {
    for (const key of actuatorClaimKeys(config)) {
      const outcome = await claimOne(client, taskQueue, config, key);
      if (outcome === 'taken') taken.push(key.workflowId);
      else if (outcome === 'held') held.push(key.workflowId);
      else {
        await giveBack(client, taken, `start of event ${config.eventId} refused: ${outcome.refusal}`);
        return outcome;
      }
    }
  } catch (err) {
    await giveBack(client, taken, `start of event ${config.eventId} failed: ${(err as Error).message}`);
    throw err;
  }
  return { ok: true, claims: [...held, ...taken].sort(), taken };
}

/** Gives back claims taken for a start that did not happen. Terminated, not signalled: no worker is needed for it. */
export async function giveBack(client: Client, workflowIds: string[], reason: string): Promise<void> {
  await Promise.all(workflowIds.map((id) => client.workflow.getHandle(id).terminate(reason).catch(ignoreNotFound)));
}

async function claimOne(client: Client, taskQueue: string, config: EventConfig, key: ActuatorClaimKey): Promise<'taken' | 'held' | { ok: false; refusal: string }> {
  const input: ActuatorClaimInput = { actuator: key.actuator, eventId: config.eventId, endAt: config.endAt };
  for (let attempt = 1; ; attempt++) {
    try {
      await client.workflow.start(actuatorClaim, {
        taskQueue,
        workflowId: key.workflowId,
        args: [input],
        memo: { ...input } satisfies ActuatorClaimMemo,
        workflowIdConflictPolicy: 'FAIL',
        // A closed claim's ID is free for the next owner.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        // The backstop if the owner dies and nobody claims the actuator after it.
        workflowExecutionTimeout: Math.max(Date.parse(config.endAt) + CLAIM_GRACE_MS - Date.now(), CLAIM_START_GRACE_MS),
        staticSummary: `${key.actuator} owned by event ${config.eventId} until ${config.endAt}`,
      });
      return 'taken';
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    if (attempt > ATTEMPTS) return { ok: false, refusal: `actuator ${key.actuator} is contended (claim ${key.workflowId} keeps changing hands); try again` };
    const claim = await client.workflow
      .getHandle(key.workflowId)
      .describe()
      .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
    if (!claim || claim.status.name !== 'RUNNING') continue; // closed meanwhile: try again
    const memo = (claim.memo ?? {}) as Partial<ActuatorClaimMemo>;
    const owner = memo.eventId ?? '(unknown)';
    const ownerStatus = await eventStatus(client, owner);
    if (ownerStatus === 'RUNNING') {
      if (owner === config.eventId) return 'held';
      return { ok: false, refusal: refusal(key, owner, memo.endAt) };
    }
    if (ownerStatus === 'not-found' && Date.now() - claim.startTime.getTime() < CLAIM_START_GRACE_MS) {
      return { ok: false, refusal: `${refusal(key, owner, memo.endAt)} (that event is being started right now)` };
    }
    // Stale: its owner ended without releasing it (terminated, failed) or never started. Take it over, on the record.
    // That run only: should another start have taken it over meanwhile, its fresh claim is not ours to end.
    await client.workflow
      .getHandle(key.workflowId, claim.runId)
      .terminate(`stale claim: owner event ${owner} is ${ownerStatus}; taken over by event ${config.eventId}`)
      .catch(ignoreNotFound);
  }
}

function refusal(key: ActuatorClaimKey, owner: string, endAt: string | undefined): string {
  return `actuator ${key.actuator} is owned by event ${owner} (${surgeEventWorkflowId(owner)}) until ${endAt ?? 'its end'}; end that event or wait (claim ${key.workflowId})`;
}

async function eventStatus(client: Client, eventId: string): Promise<string> {
  try {
    return (await client.workflow.getHandle(surgeEventWorkflowId(eventId)).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'not-found';
    throw err;
  }
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof WorkflowNotFoundError)) throw err;
}
