// The Genesys activities with the real SDK against the sandbox: metrics, flow publishing, flags row, messenger.
import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys';
import { createFakeClock, sandboxSession, type FakeClock } from '../sandbox/genesys/testing';
import { createGenesysActivities, isLiveVersion, type GenesysActivities } from '../activities/genesys';
import { GenesysFailure, type GenesysSession } from '../activities/genesys-client';
import type { FlagsRow } from '../workflows/types';
import type { MalformedMetricsKind } from '../sandbox/genesys/types';
import { rejection } from './helpers/failures';
import { failureClassOf } from '../workflows/failure-classes';

const OBSERVATIONS = 'POST /api/v2/analytics/queues/observations/query';
const PUBLISH = 'POST /api/v2/flows/actions/publish';
const GET_FLOW = 'GET /api/v2/flows/:flowId';
const ROW_PUT = 'PUT /api/v2/flows/datatables/:datatableId/rows/:rowId';
const ROW_POST = 'POST /api/v2/flows/datatables/:datatableId/rows';
const DEPLOYMENT_PUT = 'PUT /api/v2/webdeployments/deployments/:deploymentId';

describe('genesys activities (real SDK against the sandbox)', () => {
  let sandbox: GenesysSandbox;
  let clock: FakeClock;
  let session: GenesysSession;
  let genesys: GenesysActivities;

  before(async () => {
    clock = createFakeClock();
    sandbox = await startGenesysSandbox({ port: 0, clock: clock.now, publishDelayMs: 5_000 });
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.state.reset(); // also revokes tokens: each test logs in afresh
    session = sandboxSession(sandbox, { now: clock.now, sleep: clock.sleep });
    genesys = createGenesysActivities(session, { publishPollMs: 1_000 });
  });

  const count = (route: string, code?: number) => {
    const r = sandbox.state.readCounters().byRoute[route];
    return code === undefined ? (r?.count ?? 0) : (r?.byStatus[code] ?? 0);
  };

  describe('fetchQueueMetrics', () => {
    it('maps observations per queue and sums them', async () => {
      sandbox.state.setQueueMetrics('q-sales', { waiting: 7, interacting: 3, onQueueIdle: 0, onQueueInteracting: 3, offQueue: 1 });
      sandbox.state.setQueueMetrics('q-support', { waiting: 5, interacting: 9, onQueueIdle: 2, onQueueInteracting: 9 });
      const sample = await genesys.fetchQueueMetrics({ queueIds: ['q-sales', 'q-support'] });
      assert.deepEqual(sample.perQueue, [
        // no IDLE agents: the platform omits the qualifier, which reads 0
        { queueId: 'q-sales', waiting: 7, agentsAvailable: 0, agentsOnQueue: 3, interacting: 3 },
        { queueId: 'q-support', waiting: 5, agentsAvailable: 2, agentsOnQueue: 11, interacting: 9 },
      ]);
      assert.equal(sample.waiting, 12);
      assert.equal(sample.agentsAvailable, 2);
      assert.ok(!Number.isNaN(Date.parse(sample.at)));
    });

    it('answers 250 queues with exactly 3 observation requests', async () => {
      const queueIds = Array.from({ length: 250 }, (_, i) => `q-bulk-${i}`);
      queueIds.forEach((id, i) => sandbox.state.setQueueMetrics(id, { waiting: i % 3, onQueueIdle: 1 }));
      sandbox.state.resetCounters();
      const sample = await genesys.fetchQueueMetrics({ queueIds });
      assert.equal(count(OBSERVATIONS), 3);
      assert.equal(sample.perQueue.length, 250);
      assert.deepEqual(sample.perQueue.map((q) => q.queueId), queueIds);
      assert.equal(sample.waiting, queueIds.reduce((sum, _id, i) => sum + (i % 3), 0));
      assert.equal(sample.agentsAvailable, 250);
    });

    const malformedCases: [MalformedMetricsKind, RegExp][] = [
      ['no-results', /no "results" array/],
      ['no-queue-id', /results\[0\] has no group\.queueId/],
      ['bad-count', /oWaiting stats\.count is "many", not a number/],
    ];
    for (const [kind, expected] of malformedCases) {
      it(`reports a malformed response (${kind}) naming what is wrong, never zeros`, async () => {
        sandbox.state.setFaults({ malformedMetricsNext: 1, malformedMetricsKind: kind });
        const failure = await rejection(genesys.fetchQueueMetrics({ queueIds: ['q-sales', 'q-support'] }));
        assert.equal(failure.type, GenesysFailure.malformedResponse);
        assert.match(failure.message, expected);
      });
    }

    it('a verified queue absent from every result counts as zero, not as a failure', async () => {
      sandbox.state.setQueueMetrics('q-support', { waiting: 7, onQueueIdle: 2 });
      sandbox.state.setFaults({ malformedMetricsNext: 1, malformedMetricsKind: 'missing-queue' });
      const sample = await genesys.fetchQueueMetrics({ queueIds: ['q-sales', 'q-support'] });
      const sales = sample.perQueue.find((q) => q.queueId === 'q-sales');
      assert.deepEqual(sales, { queueId: 'q-sales', waiting: 0, agentsAvailable: 0, agentsOnQueue: 0, interacting: 0 });
    });

    it('rejects bad input with a clear reason', async () => {
      assert.match((await rejection(genesys.fetchQueueMetrics({ queueIds: [] }))).message, /queueIds is empty/);
      assert.match((await rejection(genesys.fetchQueueMetrics({ queueIds: ['ok', ''] }))).message, /queueIds\[1\]/);
    });
  });

  describe('verifyQueues (GET /api/v2/routing/queues?id=...)', () => {
    it('names the unknown IDs, in the order given, and finds the known ones', async () => {
      const result = await genesys.verifyQueues({ queueIds: ['q-sales', 'q-does-not-exist', 'q-support', 'q-typo'] });
      assert.deepEqual(result, { unknown: ['q-does-not-exist', 'q-typo'] });
      assert.equal(count('GET /api/v2/routing/queues', 200), 1, 'one listing for up to 100 IDs');
    });
    it('a role without routing:queue:view is the controller\'s problem, naming the permission', async () => {
      sandbox.state.setFaults({ deniedPermissions: ['routing:queue:view'] });
      const failure = await rejection(genesys.verifyQueues({ queueIds: ['q-sales'] }));
      assert.equal(failureClassOf(failure.type), 'controller');
      assert.match(failure.message, /routing:queue:view/);
    });
  });

  describe('publishFlowVersion', () => {
    it('publishes and follows the asynchronous operation to completion', async () => {
      const result = await genesys.publishFlowVersion({ flowId: 'flow-inbound-message', version: '2.0' });
      assert.deepEqual(result, { alreadyPublished: false });
      const flow = sandbox.state.flows.get('flow-inbound-message')!;
      assert.equal(flow.publishedVersionId, '2.0');
      assert.deepEqual(flow.publishHistory.map((p) => p.version), ['2.0']);
      assert.equal(count(PUBLISH), 1);
      assert.ok(count(GET_FLOW) >= 3, 'polled the flow while the operation ran');
    });

    it('makes no publish call when the version is already live', async () => {
      const result = await genesys.publishFlowVersion({ flowId: 'flow-bot', version: '1.0' });
      assert.deepEqual(result, { alreadyPublished: true });
      assert.equal(count(PUBLISH), 0);
    });

    it('reports a failed publish with the platform error', async () => {
      sandbox.state.setFaults({ failNextPublish: 'Flow has errors: Transfer to ACD has no queue' });
      const failure = await rejection(genesys.publishFlowVersion({ flowId: 'flow-bot', version: '2.0' }));
      assert.equal(failure.type, GenesysFailure.publishFailed);
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /flow-bot version 2\.0 failed: Flow has errors: Transfer to ACD has no queue/);
      assert.equal(sandbox.state.flows.get('flow-bot')!.publishedVersionId, '1.0');
    });

    it('follows a publish already in flight instead of publishing twice (retry after a crash)', async () => {
      // The crashed attempt got as far as starting the publish.
      await session.call({ action: 'publish', permission: 'architect:flow:publish', resource: 'flow-bot' }, () =>
        session.architect.postFlowsActionsPublish('flow-bot', { version: '2.0' }),
      );
      const heartbeats: unknown[] = [];
      const env = new MockActivityEnvironment();
      env.on('heartbeat', (d: unknown) => heartbeats.push(d));
      const result = (await env.run(genesys.publishFlowVersion, { flowId: 'flow-bot', version: '2.0' })) as { alreadyPublished: boolean };
      assert.equal(result.alreadyPublished, true, 'this attempt made no publish call');
      assert.equal(count(PUBLISH), 1);
      assert.equal(sandbox.state.flows.get('flow-bot')!.publishedVersionId, '2.0');
      assert.ok(heartbeats.length > 0, 'heartbeats while following');
    });

    it('resumes its own operation from heartbeat details and reports its failure', async () => {
      sandbox.state.setFaults({ failNextPublish: 'Validation failed' });
      const op = await session.call({ action: 'publish', permission: 'architect:flow:publish', resource: 'flow-bot' }, () =>
        session.architect.postFlowsActionsPublish('flow-bot', { version: '2.0' }),
      );
      clock.advance(10_000); // the operation failed while no worker was watching
      const env = new MockActivityEnvironment({ heartbeatDetails: { flowId: 'flow-bot', version: '2.0', operationId: op.id } });
      const failure = await rejection(env.run(genesys.publishFlowVersion, { flowId: 'flow-bot', version: '2.0' }));
      assert.match(failure.message, /Validation failed/);
      assert.equal(count(PUBLISH), 1, 'no blind republish');
    });

    it('names the flow when it does not exist', async () => {
      const failure = await rejection(genesys.publishFlowVersion({ flowId: 'flow-missing', version: '1.0' }));
      assert.equal(failure.type, GenesysFailure.notFound);
      assert.equal(failureClassOf(failure.type), 'controller', 'a 404 on a configured ID is our mistake, never tier 4');
      assert.equal(failure.nonRetryable, true);
      assert.match(failure.message, /flow flow-missing/);
    });

    it('names the permission when publishing is not allowed', async () => {
      sandbox.state.setFaults({ deniedPermissions: ['architect:flow:publish'] });
      const failure = await rejection(genesys.publishFlowVersion({ flowId: 'flow-bot', version: '2.0' }));
      assert.equal(failure.type, GenesysFailure.permissionDenied);
      assert.match(failure.message, /architect:flow:publish/);
      assert.match(failure.message, /flow-bot/);
    });
  });

  describe('writeFlagsRow', () => {
    const row = (overrides: Partial<FlagsRow> = {}): FlagsRow => ({
      key: 'surge-demo-flash-sale',
      tier1Active: true,
      tier2Active: false,
      tier3Active: false,
      tier4Active: false,
      waiting: 61,
      agentsAvailable: 4,
      updatedAt: '2026-03-01T09:00:00.000Z',
      ...overrides,
    });

    it('creates the row when a read finds none (never guessing from a PUT error), then replaces it; read back through the API', async () => {
      await genesys.writeFlagsRow({ datatableId: 'dt-surge-flags', row: row() });
      assert.equal(count(ROW_PUT), 0, 'a missing row is created, not PUT');
      assert.equal(count(ROW_POST, 200), 1);
      await genesys.writeFlagsRow({ datatableId: 'dt-surge-flags', row: row({ tier2Active: true, waiting: 230 }) });
      assert.equal(count(ROW_PUT, 200), 1);
      const readBack = await session.call({ action: 'read row', permission: 'architect:datatableRow:view', resource: 'row' }, () =>
        session.architect.getFlowsDatatableRow('dt-surge-flags', 'surge-demo-flash-sale', { showbrief: false }),
      );
      assert.deepEqual(readBack, row({ tier2Active: true, waiting: 230 }));
    });

    it('names the data table when it does not exist', async () => {
      const failure = await rejection(genesys.writeFlagsRow({ datatableId: 'dt-missing', row: row() }));
      assert.equal(failure.type, GenesysFailure.notFound);
      assert.match(failure.message, /data table dt-missing/);
    });

    it('rejects a malformed row before calling the platform', async () => {
      const failure = await rejection(genesys.writeFlagsRow({ datatableId: 'dt-surge-flags', row: { ...row(), waiting: 1.5 } }));
      assert.match(failure.message, /row\.waiting must be an integer/);
      assert.equal(count(ROW_PUT), 0);
    });
  });

  describe('setMessengerDeploymentVersion', () => {
    it('repoints the deployment, and is a no-op when already there', async () => {
      assert.deepEqual(await genesys.setMessengerDeploymentVersion({ deploymentId: 'wd-storefront', configurationVersion: '2' }), { alreadySet: false });
      assert.deepEqual(sandbox.state.webDeployments.get('wd-storefront')!.configuration, { id: 'cfg-web-messenger', version: '2' });
      assert.deepEqual(await genesys.setMessengerDeploymentVersion({ deploymentId: 'wd-storefront', configurationVersion: '2' }), { alreadySet: true });
      assert.equal(count(DEPLOYMENT_PUT), 1);
    });

    it('reports a configuration version that was never published', async () => {
      const failure = await rejection(genesys.setMessengerDeploymentVersion({ deploymentId: 'wd-storefront', configurationVersion: '9' }));
      assert.equal(failure.type, GenesysFailure.badRequest);
      assert.match(failure.message, /no published version 9/);
    });
  });

  it('describeGenesysSetup lists what exists', async () => {
    const report = await genesys.describeGenesysSetup({ queueIds: ['q-sales', 'q-gone'], flowIds: ['flow-bot', 'flow-gone'], datatableId: 'dt-surge-flags' });
    assert.deepEqual(report.queues, { found: ['q-sales'], missing: ['q-gone'] });
    assert.deepEqual(report.flows.missing, ['flow-gone']);
    assert.equal(report.flows.found[0].publishedVersion, '1.0');
    assert.deepEqual(report.datatable, { id: 'dt-surge-flags', found: true, missingColumns: [] });
  });
});

describe('isLiveVersion (which published flow version counts as the configured one)', () => {
  // Undocumented whether a republish keeps the version's id: the name, which a republish does not rewrite, counts too.
  for (const [published, version, live] of [
    [{ id: '2.0', name: '2.0' }, '2.0', true],
    [{ id: '7.0', name: '2.0' }, '2.0', true],
    [{ id: '2.0', name: 'surge' }, 'surge', true],
    [{ id: '1.0', name: '1.0' }, '2.0', false],
    [undefined, '2.0', false],
    [{}, '2.0', false],
  ] as const) {
    it(`${JSON.stringify(published)} is ${live ? '' : 'not '}version ${version}`, () => {
      assert.equal(isLiveVersion(published, version), live);
    });
  }
});
