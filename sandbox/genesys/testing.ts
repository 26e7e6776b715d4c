// Helpers for tests and benches that drive the real SDK against the sandbox on a shared fake clock.
import { GenesysSession, type GenesysSessionOptions } from '../../activities/genesys-client';
import type { GenesysSandbox } from './server';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './seed';

/** A clock that only moves when told to; `sleep` advances it instead of waiting and records the wait. */
export interface FakeClock {
  now(): number;
  advance(ms: number): void;
  sleep(ms: number): Promise<void>;
  readonly sleeps: number[];
}

export function createFakeClock(start = Date.parse('2026-03-01T09:00:00Z')): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
      await Promise.resolve();
    },
    sleeps,
  };
}

/** A session logged in with the sandbox client, routed to the sandbox through the SDK's gateway. */
export function sandboxSession(sandbox: GenesysSandbox, overrides: Partial<GenesysSessionOptions> = {}): GenesysSession {
  return new GenesysSession({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, gatewayUrl: sandbox.url, ...overrides });
}
