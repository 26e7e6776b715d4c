// A flag flipped through the real SDK and the API sandbox reaches a Worker running in workerd (Miniflare),
// because the sandbox stores values in the Worker's own KV namespace.
import assert from 'node:assert/strict';
import { Miniflare } from 'miniflare';
import { ApplicationFailure } from '@temporalio/common';
import { CloudflareFailureType, createCloudflareActivities, createCloudflareClient, type CloudflareActivities } from '../activities/cloudflare';
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox, type KvBackend } from '../sandbox/cloudflare';

const WORKER = 'export default { async fetch(r, env) { return new Response(await env.SURGE_FLAGS.get("chat_surge_active")) } }';

/** Runs `attempt` again while it fails with KV's per-key write limit, as Temporal's retry policy would. */
async function retryWhileRateLimited(attempt: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApplicationFailure) || error.type !== CloudflareFailureType.rateLimited) throw error;
      await new Promise((resolve) => setTimeout(resolve, Number(error.nextRetryDelay) / 10));
    }
  }
}

describe('Cloudflare sandbox backed by a Miniflare KV namespace', () => {
  let mf: Miniflare;
  let kv: KvBackend;
  let sandbox: CloudflareSandbox;
  let activities: CloudflareActivities;
  const edgeSays = async () => (await mf.dispatchFetch('http://localhost/')).text();

  before(async () => {
    mf = new Miniflare({ modules: true, script: WORKER, kvNamespaces: ['SURGE_FLAGS'], compatibilityDate: '2025-04-01' });
    // Miniflare types this via @cloudflare/workers-types, which is not installed, so the declared type is
    // unusable; at run time it is Workers' KVNamespace, whose get/put/delete/list KvBackend is a subset of.
    kv = (await mf.getKVNamespace('SURGE_FLAGS')) as unknown as KvBackend;
    sandbox = await startCloudflareSandbox({ kv });
    activities = createCloudflareActivities({
      client: createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.token, baseURL: sandbox.url }),
      accountId: SANDBOX_CLOUDFLARE.accountId,
      namespaceId: SANDBOX_CLOUDFLARE.namespaceId,
    });
  });
  after(async () => {
    await sandbox?.close();
    await mf?.dispose();
  });

  it('shows a flag flipped through the SDK in the Worker, both ways', async () => {
    assert.equal(await edgeSays(), '');
    await activities.setEdgeFlag({ key: 'chat_surge_active', value: true });
    assert.equal(await edgeSays(), 'true');
    await retryWhileRateLimited(() => activities.setEdgeFlag({ key: 'chat_surge_active', value: false }));
    assert.equal(await edgeSays(), 'false');
  });

  it('reads through the API what was put straight into the namespace (wrangler kv key put --local)', async () => {
    await kv.put('chat_fallback_active', 'true');
    const putsBefore = sandbox.requests.kvPut;
    await activities.setEdgeFlag({ key: 'chat_fallback_active', value: true });
    assert.equal(sandbox.requests.kvPut, putsBefore, 'already "true": no write');
  });

  it('runs the canary write, read and delete against the Worker namespace', async () => {
    const { key, deleted } = await activities.canaryKvWrite();
    assert.equal(deleted, true);
    assert.equal(await kv.get(key), null);
    assert.deepEqual((await kv.list({ prefix: 'surge_canary_' })).keys, []);
  });
});
