// The claim on one site-wide actuator: a tiny workflow whose ID (`actuator-claim-<kind>-<id>`,
// workflows/claim-keys.ts) Temporal lets only one running execution hold, so while it runs no other event can
// claim the actuator. The client starts it before the event (client/actuator-claims.ts) with the owner in its
// memo; the owner event signals `release` at its end. If the owner dies without releasing (terminated, failed),
// the next claimant sees the owner closed and takes over; the execution timeout (the event's end plus grace) is
// the last backstop.
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';

export interface ActuatorClaimInput {
  /** The actuator in operators' words, e.g. `chat_surge_active (KV)`. */
  actuator: string;
  /** The owner event's ID (its workflow is `surge-event-<eventId>`). */
  eventId: string;
  /** The owner event's end (ISO): the claim holds until then, or until released. */
  endAt: string;
}

/** Memo on every claim: what a refused client reads with describe() to name the owner. */
export type ActuatorClaimMemo = ActuatorClaimInput;

export const releaseClaimSignal = defineSignal<[{ eventId: string }]>('release');
export const claimOwnerQuery = defineQuery<ActuatorClaimInput>('claimOwner');

export async function actuatorClaim(input: ActuatorClaimInput): Promise<{ releasedBy: string }> {
  let releasedBy: string | null = null;
  setHandler(claimOwnerQuery, () => input);
  // Only the owner releases: a late signal from an event whose claim was taken over must not free the new owner's.
  setHandler(releaseClaimSignal, ({ eventId }) => {
    if (eventId === input.eventId) releasedBy = eventId;
  });
  await condition(() => releasedBy !== null);
  return { releasedBy: releasedBy! };
}
