// The Cloudflare API sandbox: import from here (the stack hands in Miniflare's KV namespace as `kv`).
export { startCloudflareSandbox, SANDBOX_CLOUDFLARE } from './server';
export type { CloudflareSandbox, CloudflareSandboxCounters, CloudflareSandboxOptions } from './server';
export { createMemoryKvBackend } from './kv-backend';
export type { KvBackend, KvListOptions, KvListResult, KvPutOptions } from './kv-backend';
