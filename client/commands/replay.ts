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
  return lines;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Feed a recorded queue series (CSV: timestamp,waiting,agents) through the policy and print when each tier would have moved; touches nothing')
    .argument('<metrics.csv>', 'one poll per line; a line with empty waiting and agents is a failed poll')
    .requiredOption('--event <config>', 'the event config whose rules to replay (JSON or YAML)')
    .action(async (csvPath: string, opts: { event: string }) => {
      const config = await loadEventConfig(opts.event);
      let text: string;
      try {
        text = await readFile(csvPath, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${csvPath}: ${(err as Error).message}`);
      }
      const result = replaySamples(parseMetricsCsv(text, csvPath), config);
      for (const line of formatReplay(result)) console.log(line);
    });
}
