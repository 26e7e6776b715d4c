// Edge figures: stub and fallback page sizes, Worker latency per mode in local workerd, fallback load time in Chromium.
// Run: npx tsx bench/edge.ts   (figures only; nothing here asserts)
import { reportFigure } from './table';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startLocalEdge, EDGE_DIR, type LocalEdge } from '../sandbox/edge';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox } from '../sandbox/messenger/server';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 10);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function size(label: string, body: string | Buffer): void {
  const raw = Buffer.byteLength(body);
  const gzip = gzipSync(body, { level: 9 }).length;
  console.log(`${label.padEnd(28)} ${String(raw).padStart(6)} B raw  ${String(gzip).padStart(6)} B gzip`);
  if (/stub/i.test(label)) reportFigure(`${label} size`, `${raw} B raw, ${gzip} B gzip`, '< 2048 B gzip', gzip < 2048);
  else if (/fallback/i.test(label)) reportFigure(`${label} size`, `${raw} B raw, ${gzip} B gzip`, '< 14336 B raw', raw < 14336);
}

async function latency(edge: LocalEdge, label: string, path: string, headers: Record<string, string> = {}): Promise<void> {
  const once = async () => {
    const start = performance.now();
    const res = await fetch(edge.url + path, { headers });
    await res.arrayBuffer();
    return performance.now() - start;
  };
  for (let i = 0; i < 20; i++) await once(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push(await once());
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(28)} p50 ${percentile(times, 50).toFixed(2).padStart(6)} ms  p99 ${percentile(times, 99).toFixed(2).padStart(6)} ms  (n=${SAMPLES})`);
  reportFigure(`edge latency p50/p99, ${label.trim()}`, `${percentile(times, 50).toFixed(1)} / ${percentile(times, 99).toFixed(1)} ms`, '-', null);
}

async function main(): Promise<void> {
  const messenger = await startMessengerSandbox();
  const edge = await startLocalEdge({ messengerUpstream: messenger.url });
  try {
    console.log('== sizes');
    await edge.kv.put('chat_surge_active', 'true');
    size('stub (as served)', await (await fetch(edge.url + FAKE_BOOTSTRAP_PATH)).text());
    size('support-fallback.html', readFileSync(join(EDGE_DIR, 'public', 'support-fallback.html')));

    console.log(`== Worker latency, local workerd (loopback, sequential; upstream = sandbox/messenger)`);
    await edge.kv.put('chat_surge_active', 'false');
    await latency(edge, 'bootstrap normal (proxied)', FAKE_BOOTSTRAP_PATH);
    await edge.kv.put('chat_surge_active', 'true');
    await latency(edge, 'bootstrap surge (stub)', FAKE_BOOTSTRAP_PATH);
    await latency(edge, 'bootstrap live conversation', FAKE_BOOTSTRAP_PATH, { cookie: 'surge_live_conversation=1' });
    await edge.kv.put('support_status', JSON.stringify({ level: 'outage', message: 'Chat is down.', updatedAt: new Date().toISOString() }));
    await latency(edge, 'support-status.json', '/support-status.json');
    await edge.kv.put('chat_fallback_active', 'false');
    await latency(edge, 'support normal (origin)', '/support', { accept: 'text/html' });
    await edge.kv.put('chat_fallback_active', 'true');
    await latency(edge, 'support fallback (asset)', '/support', { accept: 'text/html' });

    console.log(`== fallback page in Chromium (fresh context each, n=${PAGE_LOADS})`);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const loads: number[] = [];
      const statusShown: number[] = [];
      for (let i = 0; i < PAGE_LOADS; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const start = performance.now();
        await page.goto(`${edge.url}/support`, { waitUntil: 'load' });
        loads.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
        await page.locator('#status-message', { hasText: 'Chat is down.' }).waitFor();
        statusShown.push(performance.now() - start);
        await context.close();
      }
      loads.sort((a, b) => a - b);
      statusShown.sort((a, b) => a - b);
      console.log(`${'load event (navigation timing)'.padEnd(28)} p50 ${percentile(loads, 50).toFixed(1)} ms  max ${loads.at(-1)?.toFixed(1)} ms`);
      reportFigure('fallback page load in Chromium (local)', `p50 ${percentile(loads, 50).toFixed(0)} ms`, '< 1000 ms', percentile(loads, 50) < 1000);
      console.log(`${'status shown (from goto)'.padEnd(28)} p50 ${percentile(statusShown, 50).toFixed(1)} ms  max ${statusShown.at(-1)?.toFixed(1)} ms`);
    } finally {
      await browser.close();
    }
  } finally {
    await edge.dispose();
    await messenger.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
