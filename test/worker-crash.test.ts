// On the real dev server (SQLite file), with the real worker process and the real activities against the
// sandboxes: the worker is SIGKILLed while a flow publish is under way and restarted; the event carries on
// and the publish happened exactly once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SurgeClient, SurgeClientError } from '../client/surge-client';
import { startCloudflareSandbox, type CloudflareSandbox } from '../sandbox/cloudflare';
import { startGenesysSandbox, type GenesysSandbox } from '../sandbox/genesys/server';
import { startSmtpSandbox } from '../sandbox/smtp';
import { sandboxWorkerEnv } from '../sandbox/world';
import { testEventConfig } from './helpers/event-config';
import { devServerEnv } from './helpers/temporal';

const ROOT = path.resolve(__dirname, '..');
const FLOW = 'flow-inbound-message';

describe('worker killed mid-publish (real dev server, real worker process)', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let genesys: GenesysSandbox;
  let cloudflare: CloudflareSandbox;
  let smtp: Awaited<ReturnType<typeof startSmtpSandbox>>;
  let home: string;
  const workers: ChildProcess[] = [];

  before(async function () {
    this.timeout(180_000);
    home = mkdtempSync(path.join(tmpdir(), 'surge-crash-'));
    env = await devServerEnv({ dbFilename: path.join(home, 'temporal.db') });
    // A slow publish, so the worker can be killed while it is following the operation.
    genesys = await startGenesysSandbox({ port: 0, host: '127.0.0.1', publishDelayMs: 6_000 });
    cloudflare = await startCloudflareSandbox({ port: 0, host: '127.0.0.1' });
    smtp = await startSmtpSandbox({ port: 0, httpPort: 0 });
  });
  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.allSettled([env?.teardown(), genesys?.close(), cloudflare?.close(), smtp?.close()]);
    rmSync(home, { recursive: true, force: true });
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'workers/worker.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: home, // keeps the Genesys SDK's config-file watcher out of the picture
        TEMPORAL_ADDRESS: env.connection.options.address,
        TEMPORAL_NAMESPACE: 'default',
        ...sandboxWorkerEnv({ genesysUrl: genesys.url, cloudflareUrl: cloudflare.url, smtpUrl: smtp.smtpUrl }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') console.error(`worker exited ${code ?? signal}:\n${output}`);
    });
    workers.push(child);
    return child;
  }

  it('carries on after a SIGKILL during a publish, and the publish happens once', async () => {
    const surge = new SurgeClient(env.client, { updateTimeoutMs: 60_000 });
    const config = testEventConfig({
      eventId: 'crash-drill',
      startAt: new Date(Date.now() - 60_000).toISOString(),
      endAt: new Date(Date.now() + 3_600_000).toISOString(),
      queueIds: ['q-sales'],
      pollIntervalSeconds: 1,
      simulatedTimeScale: 30, // 1 wall second stands for a real 30 s poll: bounds apply to simulated time
      dataTable: undefined,
      actuators: { 1: [], 2: [{ kind: 'flowVersion', flowId: FLOW, surgeVersion: '2.0', normalVersion: '1.0' }] },
      alerts: { recipients: ['ops@example.com'] },
    });
    let worker = startWorker();
    await surge.startEvent(config);
    await assert.rejects(surge.startEvent(config), (err: unknown) => err instanceof SurgeClientError && err.kind === 'already-running' && /already running \(workflow surge-event-crash-drill\); use --attach/.test(err.message));
    assert.equal((await surge.startEvent(config, { attach: true })).attached, true, '--attach reuses the running event');
    await waitFor(async () => (await surge.status('crash-drill')).tiers.every((t) => t.applied !== null), 'first reconcile');

    await surge.setTierMode('crash-drill', { tier: 2, mode: 'on', reason: 'crash drill', by: 'test' });
    const flow = () => genesys.state.flows.get(FLOW)!;
    await waitFor(() => flow().operation?.status === 'STARTED' && flow().operation?.version === '2.0', 'publish under way');
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));

    worker = startWorker();
    await waitFor(async () => (await surge.status('crash-drill')).tiers[1]?.applied === true, 'tier 2 applied after restart', 120_000);
    assert.deepEqual(flow().publishHistory.map((p) => p.version), ['2.0'], 'exactly one publish of 2.0');
    assert.equal(flow().publishedVersionId, '2.0');

    const ended = await surge.endEvent('crash-drill', { reason: 'drill over', by: 'test' });
    assert.equal(ended.endedReason, 'drill over');
    await env.client.workflow.getHandle('surge-event-crash-drill').result();
    assert.deepEqual(flow().publishHistory.map((p) => p.version), ['2.0', '1.0'], 'restored once at the end');
    await smtp.waitForMessage((m) => /tier 2 ACTIVATED/.test(m.subject ?? ''), 10_000);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet (e.g. the first query before the worker has picked the workflow up)
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('starting a planned event schedules its readiness check (real dev server)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await devServerEnv();
  });
  after(async () => env?.teardown());

  it('holds a preEventCheck back until 24 h before the start', async () => {
    const surge = new SurgeClient(env.client);
    const startAt = Date.now() + 48 * 3_600_000;
    const config = testEventConfig({
      eventId: 'planned-sale',
      startAt: new Date(startAt).toISOString(),
      endAt: new Date(startAt + 3_600_000).toISOString(),
    });
    const started = await surge.startEvent(config);
    assert.ok(started.readinessCheckAt, 'a check is scheduled');
    assert.ok(Math.abs(Date.parse(started.readinessCheckAt) - (startAt - 24 * 3_600_000)) < 60_000, 'about 24 h before the start');
    const check = await env.client.workflow.getHandle('pre-event-check-planned-sale').describe();
    assert.equal(check.status.name, 'RUNNING');
    assert.equal(check.type, 'preEventCheck');
    // No worker runs in this test: nothing has executed, so terminating leaves nothing behind.
    for (const id of ['surge-event-planned-sale', 'pre-event-check-planned-sale']) await env.client.workflow.getHandle(id).terminate('test over');
  });
});
