// Mutation testing of the edge Worker's code (edge/src), run in Node against the Worker's fetch handler
// with in-memory KV and assets (test/edge-handler.test.ts): workerd runs in its own process, where
// Stryker cannot switch mutants, so the workerd tests (edge-worker, edge-browser) are not used here.
import { base } from './base.config.mjs';

export const MUTATE = ['edge/src/**/*.ts'];

export const SPEC = ['test/edge-handler.test.ts'];

export default base({ area: 'edge', mutate: MUTATE, spec: SPEC, breakAt: 80 });
