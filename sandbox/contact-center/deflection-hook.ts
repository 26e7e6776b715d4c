// The seam between the simulator and whatever keeps a deflected customer's promise: the simulator calls
// the hook for every customer who accepts an asynchronous follow-up (an email, or a callback), so a drill
// can make the promise for real (the deflection endpoint) while the simulator stays synchronous and pure.
import type { DeflectionChannel } from './types';

/** The tier 2 channels that promise the customer something later; `faq` is answered on the spot. */
export type AsyncDeflectionChannel = Extract<DeflectionChannel, 'email' | 'callback'>;

export interface AsyncDeflection {
  /** Simulated ms since the scenario's start when the customer accepted. */
  simTimeMs: number;
  queueId: string;
  channel: AsyncDeflectionChannel;
}

/** Called synchronously from inside `advanceTo`: must not throw, and must not wait (queue any I/O). */
export type AsyncDeflectionHook = (deflection: AsyncDeflection) => void;
