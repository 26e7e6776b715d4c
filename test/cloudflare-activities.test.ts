// The Cloudflare activities driving the real `cloudflare` SDK against the local API sandbox.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import type Cloudflare from 'cloudflare';
import {
  CloudflareFailureType,
  cloudflareDepsFromEnv,
  createCloudflareActivities,
  createCloudflareClient,
  type CloudflareActivities,
} from '../activities/cloudflare';
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox } from '../sandbox/cloudflare';

const { accountId, namespaceId, zoneId } = SANDBOX_CLOUDFLARE;

/** The failure an activity threw, checked to be an ApplicationFailure. */
async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the activity to fail');
}

describe('Cloudflare activities against the API sandbox', () => {
  let sandbox: CloudflareSandbox;
  let client: Cloudflare;
  let activities: CloudflareActivities;

  const activitiesWith = (apiToken: string, overrides: { namespaceId?: string; zoneId?: string } = {}) =>
    createCloudflareActivities({
      client: createCloudflareClient({ apiToken, baseURL: sandbox.url }),
      accountId,
      namespaceId: overrides.namespaceId ?? namespaceId,
      zoneId: 'zoneId' in overrides ? overrides.zoneId : zoneId,
    });
  const readKv = async (key: string) =>
    (await client.kv.namespaces.values.get(key, { account_id: accountId, namespace_id: namespaceId })).text();

  // A fresh sandbox per test: KV's per-key write limit must not carry over from one test to the next.
  beforeEach(async () => {
    sandbox = await startCloudflareSandbox();
    client = createCloudflareClient({ apiToken: SANDBOX_CLOUDFLARE.token, baseURL: sandbox.url });
    activities = activitiesWith(SANDBOX_CLOUDFLARE.token);
  });
  afterEach(async () => {
    await sandbox?.close();
  });

  describe('setEdgeFlag', () => {
    it('writes the flag and it reads back through the SDK', async () => {
      await activities.setEdgeFlag({ key: 'chat_surge_active', value: true });
      assert.equal(await readKv('chat_surge_active'), 'true');
    });

    it('writes once when the same value is set twice', async () => {
      const before = sandbox.requests.kvPut;
      await activities.setEdgeFlag({ key: 'chat_fallback_active', value: false });
      await activities.setEdgeFlag({ key: 'chat_fallback_active', value: false });
      assert.equal(sandbox.requests.kvPut - before, 1);
      assert.equal(await readKv('chat_fallback_active'), 'false');
    });

    it('classifies a second write to the same key within 1 s as retryable, and a later attempt succeeds', async () => {
      const limitedBefore = sandbox.requests.rateLimited;
      await activities.setEdgeFlag({ key: 'chat_surge_active', value: false });
      const failure = await failureOf(activities.setEdgeFlag({ key: 'chat_surge_active', value: true }));
      assert.equal(failure.type, CloudflareFailureType.rateLimited);
      assert.equal(failure.nonRetryable, false);
      assert.ok(Number(failure.nextRetryDelay) >= 1000, `nextRetryDelay ${String(failure.nextRetryDelay)} should be ≥ 1 s`);
      assert.ok(sandbox.requests.rateLimited > limitedBefore);
      // What Temporal would do: attempt again until the per-key window has passed.
      for (;;) {
        try {
          await activities.setEdgeFlag({ key: 'chat_surge_active', value: true });
          break;
        } catch (error) {
          assert.ok(error instanceof ApplicationFailure && error.type === CloudflareFailureType.rateLimited, String(error));
          await new Promise((resolve) => setTimeout(resolve, Number(error.nextRetryDelay) / 10));
        }
      }
      assert.equal(await readKv('chat_surge_active'), 'true');
    });

    it('fails for good on a wrong token, naming the permission the token needs', async () => {
      const failure = await failureOf(activitiesWith('not-a-real-token').setEdgeFlag({ key: 'chat_surge_active', value: true }));
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, CloudflareFailureType.permissionDenied);
      assert.match(failure.message, /HTTP 401, 10000 Authentication error/);
      assert.match(failure.message, new RegExp(`Workers KV Storage:Edit on account ${accountId}`));
      assert.doesNotMatch(failure.message, /not-a-real-token/);
    });

    it('is refused for a read-only token at the write, naming the missing permission', async () => {
      await activities.setEdgeFlag({ key: 'chat_fallback_active', value: false });
      const putsBefore = sandbox.requests.kvPut;
      const readOnly = activitiesWith(SANDBOX_CLOUDFLARE.readOnlyToken);
      const failure = await failureOf(readOnly.setEdgeFlag({ key: 'chat_fallback_active', value: true }));
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /write KV key "chat_fallback_active" \(HTTP 403/);
      assert.match(failure.message, /lacks the permission Workers KV Storage:Edit on account sandbox-account/);
      assert.equal(sandbox.requests.kvPut, putsBefore);
      assert.equal(await readKv('chat_fallback_active'), 'false');
    });

    it('fails for good on an unknown namespace, naming its ID', async () => {
      const failure = await failureOf(
        activitiesWith(SANDBOX_CLOUDFLARE.token, { namespaceId: 'no-such-namespace' }).setEdgeFlag({ key: 'chat_surge_active', value: true }),
      );
      assert.equal(failure.nonRetryable, true);
      assert.equal(failure.type, CloudflareFailureType.notFound);
      assert.match(failure.message, /KV namespace no-such-namespace does not exist in account sandbox-account/);
    });

    it('rejects a key that is not an edge flag before calling Cloudflare', async () => {
      const totalBefore = sandbox.requests.total;
      const input = { key: 'something_else', value: true } as unknown as Parameters<CloudflareActivities['setEdgeFlag']>[0];
      const failure = await failureOf(activities.setEdgeFlag(input));
      assert.equal(failure.type, CloudflareFailureType.invalidInput);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /"chat_surge_active" \| "chat_fallback_active"/);
      assert.equal(sandbox.requests.total, totalBefore);
    });
  });

  describe('publishSupportStatus', () => {
    const status = { level: 'degraded', message: 'Chat is busy; email us instead.', updatedAt: '2026-11-27T15:00:00.000Z' } as const;

    it('publishes the status JSON under support_status, once for an unchanged status', async () => {
      const before = sandbox.requests.kvPut;
      await activities.publishSupportStatus({ status });
      await activities.publishSupportStatus({ status: { ...status } });
      assert.deepEqual(JSON.parse(await readKv('support_status')), status);
      assert.equal(sandbox.requests.kvPut - before, 1);
    });

    it('rejects a status with an unknown level, naming the field', async () => {
      const bad = { ...status, level: 'meltdown' } as unknown as typeof status;
      const failure = await failureOf(activities.publishSupportStatus({ status: bad }));
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /status\.level must be one of ok, degraded, outage, got "meltdown"/);
    });
  });

  describe('canaryKvWrite', () => {
    it('writes, reads back and deletes a canary key', async () => {
      const result = await activities.canaryKvWrite();
      assert.match(result.key, /^surge_canary_/);
      assert.equal(result.deleted, true);
      const left = [];
      for await (const key of client.kv.namespaces.keys.list(namespaceId, { account_id: accountId, prefix: 'surge_canary_' })) left.push(key.name);
      assert.deepEqual(left, []);
    });

    it('fails a readiness check for a read-only token, naming the permission', async () => {
      const failure = await failureOf(activitiesWith(SANDBOX_CLOUDFLARE.readOnlyToken).canaryKvWrite());
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /Workers KV Storage:Edit on account sandbox-account/);
    });
  });

  describe('purgeUrl', () => {
    it('purges the URL from the zone cache', async () => {
      const result = await activities.purgeUrl({ url: 'https://www.example.com/support/' });
      assert.match(result.purgeId, /^[0-9a-f]{32}$/);
      assert.deepEqual(sandbox.purgedUrls.slice(-1), ['https://www.example.com/support/']);
    });

    it('needs a zone ID', async () => {
      const failure = await failureOf(activitiesWith(SANDBOX_CLOUDFLARE.token, { zoneId: undefined }).purgeUrl({ url: 'https://www.example.com/' }));
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /set CLOUDFLARE_ZONE_ID/);
    });

    it('names the Cache Purge permission when the token lacks it', async () => {
      const failure = await failureOf(activitiesWith(SANDBOX_CLOUDFLARE.readOnlyToken).purgeUrl({ url: 'https://www.example.com/' }));
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /Cache Purge:Purge on zone sandbox-zone/);
    });
  });

  describe('checkCacheStatus', () => {
    let origin: Server;
    let originUrl: string;

    before(async () => {
      origin = createServer((req, res) => {
        if (req.url === '/cached') {
          res.writeHead(200, { 'cf-cache-status': 'HIT', age: '42', 'cf-ray': '8f1c2d3e4f5a6b7c-AMS', 'content-type': 'text/html' });
          res.end('<p>served from cache</p>');
        } else {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<p>straight from origin</p>');
        }
      });
      await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
      originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    });
    after(async () => {
      origin?.closeAllConnections();
      await new Promise((resolve) => origin?.close(resolve));
    });

    it('reports cf-cache-status, age and cf-ray', async () => {
      const result = await activities.checkCacheStatus({ url: `${originUrl}/cached` });
      assert.deepEqual(result, { url: `${originUrl}/cached`, status: 200, cfCacheStatus: 'HIT', age: 42, cfRay: '8f1c2d3e4f5a6b7c-AMS', surgeMode: null });
    });

    it('reports nulls when the response did not come through a cache, also for HEAD', async () => {
      const result = await activities.checkCacheStatus({ url: `${originUrl}/plain`, method: 'HEAD' });
      assert.equal(result.status, 200);
      assert.equal(result.cfCacheStatus, null);
      assert.equal(result.age, null);
    });

    it('rejects a URL that is not http(s)', async () => {
      const failure = await failureOf(activities.checkCacheStatus({ url: 'ftp://example.com/x' }));
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /absolute http\(s\) URL/);
    });

    it('leaves an unreachable URL retryable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const failure = await failureOf(activities.checkCacheStatus({ url: `http://127.0.0.1:${port}/` }));
      assert.equal(failure.nonRetryable, false);
    });
  });

  describe('cloudflareDepsFromEnv', () => {
    it('names every missing variable', () => {
      assert.throws(
        () => cloudflareDepsFromEnv({ CLOUDFLARE_API_TOKEN: 'x' }),
        /need CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_KV_NAMESPACE_ID in the environment/,
      );
    });

    it('builds working activities from the environment, base URL included', async () => {
      const deps = cloudflareDepsFromEnv({
        CLOUDFLARE_API_TOKEN: SANDBOX_CLOUDFLARE.token,
        CLOUDFLARE_ACCOUNT_ID: accountId,
        CLOUDFLARE_KV_NAMESPACE_ID: namespaceId,
        CLOUDFLARE_BASE_URL: sandbox.url,
      });
      assert.equal(deps.zoneId, undefined);
      await createCloudflareActivities(deps).publishSupportStatus({
        status: { level: 'ok', message: 'All channels open.', updatedAt: '2026-11-27T16:00:00.000Z' },
      });
      assert.equal(JSON.parse(await readKv('support_status')).level, 'ok');
    });
  });
});
