// `surge replay <metrics.csv> --event <config>`: a recorded spike through the same pure policy the workflow
// runs, printing when each tier would have moved. Nothing is touched: threshold tuning, offline.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseMetricsCsv } from '../replay/metrics-csv';
import { replaySamples, type ReplayResult } from '../replay/replay';
import { TIER_DESCRIPTIONS } from '../../workflows/tiers';
import { loadEventConfig } from '../event-config';

export function formatReplay(result: ReplayResult): string[] {
  const lines = [`${result.samples} samples (${result.failedSamples} failed)`];
  const events = [
    ...result.moves.map((m) => ({ atMs: m.atMs, text: `tier ${m.tier} (${TIER_DESCRIPTIONS[m.tier].name}) would ${m.to ? 'ACTIVATE' : 'restore'}: ${m.reason}` })),
    ...result.recommendations.map((r) => ({ atMs: r.atMs, text: `tier ${r.tier} (${TIER_DESCRIPTIONS[r.tier].name}) is manual: operators would be asked to ${r.action} it: ${r.reason}` })),
  ].sort((a, b) => a.atMs - b.atMs);
  if (events.length === 0) lines.push('no tier would have moved');
  for (const e of events) lines.push(`${new Date(e.atMs).toISOString()}  ${e.text}`);
  if (result.forecasts.length > 0) {
    const peak = (key: 'forecastWaiting' | 'forecastBotLoad') => result.forecasts.reduce((best, f) => ((f[key] ?? -1) > (best[key] ?? -1) ? f : best));
    const w = peak('forecastWaiting');
    lines.push(`forecast (${result.forecasts.length} samples with leading signals): peak forecast waiting ${w.forecastWaiting} at ${new Date(w.atMs).toISOString()}`);
    const b = peak('forecastBotLoad');
    if (b.forecastBotLoad !== undefined) lines.push(`forecast: peak forecast bot load ${Math.round(b.forecastBotLoad * 100)}% at ${new Date(b.atMs).toISOString()}`);
  }
  return lines;
}

/** Every sample's forecast as CSV, for plotting against the recorded waiting. */
export function formatForecastCsv(result: ReplayResult): string[] {
  return ['timestamp,arrivalRate,capacityPerMinute,forecastWaiting,botLoad,forecastBotLoad', ...result.forecasts.map((f) => `${new Date(f.atMs).toISOString()},${f.arrivalRate},${f.capacityPerMinute},${f.forecastWaiting},${f.botLoad ?? ''},${f.forecastBotLoad ?? ''}`)];
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Feed a recorded queue series (CSV: timestamp,waiting,agents; optional agentsOnQueue,interacting,offeredPerMinute,offeredTrendPerMinute,botSessions for the leading rules) through the policy and print when each tier would have moved; touches nothing')
    .argument('<metrics.csv>', 'one poll per line; a line with empty waiting and agents is a failed poll')
    .requiredOption('--event <config>', 'the event config whose rules to replay (JSON or YAML)')
    .option('--forecast', 'also print each sample\'s forecast as CSV (needs `leading` in the config and leading columns in the CSV)')
    .action(async (csvPath: string, opts: { event: string; forecast?: boolean }) => {
      const config = await loadEventConfig(opts.event);
      let text: string;
      try {
        text = await readFile(csvPath, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${csvPath}: ${(err as Error).message}`);
      }
      const result = replaySamples(parseMetricsCsv(text, csvPath), config);
      for (const line of formatReplay(result)) console.log(line);
      if (opts.forecast) for (const line of formatForecastCsv(result)) console.log(line);
    });
}
