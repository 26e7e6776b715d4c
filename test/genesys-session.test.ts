// The SDK session against the sandbox: token renewal, 401 re-login, 429 storms, 5xx, permissions.
import assert from 'node:assert/strict';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import { createFakeClock, sandboxSession, type FakeClock } from '../sandbox/genesys/testing';
import { createGenesysActivities } from '../activities/genesys';
import { GenesysFailure, createGenesysSession } from '../activities/genesys-client';
import { rejection } from './helpers/failures';

const OBSERVATIONS = 'POST /api/v2/analytics/queues/observations/query';
const TOKEN = 'POST /oauth/token';

describe('genesys session (real SDK against the sandbox)', () => {
  let sandbox: GenesysSandbox;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = createFakeClock();
    sandbox = await startGenesysSandbox({ port: 0, clock: clock.now, tokenTtlSeconds: 120 });
  });
  afterEach(() => sandbox.close());

  const activities = (overrides = {}) => createGenesysActivities(sandboxSession(sandbox, { now: clock.now, sleep: clock.sleep, renewBeforeMs: 30_000, ...overrides }));
  const status = (route: string, code: number) => sandbox.state.readCounters().byRoute[route]?.byStatus[code] ?? 0;

  it('renews the token before it expires, without a 401', async () => {
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    clock.advance(60_000);
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    assert.equal(status(TOKEN, 200), 1, 'token still fresh: no second login');
    clock.advance(35_000); // 95 s of a 120 s token: inside the 30 s renewal margin
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    assert.equal(status(TOKEN, 200), 2);
    assert.equal(status(OBSERVATIONS, 401), 0);
    assert.equal(Object.keys(sandbox.state.readCounters().byToken).length, 2);
  });

  it('logs in again once when the platform answers 401 (revoked or expired token)', async () => {
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    sandbox.state.revokeTokens();
    const sample = await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    assert.equal(sample.perQueue[0].queueId, 'q-sales');
    assert.equal(status(OBSERVATIONS, 401), 1);
    assert.equal(status(TOKEN, 200), 2);
  });

  it('re-logs in when the token expired on the platform while the session thought it valid', async () => {
    const sessionClock = createFakeClock(); // the worker's clock lags the platform's
    const genesys = createGenesysActivities(sandboxSession(sandbox, { now: sessionClock.now, sleep: clock.sleep }));
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    clock.advance(121_000);
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    assert.equal(status(OBSERVATIONS, 401), 1);
    assert.equal(status(TOKEN, 200), 2);
  });

  it('fails non-retryably when 401 persists after a fresh login', async () => {
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    sandbox.state.tokenTtlSeconds = 0; // every new token is born expired
    sandbox.state.revokeTokens();
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.unauthorized);
    assert.equal(failure.nonRetryable, true);
    assert.equal(status(OBSERVATIONS, 401), 2, 'exactly one re-login attempt');
  });

  it('rides out a 429 storm, sending exactly what the per-token limit allows per window', async () => {
    sandbox.state.rateLimitPerMinute = 4;
    const genesys = activities();
    const queueIds = Array.from({ length: 250 }, (_, i) => `q-${i}`);
    sandbox.state.addQueues(queueIds.map((id) => ({ id })));
    for (let i = 0; i < 3; i++) await genesys.fetchQueueMetrics({ queueIds }); // 3 polls x 3 queries
    assert.equal(status(OBSERVATIONS, 200), 9);
    assert.equal(status(OBSERVATIONS, 429), 2, 'refused once after request 4 and once after request 8');
    assert.deepEqual(clock.sleeps.filter((ms) => ms >= 1000), [60_000, 60_000], 'waited Retry-After each time');
  });

  it('gives up on a rate limit that does not lift, retryably', async () => {
    sandbox.state.rateLimitPerMinute = 0;
    const failure = await rejection(activities({ maxRateLimitWaits: 2 }).fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.rateLimited);
    assert.equal(failure.nonRetryable, false);
    assert.equal(status(OBSERVATIONS, 429), 3);
  });

  it('retries 5xx with backoff and succeeds', async () => {
    sandbox.state.setFaults({ fail5xxNext: 2 });
    const sample = await activities().fetchQueueMetrics({ queueIds: ['q-support'] });
    assert.equal(sample.perQueue.length, 1);
    assert.equal(status(OBSERVATIONS, 503), 2);
    assert.equal(status(OBSERVATIONS, 200), 1);
  });

  it('stops after a few attempts during an outage, retryably', async () => {
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    sandbox.state.setFaults({ outage: true });
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.unavailable);
    assert.equal(failure.nonRetryable, false);
    assert.equal(status(OBSERVATIONS, 503), 4);
  });

  it('retries a request that times out', async () => {
    sandbox.state.setFaults({ latencyMs: 400 });
    const genesys = activities({ timeoutMs: 100, maxAttempts: 2 });
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.unavailable);
    assert.match(failure.message, /after 2 attempts/);
  });

  it('turns a 403 into a non-retryable failure naming the permission and the queue', async () => {
    sandbox.state.setFaults({ deniedPermissions: ['analytics:queueObservation:view'] });
    const failure = await rejection(activities().fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.permissionDenied);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /analytics:queueObservation:view/);
    assert.match(failure.message, /q-sales/);
    assert.equal(status(OBSERVATIONS, 403), 1, 'no retry of a 403');
  });

  it('reports bad credentials without leaking the secret', async () => {
    const genesys = createGenesysActivities(sandboxSession(sandbox, { clientSecret: 'wrong-secret-value', sleep: clock.sleep }));
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.loginFailed);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /GENESYS_CLIENT_SECRET/);
    assert.doesNotMatch(failure.message, /wrong-secret-value/);
  });

  it('builds a session from the environment and names what is missing', async () => {
    assert.throws(() => createGenesysSession({ GENESYS_CLIENT_ID: 'x' }), /GENESYS_CLIENT_SECRET/);
    assert.throws(() => createGenesysSession({ GENESYS_CLIENT_ID: 'x', GENESYS_CLIENT_SECRET: 'y' }), /GENESYS_REGION .* or GENESYS_GATEWAY_URL/);
    assert.throws(() => createGenesysSession({ GENESYS_CLIENT_ID: 'x', GENESYS_CLIENT_SECRET: 'y', GENESYS_GATEWAY_URL: 'not a url' }), /GENESYS_GATEWAY_URL/);
    const session = createGenesysSession(
      { GENESYS_CLIENT_ID: 'sandbox-client', GENESYS_CLIENT_SECRET: 'sandbox-secret', GENESYS_GATEWAY_URL: sandbox.url },
      { now: clock.now },
    );
    const sample = await createGenesysActivities(session).fetchQueueMetrics({ queueIds: ['q-sales', 'q-support'] });
    assert.equal(sample.perQueue.length, 2);
  });
});
