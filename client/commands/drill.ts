// `surge drill <scenario> [--event <config>] [--out <dir>]`: rehearse a scenario against the sandbox world on
// the time-skipping server, with the controller and without (baseline), and write the report.
import path from 'node:path';
import type { Command } from 'commander';
import { listScenarios, loadScenario } from '../../sandbox/contact-center';
import { verdict } from '../../sandbox/drill/report';
import { runDrill } from '../../sandbox/drill/run-drill';
import { writeDrillReport } from '../../sandbox/drill/write-report';
import { loadEventConfig } from '../event-config';

export function registerDrillCommand(program: Command): void {
  program
    .command('drill')
    .description(`Rehearse a scenario on the sandbox (with the controller and without) and write a report. Scenarios: ${listScenarios().join(', ')}`)
    .argument('<scenario>', 'a scenario name from sandbox/scenarios/ or a path to a scenario file')
    .option('--event <config>', "the event config whose rules and modes to drill (JSON or YAML); default the playbook's, pre-armed for a planned scenario")
    .option('--out <dir>', 'where to write report.md, chart.svg and result.json', 'drill-reports/<scenario>')
    .option('--seed <n>', "simulation seed (default the scenario's)")
    .action(async (scenarioArg: string, opts: { event?: string; out: string; seed?: string }) => {
      const scenario = loadScenario(scenarioArg);
      if (opts.seed !== undefined && !/^\d+$/.test(opts.seed)) throw new Error(`--seed: expected a non-negative integer (got "${opts.seed}")`);
      const base = opts.event ? await loadEventConfig(opts.event) : undefined;
      const outDir = opts.out === 'drill-reports/<scenario>' ? path.join('drill-reports', scenario.name) : opts.out;
      console.log(`drilling ${scenario.name} (${scenario.durationMinutes} simulated minutes)...`);
      const result = await runDrill({ scenario, base, seed: opts.seed === undefined ? undefined : Number(opts.seed) });
      const files = await writeDrillReport(result, outDir);
      console.log(verdict(result));
      console.log(`report: ${files.report}\nchart:  ${files.chart}\ndrill took ${(result.elapsedMs / 1000).toFixed(1)} s`);
    });
}
