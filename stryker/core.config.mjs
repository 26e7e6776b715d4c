// Mutation testing of the pure core (no Temporal, no I/O): the tier policy, the ONE config schema and its
// wrappers, failure classes, the retry budget, queue verification, the actuator planning, the reconciler and the
// leading-indicator forecast and rules, and when a batch of polls hands back. Edit MUTATE
// when modules move and SPEC to the unit test files that own them. Run with `npm run test:mutation -- core`.
import { base } from './base.config.mjs';

export const MUTATE = [
  'workflows/policy.ts',
  'workflows/config-schema.ts',
  'workflows/validate-config.ts',
  'workflows/failure-classes.ts',
  'workflows/activity-options.ts',
  'workflows/queue-check.ts',
  'workflows/actuation.ts',
  'workflows/reconciler.ts',
  'workflows/poll-batch.ts',
  'workflows/forecast.ts',
  'workflows/leading-rules.ts',
  'client/event-config.ts',
];

// Not test/event-config.test.ts: its CLI test connects to Temporal when a mutant gets past --validate-only,
// and waits for the timeout; config-rules.test.ts and config-schema.test.ts cover client/event-config.ts.
export const SPEC = [
  'test/policy.test.ts',
  'test/policy-rules.test.ts',
  'test/config-rules.test.ts',
  'test/config-schema.test.ts',
  'test/activity-options.test.ts',
  'test/actuation.test.ts',
  'test/reconciler.test.ts',
  'test/poll-batch.test.ts',
  'test/forecast.test.ts',
  'test/leading-policy.test.ts',
];

// ignoreStatic: module-level code runs once when a spec loads it, so each of its mutants needs a fresh
// worker that loads every spec again (~15 s each here). That is the zod schemas' structure in
// workflows/config-schema.ts and client/event-config.ts (their refine callbacks and the cross-field rules
// run per test and ARE mutated), the failure-class table and the retry budget constants in
// workflows/activity-options.ts. Those stay tested by config-schema.test.ts, config-rules.test.ts and
// activity-options.test.ts, just not mutated here.
export default base({ area: 'core', mutate: MUTATE, spec: SPEC, breakAt: 90, ignoreStatic: true });
