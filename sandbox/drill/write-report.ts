// Writes a drill's report files: report.md, chart.svg and result.json (the numbers, for tooling).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderDrillChart } from './chart';
import { renderDrillReport } from './report';
import type { DrillResult } from './run-drill';
import { renderSeedsTable, type SeedsSummary } from './seeds';

export async function writeDrillReport(result: DrillResult, outDir: string): Promise<{ report: string; chart: string; json: string }> {
  await mkdir(outDir, { recursive: true });
  const files = { report: path.join(outDir, 'report.md'), chart: path.join(outDir, 'chart.svg'), json: path.join(outDir, 'result.json') };
  const { controller, baseline, ...rest } = result;
  // Minute series are in the chart; the JSON keeps the summary numbers.
  const json = { ...rest, controller: { outcomes: controller.outcomes, waits: controller.waits }, baseline: { outcomes: baseline.outcomes, waits: baseline.waits } };
  await Promise.all([
    writeFile(files.report, renderDrillReport(result, 'chart.svg')),
    writeFile(files.chart, renderDrillChart(result)),
    writeFile(files.json, JSON.stringify(json, null, 2)),
  ]);
  return files;
}

/** The several-seed summary as seeds.md, with each seed's tier moves below the table. */
export async function writeSeedsReport(summary: SeedsSummary, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, 'seeds.md');
  const perSeed = summary.runs.map((r) => {
    const moves = r.transitions.filter((t) => t.cause !== 'event-end').map((t) => `min ${t.minute.toFixed(1)} tier ${t.tier} ${t.to ? 'on' : 'off'}`);
    return `- seed ${r.seed}: errored ${r.controller.outcomes.errored}, dropped ${r.controller.outcomes.dropped}, abandoned ${r.controller.outcomes.abandoned}; moves: ${moves.join('; ') || 'none'}`;
  });
  await writeFile(file, [`# Drill: ${summary.scenario} over ${summary.seeds.length} seeds`, '', renderSeedsTable([summary]), '', ...perSeed, ''].join('\n'));
  return file;
}
