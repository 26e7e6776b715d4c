// `surge replay` with the leading columns: a recorded bot ramp makes the playbook's leading rules fire before
// the queue fills; the committed lagging-only CSV replays unchanged under a config with `leading`.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'mocha';
import { main } from '../client/cli';
import { parseEventConfig } from '../client/event-config';
import { MetricsCsvError, parseMetricsCsv } from '../client/replay/metrics-csv';
import { replaySamples } from '../client/replay/replay';

const FIXTURE = path.join(__dirname, 'fixtures/replay-flash-sale.csv');
const EVENT = {
  eventId: 'replay-leading',
  startAt: '2026-11-27T10:00:00Z',
  endAt: '2026-11-27T12:00:00Z',
  queueIds: ['q-orders', 'q-support'],
  pollIntervalSeconds: 30,
  dataTable: { datatableId: 'dt-surge-flags' },
  leading: { agentConcurrency: 3, handleTimeSeconds: 720, patienceSeconds: 600, botFlowId: 'flow-bot', botConcurrencyLimit: 500 },
};

// Calm (90 bot sessions) then a ramp of +120 sessions a poll from 10:02:00: at 10:02:30 the bot is at 210 (42%)
// and rising 240/min, so in 120 s 690 (138%): tiers 1 and 2 activate early (tier 3 is manual: asked).
const RAMP = [
  'timestamp,waiting,agents,agentsOnQueue,interacting,offeredPerMinute,offeredTrendPerMinute,botSessions',
  '2026-11-27T10:00:00Z,0,20,160,440,34,0,90',
  '2026-11-27T10:00:30Z,0,20,160,440,35,0,90',
  '2026-11-27T10:01:00Z,0,20,160,440,,,',
  '2026-11-27T10:01:30Z,0,20,160,440,33,0,90',
  '2026-11-27T10:02:00Z,0,20,160,440,35,0,90',
  '2026-11-27T10:02:30Z,0,18,160,445,38,2,210',
].join('\n');

describe('replay: leading columns', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'replay-leading-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads the optional columns; an empty offeredPerMinute means no leading signals for that poll', () => {
    const samples = parseMetricsCsv(RAMP, 'ramp.csv');
    assert.deepEqual(samples[5], { atMs: Date.parse('2026-11-27T10:02:30Z'), ok: true, waiting: 0, agentsAvailable: 18, agentsOnQueue: 160, interacting: 445, leading: { offeredPerMinute: 38, offeredTrendPerMinute: 2, botSessions: 210 } });
    assert.equal(samples[2].leading, undefined);
  });

  it('the bot ramp activates tiers 1 and 2 early and asks about tier 3, with the forecast', () => {
    const result = replaySamples(parseMetricsCsv(RAMP, 'ramp.csv'), parseEventConfig(EVENT));
    assert.deepEqual(result.moves.map((m) => [new Date(m.atMs).toISOString(), m.tier, m.to]), [
      ['2026-11-27T10:02:30.000Z', 1, true],
      ['2026-11-27T10:02:30.000Z', 2, true],
    ]);
    assert.match(result.moves[0].reason, /^early: forecast bot load in 120 s > 60%/);
    assert.deepEqual(result.recommendations.map((r) => [r.tier, r.action]), [[3, 'activate']]);
    assert.equal(result.forecasts.length, 5);
    assert.equal(result.forecasts[4].forecastBotLoad, 1.38);
  });

  it('the committed lagging-only CSV: same activations with leading settings; restores as a staircase', async () => {
    const samples = parseMetricsCsv(await readFile(FIXTURE, 'utf8'), FIXTURE);
    const { leading: _leading, ...lagging } = EVENT;
    const plain = replaySamples(samples, parseEventConfig(lagging));
    const withLeading = replaySamples(samples, parseEventConfig(EVENT));
    const ons = (r: typeof plain) => r.moves.filter((m) => m.to);
    assert.ok(ons(plain).length > 0);
    assert.deepEqual(ons(withLeading), ons(plain));
    assert.deepEqual(withLeading.forecasts, []);
    // Without leading rules tiers 1 and 2 restore together at 10:25; with them tier 1's 5-minute window starts
    // once tier 2 is off, which the recording (to 10:30:00) does not reach.
    const offs = (r: typeof plain) => r.moves.filter((m) => !m.to).map((m) => [m.tier, new Date(m.atMs).toISOString()]);
    assert.deepEqual(offs(plain), [[1, '2026-11-27T10:25:00.000Z'], [2, '2026-11-27T10:25:00.000Z']]);
    assert.deepEqual(offs(withLeading), [[2, '2026-11-27T10:25:00.000Z']]);
  });

  it('refuses a leading column without offeredPerMinute, and a bad number, naming the line', () => {
    assert.throws(() => parseMetricsCsv('timestamp,waiting,agents,botSessions\n2026-11-27T10:00:00Z,0,1,5', 'x.csv'), (e: unknown) => e instanceof MetricsCsvError && /need an offeredPerMinute column/.test(e.message));
    assert.throws(() => parseMetricsCsv('timestamp,waiting,agents,offeredPerMinute\n2026-11-27T10:00:00Z,0,1,lots', 'x.csv'), (e: unknown) => e instanceof MetricsCsvError && /x\.csv line 2: offeredPerMinute "lots" is not a number/.test(e.message));
  });

  it('`surge replay --forecast` prints the moves and the forecast CSV', async () => {
    const csv = path.join(dir, 'ramp.csv');
    const eventFile = path.join(dir, 'event.json');
    await writeFile(csv, RAMP);
    await writeFile(eventFile, JSON.stringify(EVENT));
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => printed.push(args.join(' '));
    let code: number;
    try {
      code = await main(['replay', csv, '--event', eventFile, '--forecast']);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    const text = printed.join('\n');
    assert.match(text, /tier 1 \(bot containment boost\) would ACTIVATE: early: forecast bot load/);
    assert.match(text, /forecast: peak forecast bot load 138% at 2026-11-27T10:02:30.000Z/);
    assert.match(text, /^2026-11-27T10:02:30.000Z,38,40,\d+,0.42,1.38$/m);
  });
});
