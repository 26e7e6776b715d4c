// Mutation testing of the pure core (no Temporal, no I/O): the tier policy, the config checks and the
// actuator planning. Edit MUTATE when modules move (config-schema.ts, the reconciler) and SPEC to the
// unit test files that own them. Run with `npm run test:mutation`.
import { base } from './base.config.mjs';

export const MUTATE = [
  'workflows/policy.ts',
  'workflows/validate-config.ts',
  'client/event-config.ts',
  'workflows/actuation.ts',
];

// Not test/event-config.test.ts: its CLI test connects to Temporal when a mutant gets past --validate-only,
// and waits for the timeout; config-rules.test.ts covers client/event-config.ts.
export const SPEC = [
  'test/policy.test.ts',
  'test/policy-rules.test.ts',
  'test/config-rules.test.ts',
  'test/actuation.test.ts',
];

// ignoreStatic: client/event-config.ts's zod schema is module-level (~250 static mutants, hours here); its
// rules are still tested through parseEventConfig in config-rules.test.ts.
export default base({ area: 'core', mutate: MUTATE, spec: SPEC, breakAt: 90, ignoreStatic: true });
