// `surge replay` on a committed CSV whose answers were worked out by hand from the playbook rules
// (30 s polls): calm until 10:05; waiting 250 with 3 agents idle from 10:05:00; one failed poll at 10:10:00;
// waiting 450 with 0 idle at 10:11:30-10:12:30; calm (30 waiting, 12 idle) from 10:20:00.
//  - tier 2 (> 200 and < 5 idle, 3 consecutive polls): polls 10:05:00, :05:30, :06:00 -> ACTIVATE 10:06:00
//  - tier 3 (manual, > 400 for 3 polls): 10:11:30, :12:00, :12:30 -> operators asked at 10:12:30
//  - tier 1 (> 50 sustained 600 s): streak from 10:05:00 survives the single failed poll (held, not reset)
//    -> ACTIVATE at 10:15:00
//  - tiers 1 and 2 restore (< 50 sustained 300 s): from 10:20:00 -> restore at 10:25:00
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { main } from '../client/cli';
import { parseEventConfig } from '../client/event-config';
import { MetricsCsvError, parseMetricsCsv } from '../client/replay/metrics-csv';
import { replaySamples } from '../client/replay/replay';

const CSV = path.join(__dirname, 'fixtures/replay-flash-sale.csv');
const EVENT = {
  eventId: 'replay-test',
  startAt: '2026-11-27T10:00:00Z',
  endAt: '2026-11-27T12:00:00Z',
  queueIds: ['q-orders', 'q-support'],
  pollIntervalSeconds: 30,
  dataTable: { datatableId: 'dt-surge-flags' },
};

describe('replay: a recorded series through the pure policy', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'replay-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds the hand-computed moves in the committed CSV', async () => {
    const samples = parseMetricsCsv(await readFile(CSV, 'utf8'), CSV);
    assert.equal(samples.length, 61);
    const result = replaySamples(samples, parseEventConfig(EVENT));
    const at = (iso: string) => Date.parse(iso);
    assert.deepEqual(
      result.moves.map((m) => ({ tier: m.tier, to: m.to, atMs: m.atMs })),
      [
        { tier: 2, to: true, atMs: at('2026-11-27T10:06:00Z') },
        { tier: 1, to: true, atMs: at('2026-11-27T10:15:00Z') },
        { tier: 1, to: false, atMs: at('2026-11-27T10:25:00Z') },
        { tier: 2, to: false, atMs: at('2026-11-27T10:25:00Z') },
      ],
    );
    assert.deepEqual(result.recommendations.map((r) => [r.tier, r.action, r.atMs]), [[3, 'activate', at('2026-11-27T10:12:30Z')]]);
    assert.equal(result.failedSamples, 1);
  });

  it('surge replay prints the same moves and touches nothing', async () => {
    const eventFile = path.join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify(EVENT));
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.join(' '));
    let code: number;
    try {
      code = await main(['replay', CSV, '--event', eventFile]);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    const lines = printed.join('\n');
    assert.match(lines, /61 samples \(1 failed\)/);
    assert.match(lines, /2026-11-27T10:06:00.000Z {2}tier 2 \(queue capacity gate\) would ACTIVATE/);
    assert.match(lines, /2026-11-27T10:12:30.000Z {2}tier 3 .* operators would be asked to activate/);
    assert.match(lines, /2026-11-27T10:15:00.000Z {2}tier 1 .* would ACTIVATE/);
    assert.equal((lines.match(/2026-11-27T10:25:00.000Z {2}tier [12] .* would restore/g) ?? []).length, 2);
  });

  it('a bad CSV is refused naming the line and the column', () => {
    assert.throws(() => parseMetricsCsv('timestamp,waiting\n', 'x.csv'), (e: Error) => e instanceof MetricsCsvError && /no agents column/.test(e.message));
    assert.throws(() => parseMetricsCsv('timestamp,waiting,agents\n2026-11-27T10:00:00Z,lots,3\n', 'x.csv'), /x\.csv line 2: waiting "lots" is not a non-negative whole number/);
    assert.throws(() => parseMetricsCsv('timestamp,waiting,agents\nyesterday,1,3\n', 'x.csv'), /line 2: timestamp "yesterday"/);
  });
});
