// One owner per actuator (issue 10, item 3), on the real dev server through SurgeClient (what `surge start` and the
// dashboard use), as an outsider: a second event naming a KV key the first owns is refused naming the owner and the
// actuator, and nothing of it starts; once the first has ended it can start. A claim whose owner was terminated
// (it never released) is taken over on the record. Activities are the recording fakes: only ownership is tested.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SurgeClient, SurgeClientError } from '../client/surge-client';
import { TASK_QUEUE, surgeEventWorkflowId } from '../workflows/ids';
import type { EventConfig } from '../workflows/types';
import { testEventConfig } from './helpers/event-config';
import { FakeWorld } from './helpers/fake-world';
import { devServerEnv, workflowBundle } from './helpers/temporal';

const KV_CLAIM = 'actuator-claim-kv-chat_surge_active';
const ROOT = path.resolve(__dirname, '..');

describe('one owner per actuator (real dev server, through SurgeClient and the CLI)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let surge: SurgeClient;

  before(async function () {
    this.timeout(180_000);
    const [e, bundle] = await Promise.all([devServerEnv(), workflowBundle()]);
    env = e;
    // The CLI's own task queue: this dev server is this file's alone, and `surge start` uses no other.
    const taskQueue = TASK_QUEUE;
    worker = await Worker.create({ connection: env.nativeConnection, workflowBundle: bundle, taskQueue, activities: new FakeWorld().activities() });
    workerRun = worker.run();
    surge = new SurgeClient(env.client, { taskQueue, updateTimeoutMs: 30_000 });
  });
  after(async function () {
    this.timeout(30_000);
    worker?.shutdown();
    await workerRun?.catch(() => undefined);
    await env?.teardown();
  });

  /** A running event driving chat_surge_active (tier 3) and its own flags row. */
  function kvEvent(name: string): EventConfig {
    const now = Date.now();
    return testEventConfig({
      eventId: `${name}-${randomUUID().slice(0, 8)}`,
      startAt: new Date(now - 1_000).toISOString(),
      endAt: new Date(now + 3_600_000).toISOString(),
      pollIntervalSeconds: 5,
      actuators: { 1: [{ kind: 'dataTableFlag' }], 2: [], 3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }], 4: [] },
    });
  }
  const claimOwner = async (id: string) => ((await env.client.workflow.getHandle(id).describe()).memo as { eventId?: string } | undefined)?.eventId;
  const status = async (workflowId: string, runId?: string) => (await env.client.workflow.getHandle(workflowId, runId).describe()).status.name;
  const flagsRowClaim = (c: EventConfig) => `actuator-claim-flags-row-${c.dataTable!.datatableId}-${c.dataTable!.rowKey}`;

  async function endAndWait(eventId: string): Promise<void> {
    await surge.endEvent(eventId, { reason: 'test over', by: 'test' });
    await env.client.workflow.getHandle(surgeEventWorkflowId(eventId)).result();
  }

  it('a second event on the same KV key is refused naming the first and the key; after the first ends it starts', async () => {
    const first = kvEvent('first');
    const second = kvEvent('second');
    await surge.startEvent(first);
    assert.equal(await claimOwner(KV_CLAIM), first.eventId);

    await assert.rejects(surge.startEvent(second), (err: unknown) => {
      assert.ok(err instanceof SurgeClientError, String(err));
      assert.equal(err.kind, 'actuator-owned');
      assert.equal(
        err.message,
        `refused: actuator chat_surge_active (KV) is owned by event ${first.eventId} (surge-event-${first.eventId}) until ${first.endAt}; end that event or wait (claim ${KV_CLAIM})`,
      );
      return true;
    });
    // Nothing of the refused event started, and the claim it took first (its own flags row) was given back.
    await assert.rejects(env.client.workflow.getHandle(surgeEventWorkflowId(second.eventId)).describe(), WorkflowNotFoundError);
    assert.equal(await status(flagsRowClaim(second)), 'TERMINATED');
    assert.equal(await claimOwner(KV_CLAIM), first.eventId, 'the owner keeps its claim');

    await endAndWait(first.eventId);
    // The event released its claims at its end (awaited there, so already done).
    assert.equal(await status(KV_CLAIM), 'COMPLETED');
    assert.equal(await status(flagsRowClaim(first)), 'COMPLETED');

    await surge.startEvent(second);
    assert.equal(await claimOwner(KV_CLAIM), second.eventId);
    await endAndWait(second.eventId);
    assert.equal(await status(KV_CLAIM), 'COMPLETED');
  });

  it('a scheduled event owns its actuators too, and hands them back when ended before its start', async () => {
    const planned = { ...kvEvent('planned'), startAt: new Date(Date.now() + 3_600_000).toISOString(), endAt: new Date(Date.now() + 7_200_000).toISOString() };
    const other = kvEvent('other');
    await surge.startEvent(planned);
    await assert.rejects(surge.startEvent(other), (err: unknown) => err instanceof SurgeClientError && err.kind === 'actuator-owned' && err.message.includes(`owned by event ${planned.eventId} `));
    assert.equal((await surge.status(planned.eventId)).phase, 'scheduled');
    await endAndWait(planned.eventId);
    assert.equal(await status(KV_CLAIM), 'COMPLETED');
    await surge.startEvent(other);
    await endAndWait(other.eventId);
  });

  it('`surge start` refuses the second event on the command line, naming the owner and the key (exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'surge-claims-'));
    try {
      const file = (c: EventConfig) => {
        const f = path.join(dir, `${c.eventId}.json`);
        const { eventId, name, startAt, endAt, queueIds, pollIntervalSeconds, dataTable, actuators } = c;
        writeFileSync(f, JSON.stringify({ eventId, name, startAt, endAt, queueIds, pollIntervalSeconds, dataTable: { datatableId: dataTable!.datatableId }, actuators }));
        return f;
      };
      const surgeStart = (f: string) =>
        promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/surge.js'), 'start', f, '--check-lead', '0'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH, HOME: dir, TEMPORAL_ADDRESS: env.address },
        });
      const first = kvEvent('cli-first');
      const second = kvEvent('cli-second');
      assert.match((await surgeStart(file(first))).stdout, new RegExp(`started event ${first.eventId}`));
      await assert.rejects(surgeStart(file(second)), (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1, err.stderr);
        assert.match(err.stderr ?? '', new RegExp(`actuator chat_surge_active \\(KV\\) is owned by event ${first.eventId} \\(surge-event-${first.eventId}\\) until ${first.endAt}; end that event or wait`));
        return true;
      });
      await endAndWait(first.eventId);
      assert.match((await surgeStart(file(second))).stdout, new RegExp(`started event ${second.eventId}`));
      await endAndWait(second.eventId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a claim whose owner was terminated (never released) is taken over, with the reason on the record', async () => {
    const crashed = kvEvent('crashed');
    const next = kvEvent('next');
    await surge.startEvent(crashed);
    const staleRun = (await env.client.workflow.getHandle(KV_CLAIM).describe()).runId;
    await env.client.workflow.getHandle(surgeEventWorkflowId(crashed.eventId)).terminate('operator killed it');
    assert.equal(await status(KV_CLAIM), 'RUNNING', 'a terminated owner leaves its claim behind');

    await surge.startEvent(next);
    assert.equal(await claimOwner(KV_CLAIM), next.eventId);
    assert.equal(await status(KV_CLAIM, staleRun), 'TERMINATED');
    const history = await env.client.workflow.getHandle(KV_CLAIM, staleRun).fetchHistory();
    const reason = history.events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason;
    assert.equal(reason, `stale claim: owner event ${crashed.eventId} is TERMINATED; taken over by event ${next.eventId}`);
    await endAndWait(next.eventId);
  });

  it('the same event started again is refused as already running, and keeps its claims', async () => {
    const event = kvEvent('again');
    await surge.startEvent(event);
    await assert.rejects(surge.startEvent(event), (err: unknown) => err instanceof SurgeClientError && err.kind === 'already-running');
    assert.equal(await status(KV_CLAIM), 'RUNNING');
    assert.equal(await claimOwner(KV_CLAIM), event.eventId);
    await endAndWait(event.eventId);
    assert.equal(await status(KV_CLAIM), 'COMPLETED');
  });

  it('a dry run claims nothing and is not refused by an owner', async () => {
    const owner = kvEvent('owner');
    const dry = { ...kvEvent('dry'), dryRun: true };
    await surge.startEvent(owner);
    await surge.startEvent(dry);
    assert.equal(await claimOwner(KV_CLAIM), owner.eventId);
    await endAndWait(dry.eventId);
    assert.equal(await status(KV_CLAIM), 'RUNNING', "a dry run's end releases nothing it does not own");
    await endAndWait(owner.eventId);
  });
});
