// The Genesys sandbox over plain HTTP: the documented shapes, the gates (auth, rate limit) and the admin API.
import assert from 'node:assert/strict';
import { startGenesysSandbox, type GenesysSandbox, type MetricsSource } from '../sandbox/genesys';
import { createFakeClock, type FakeClock } from '../sandbox/genesys/testing';

describe('genesys sandbox (HTTP)', () => {
  let sandbox: GenesysSandbox;
  let clock: FakeClock;
  let token: string;
  const live: Record<string, { waiting: number; interacting: number; onQueueIdle: number; onQueueInteracting: number }> = {
    'q-sim': { waiting: 42, interacting: 10, onQueueIdle: 0, onQueueInteracting: 10 },
  };
  const metrics: MetricsSource = { observe: (id) => live[id] };

  async function login(): Promise<string> {
    const res = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    assert.equal(body.token_type, 'bearer');
    return body.access_token;
  }

  const api = (method: string, path: string, body?: unknown, bearer = token) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/__admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  before(async () => {
    clock = createFakeClock();
    sandbox = await startGenesysSandbox({ port: 0, clock: clock.now, publishDelayMs: 3_000 });
  });
  after(() => sandbox.close());
  beforeEach(async () => {
    sandbox.state.reset();
    token = await login();
  });

  it('refuses a bad client like the login service and answers API errors with {message, code, status}', async () => {
    const res = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('nobody:nothing').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
    const unauth = await api('GET', '/api/v2/flows/flow-bot', undefined, 'not-a-token');
    assert.equal(unauth.status, 401);
    const body = (await unauth.json()) as Record<string, unknown>;
    assert.equal(body.status, 401);
    assert.equal(typeof body.code, 'string');
    assert.equal(typeof body.message, 'string');
  });

  it('groups conversation metrics by {queueId, mediaType} and user metrics by {queueId}', async () => {
    await admin('PUT', 'queues/q-sales/metrics', { waiting: 3, onQueueIdle: 2, onQueueInteracting: 0 });
    const res = await api('POST', '/api/v2/analytics/queues/observations/query', {
      filter: { type: 'and', clauses: [{ type: 'or', predicates: [{ dimension: 'queueId', value: 'q-sales' }, { dimension: 'queueId', value: 'q-unknown' }] }, { type: 'or', predicates: [{ dimension: 'mediaType', value: 'message' }] }] },
      metrics: ['oWaiting', 'oOnQueueUsers'],
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('inin-ratelimit-allowed'), '300');
    const { results } = (await res.json()) as { results: { group: Record<string, string>; data: { metric: string; qualifier?: string; stats: { count: number } }[] }[] };
    assert.deepEqual(results.map((r) => r.group), [{ queueId: 'q-sales', mediaType: 'message' }, { queueId: 'q-sales' }]);
    assert.deepEqual(results[0].data, [{ metric: 'oWaiting', stats: { count: 3 } }]);
    assert.deepEqual(results[1].data, [{ metric: 'oOnQueueUsers', qualifier: 'IDLE', stats: { count: 2 } }]);
  });

  it('refuses more than 100 queueId predicates and unknown metrics, naming the problem', async () => {
    const predicates = Array.from({ length: 101 }, (_, i) => ({ dimension: 'queueId', value: `q-${i}` }));
    const tooMany = await api('POST', '/api/v2/analytics/queues/observations/query', { filter: { type: 'or', predicates }, metrics: ['oWaiting'] });
    assert.equal(tooMany.status, 400);
    assert.match(((await tooMany.json()) as { message: string }).message, /101 queueId predicates/);
    const badMetric = await api('POST', '/api/v2/analytics/queues/observations/query', { filter: { type: 'or', predicates: predicates.slice(0, 1) }, metrics: ['oQueueDepth'] });
    assert.match(((await badMetric.json()) as { message: string }).message, /metrics\[0\] "oQueueDepth"/);
  });

  it('reads numbers from a plugged-in MetricsSource', async () => {
    const sim = await startGenesysSandbox({ port: 0, metrics });
    try {
      const t = await (async () => {
        const res = await fetch(`${sim.url}/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}` }, body: 'grant_type=client_credentials' });
        return ((await res.json()) as { access_token: string }).access_token;
      })();
      const res = await fetch(`${sim.url}/api/v2/analytics/queues/observations/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { type: 'or', predicates: [{ dimension: 'queueId', value: 'q-sim' }] }, metrics: ['oWaiting'] }),
      });
      const { results } = (await res.json()) as { results: { data: { stats: { count: number } }[] }[] };
      assert.equal(results[0].data[0].stats.count, 42);
    } finally {
      await sim.close();
    }
  });

  it('answers 429 with Retry-After and rate-limit headers once a token spends its minute', async () => {
    sandbox.state.rateLimitPerMinute = 2;
    assert.equal((await api('GET', '/api/v2/routing/queues')).status, 200);
    assert.equal((await api('GET', '/api/v2/routing/queues')).status, 200);
    const limited = await api('GET', '/api/v2/routing/queues');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '60');
    assert.equal(limited.headers.get('inin-ratelimit-count'), '2');
    assert.equal(((await limited.json()) as { code: string }).code, 'too.many.requests');
    clock.advance(60_000);
    assert.equal((await api('GET', '/api/v2/routing/queues')).status, 200);
    const counters = (await (await admin('GET', 'counters')).json()) as { byRoute: Record<string, { byStatus: Record<string, number> }>; byToken: Record<string, number> };
    assert.deepEqual(counters.byRoute['GET /api/v2/routing/queues'].byStatus, { 200: 3, 429: 1 });
    assert.equal(counters.byToken[token], 4);
  });

  it('runs a publish as an operation: currentOperation first, publishedVersion after the delay', async () => {
    const started = await api('POST', '/api/v2/flows/actions/publish?flow=flow-inbound-message&version=2.0');
    const op = (await started.json()) as { id: string; complete: boolean; actionName: string; actionStatus: string };
    assert.deepEqual([op.complete, op.actionName, op.actionStatus], [false, 'PUBLISH', 'STARTED']);
    const during = (await (await api('GET', '/api/v2/flows/flow-inbound-message')).json()) as { publishedVersion: { id: string }; currentOperation: { id: string } };
    assert.equal(during.publishedVersion.id, '1.0');
    assert.equal(during.currentOperation.id, op.id);
    assert.equal((await api('POST', '/api/v2/flows/actions/publish?flow=flow-inbound-message&version=2.0')).status, 409);
    clock.advance(3_000);
    const after = (await (await api('GET', '/api/v2/flows/flow-inbound-message')).json()) as { publishedVersion: { id: string }; currentOperation: { actionStatus: string; complete: boolean } };
    assert.equal(after.publishedVersion.id, '2.0');
    assert.deepEqual([after.currentOperation.complete, after.currentOperation.actionStatus], [true, 'SUCCESS']);
  });

  it('validates data-table rows against the schema and answers 404 for a PUT to a missing row', async () => {
    const missing = await api('PUT', '/api/v2/flows/datatables/dt-surge-flags/rows/nope', { key: 'nope', tier1Active: true });
    assert.equal(missing.status, 404);
    const wrongType = await api('POST', '/api/v2/flows/datatables/dt-surge-flags/rows', { key: 'k', waiting: 'lots' });
    assert.equal(wrongType.status, 400);
    assert.match(((await wrongType.json()) as { message: string }).message, /"waiting" must be of type integer/);
    const unknown = await api('POST', '/api/v2/flows/datatables/dt-surge-flags/rows', { key: 'k', colour: 'red' });
    assert.match(((await unknown.json()) as { message: string }).message, /Field "colour" is not in data table/);
    assert.equal((await api('POST', '/api/v2/flows/datatables/dt-surge-flags/rows', { key: 'k', tier1Active: true })).status, 200);
    const brief = (await (await api('GET', '/api/v2/flows/datatables/dt-surge-flags/rows/k')).json()) as Record<string, unknown>;
    assert.deepEqual(brief, { key: 'k' }, 'showbrief defaults to true');
  });

  it('stores agentless email and messages for the admin API to list', async () => {
    const email = await api('POST', '/api/v2/conversations/emails/agentless', {
      senderType: 'Outbound', fromAddress: { email: 'support@shop.test' }, toAddresses: [{ email: 'customer@example.test' }], subject: 'We will reply by email', textBody: 'Thanks for waiting',
    });
    assert.equal(email.status, 200);
    const bad = await api('POST', '/api/v2/conversations/messages/agentless', { fromAddress: '+15550000', toAddressMessengerType: 'pigeon' });
    assert.equal(bad.status, 400);
    assert.equal((await api('POST', '/api/v2/conversations/messages/agentless', { fromAddress: '+15550000', toAddress: '+15551111', toAddressMessengerType: 'sms', textBody: 'Chat is busy' })).status, 200);
    const emails = (await (await admin('GET', 'emails')).json()) as { subject: string }[];
    const messages = (await (await admin('GET', 'messages')).json()) as { textBody: string }[];
    assert.deepEqual(emails.map((e) => e.subject), ['We will reply by email']);
    assert.deepEqual(messages.map((m) => m.textBody), ['Chat is busy']);
  });

  it('admin API: sets faults, names bad input, resets', async () => {
    assert.equal((await admin('POST', 'faults', { outage: true })).status, 200);
    assert.equal((await api('GET', '/api/v2/flows/flow-bot')).status, 503);
    const bad = await admin('POST', 'faults', { outage: 'yes' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /outage must be true or false/);
    assert.equal((await admin('POST', 'reset')).status, 204);
    assert.equal(sandbox.state.faults.outage, false);
  });
});
