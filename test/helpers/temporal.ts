// Tests use the same provisioned Temporal environments as drills and benchmarks.
export { devServerEnv, timeSkippingEnv, workflowBundle } from '../../sandbox/temporal-env';
