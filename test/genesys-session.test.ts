// The SDK session against the sandbox: token renewal, 401 re-login, 429 storms, 5xx, permissions.
import assert from 'node:assert/strict';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import { createFakeClock, sandboxSession, type FakeClock } from '../sandbox/genesys/testing';
import { createGenesysActivities } from '../activities/genesys';
import { GenesysFailure, createGenesysSession } from '../activities/genesys-client';
import { rejection } from './helpers/failures';
import { failureClassOf } from '../workflows/failure-classes';

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
    assert.equal(failureClassOf(failure.type), 'controller');
    assert.equal(failure.nonRetryable, true);
    assert.equal(status(OBSERVATIONS, 401), 2, 'exactly one re-login attempt');
  });

  it('a 429 with a 60 s Retry-After throws at once with nextRetryDelay 60 s, and no extra call while limited', async () => {
    sandbox.state.rateLimitPerMinute = 1;
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.rateLimited);
    assert.equal(failureClassOf(failure.type), 'rate-limited');
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.nextRetryDelay, 60_000, 'Temporal waits what the platform asked (Retry-After: 60)');
    assert.equal(status(OBSERVATIONS, 429), 1, 'one refused call, no retry inside the activity');
    assert.deepEqual(clock.sleeps, [], 'the activity never sleeps on a rate limit');
    clock.advance(60_000);
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    assert.equal(status(OBSERVATIONS, 200), 2, 'resumes once the window resets');
  });

  it('a 5xx throws at once, retryable, classified platform (Temporal retries)', async () => {
    sandbox.state.setFaults({ fail5xxNext: 2 });
    const failure = await rejection(activities().fetchQueueMetrics({ queueIds: ['q-support'] }));
    assert.equal(failure.type, GenesysFailure.unavailable);
    assert.equal(failureClassOf(failure.type), 'platform');
    assert.equal(failure.nonRetryable, false);
    assert.equal(status(OBSERVATIONS, 503), 1, 'no retry inside the activity');
  });

  it('an outage (even at login) is platform, retryable, one call', async () => {
    sandbox.state.setFaults({ outage: true });
    const failure = await rejection(activities().fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failureClassOf(failure.type), 'platform');
    assert.equal(failure.nonRetryable, false);
  });

  it('a request that times out is platform, retryable, not retried in the activity', async () => {
    const genesys = activities({ timeoutMs: 100 });
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    sandbox.state.setFaults({ latencyMs: 400 });
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.unavailable);
    assert.equal(failureClassOf(failure.type), 'platform');
    assert.match(failure.message, /ECONNABORTED|timeout/i);
  });

  it('a revoked OAuth client is the controller\'s problem: non-retryable, names the client, never platform', async () => {
    const genesys = activities();
    await genesys.fetchQueueMetrics({ queueIds: ['q-sales'] });
    sandbox.state.clients.clear(); // the client was deleted in the org
    sandbox.state.revokeTokens();
    const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.loginFailed);
    assert.equal(failureClassOf(failure.type), 'controller');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /GENESYS_CLIENT_ID/);
  });

  it('turns a 403 into a non-retryable failure naming the permission and the queue', async () => {
    sandbox.state.setFaults({ deniedPermissions: ['analytics:queueObservation:view'] });
    const failure = await rejection(activities().fetchQueueMetrics({ queueIds: ['q-sales'] }));
    assert.equal(failure.type, GenesysFailure.permissionDenied);
    assert.equal(failureClassOf(failure.type), 'controller');
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
