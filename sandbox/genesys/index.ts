export { startGenesysSandbox, DEFAULT_GENESYS_SANDBOX_PORT, type GenesysSandbox, type GenesysSandboxOptions } from './server';
export { GenesysSandboxState, type CounterSnapshot } from './state';
export { defaultSeed, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, FLAGS_TABLE_COLUMNS } from './seed';
export type * from './types';
