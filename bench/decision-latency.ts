// Decision latency: from the sample that satisfies a rule to the actuator confirmed, on the real dev server
// with the real activities against the sandboxes (KV flag for tier 3, an async flow publish for tier 2).
// Prints p50/p99 per actuator. Target: p99 under 5 s for a KV flag, under publish time + 5 s for a flow.
import { randomUUID } from 'node:crypto';
import { SurgeClient } from '../client/surge-client';
import { createMemoryKvBackend, startCloudflareSandbox } from '../sandbox/cloudflare';
import { startGenesysSandbox } from '../sandbox/genesys';
import { startSmtpSandbox } from '../sandbox/smtp';
import { sandboxWorkerEnv } from '../sandbox/world';
import { createSurgeWorker } from '../workers/worker';
import { devServerEnv } from '../sandbox/temporal-env';
import { testEventConfig } from '../test/helpers/event-config';
import type { SurgeStatus } from '../workflows/messages';
import { percentile, printTable, reportFigure } from './table';

const CYCLES = Number(process.env.BENCH_CYCLES ?? 8);
const PUBLISH_DELAY_MS = 1_500;

async function run(): Promise<void> {
  const env = await devServerEnv();
  const genesys = await startGenesysSandbox({ port: 0, host: '127.0.0.1', publishDelayMs: PUBLISH_DELAY_MS });
  const cloudflare = await startCloudflareSandbox({ port: 0, host: '127.0.0.1', kv: createMemoryKvBackend(), minWriteIntervalMs: 0 });
  const smtp = await startSmtpSandbox({ port: 0, httpPort: 0 });
  const taskQueue = `bench-latency-${randomUUID()}`;
  const { worker } = await createSurgeWorker({
    taskQueue,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.connection.options.address,
      ...sandboxWorkerEnv({ genesysUrl: genesys.url, cloudflareUrl: cloudflare.url, smtpUrl: smtp.smtpUrl }),
    },
  });
  const surge = new SurgeClient(env.client, { taskQueue });
  const latencies: Record<string, number[]> = { 'tier 3 KV flag': [], 'tier 2 flow publish': [] };
  await worker.runUntil(async () => {
    const now = Date.now();
    const config = testEventConfig({
      eventId: 'bench-latency',
      startAt: new Date(now - 1000).toISOString(),
      endAt: new Date(now + 3_600_000).toISOString(),
      queueIds: ['q-sales'],
      pollIntervalSeconds: 1,
      simulatedTimeScale: 30, // 1 wall second stands for a real 30 s poll: bounds apply to simulated time
      dataTable: undefined,
      tiers: {
        2: { activate: { waitingAbove: 200, consecutivePolls: 1 }, restore: { waitingBelow: 50, consecutivePolls: 1 } },
        3: { trigger: 'auto', activate: { waitingAbove: 200, consecutivePolls: 1 }, restore: { waitingBelow: 50, consecutivePolls: 1 } },
      },
      actuators: { 1: [], 2: [{ kind: 'flowVersion', flowId: 'flow-inbound-message', surgeVersion: '2.0', normalVersion: '1.0' }] },
    });
    await surge.startEvent(config);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      for (const waiting of [300, 10]) {
        genesys.state.setQueueMetrics('q-sales', { waiting, onQueueIdle: 20 });
        const active = waiting > 200;
        const status = await waitFor(surge, (s) => s.tiers[1]?.applied === active && s.tiers[2]?.applied === active && s.tiers[1].active === active);
        // The first sample past the rule: the decision's transition records when it was evaluated.
        const transition = [...status.transitions].reverse().find((t) => t.tier === 3 && t.to === active)!;
        const sampleAt = [...status.series].reverse().find((p) => Date.parse(p.at) <= Date.parse(transition.at) && (active ? p.waiting > 200 : p.waiting < 50))!.at;
        for (const [label, actuator] of [['tier 3 KV flag', 'tier3:kv:chat_surge_active'], ['tier 2 flow publish', 'tier2:flow:flow-inbound-message']] as const) {
          const done = [...status.actuations].reverse().find((a) => a.actuator === actuator && a.desired === active && a.outcome === 'applied');
          if (done) latencies[label]!.push(Date.parse(done.at) - Date.parse(sampleAt));
        }
      }
    }
    await surge.endEvent('bench-latency', { reason: 'bench done', by: 'bench' });
  });
  await Promise.allSettled([env.teardown(), genesys.close(), cloudflare.close(), smtp.close()]);
  printTable(
    'Decision latency (sample meeting the rule → actuator confirmed), real activities vs sandboxes, 1 s polls',
    ['actuator', 'n', 'p50 ms', 'p99 ms', 'target'],
    Object.entries(latencies).map(([label, xs]) => [
      label,
      String(xs.length),
      String(Math.round(percentile(xs, 50))),
      String(Math.round(percentile(xs, 99))),
      label.includes('publish') ? `< ${PUBLISH_DELAY_MS + 5000} ms (publish ${PUBLISH_DELAY_MS} ms + 5 s)` : '< 5000 ms',
    ]),
  );
  for (const [label, xs] of Object.entries(latencies)) {
    const limit = label.includes('publish') ? PUBLISH_DELAY_MS + 5000 : 5000;
    const p99 = percentile(xs, 99);
    reportFigure(`decision latency p99, ${label}`, `${Math.round(p99)} ms`, `< ${limit} ms`, p99 < limit);
  }
}

async function waitFor(surge: SurgeClient, done: (s: SurgeStatus) => boolean): Promise<SurgeStatus> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await surge.status('bench-latency').catch(() => null);
    if (s && done(s)) return s;
    if (Date.now() > deadline) throw new Error('timed out waiting for the tiers to be applied');
    await new Promise((r) => setTimeout(r, 100));
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
