// What the workflow makes of a queue verification (activities' verifyQueues): unknown queue IDs are the
// controller's own mistake, so the poll is a failed sample of class `controller` naming each ID and the
// fix. It holds tiers 1-3, never counts toward tier 4, and raises the controller-misconfigured alert.
// Pure: no Temporal import.
import type { Sample } from './types';

export function unknownQueuesSample(unknown: string[], at: string): Sample {
  const shown = unknown.length <= 10 ? unknown.join(', ') : `${unknown.slice(0, 10).join(', ')} and ${unknown.length - 10} more`;
  return {
    ok: false,
    at,
    failureClass: 'controller',
    error:
      `queue ID(s) not found in Genesys Cloud: ${shown}. Fix queueIds in the event config (or give the OAuth client's ` +
      `role routing:queue:view on their division); tiers are held and tier 4 is not counting`,
  };
}
