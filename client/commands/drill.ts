// `surge drill <scenario> [--event <config>] [--out <dir>]`: rehearse a scenario against the sandbox world on
// the time-skipping server, with the controller and without (baseline), and write the report.
import path from 'node:path';
import type { Command } from 'commander';
import { listScenarios, loadScenario } from '../../sandbox/contact-center';
import { verdict } from '../../sandbox/drill/report';
import { runDrill } from '../../sandbox/drill/run-drill';
import { renderSeedsTable, runDrillSeeds } from '../../sandbox/drill/seeds';
import { writeDrillReport, writeSeedsReport } from '../../sandbox/drill/write-report';
import { loadEventConfig } from '../event-config';

export function registerDrillCommand(program: Command): void {
  program
    .command('drill')
    .description(`Rehearse a scenario on the sandbox (with the controller and without) and write a report. Scenarios: ${listScenarios().join(', ')}`)
    .argument('<scenario>', 'a scenario name from sandbox/scenarios/ or a path to a scenario file')
    .option('--event <config>', "the event config whose rules and modes to drill (JSON or YAML); default the playbook's, pre-armed for a planned scenario")
    .option('--out <dir>', 'where to write report.md, chart.svg and result.json', 'drill-reports/<scenario>')
    .option('--seed <n>', "simulation seed (default the scenario's)")
    .option('--seeds <list>', 'drill several seeds (e.g. 1,2,3,4,5) and report mean and 95% interval per outcome (seeds.md)')
    .option('--tier3-auto', 'let tier 3 move on its rules (the playbook recommends it to operators)')
    .option('--no-pre-arm', 'never pre-arm a planned scenario: the rules alone act')
    .action(async (scenarioArg: string, opts: { event?: string; out: string; seed?: string; seeds?: string; tier3Auto?: boolean; preArm: boolean }) => {
      const scenario = loadScenario(scenarioArg);
      if (opts.seed !== undefined && !/^\d+$/.test(opts.seed)) throw new Error(`--seed: expected a non-negative integer (got "${opts.seed}")`);
      if (opts.seeds !== undefined && !/^\d+(,\d+)*$/.test(opts.seeds)) throw new Error(`--seeds: expected non-negative integers separated by commas (got "${opts.seeds}")`);
      const base = opts.event ? await loadEventConfig(opts.event) : undefined;
      const outDir = opts.out === 'drill-reports/<scenario>' ? path.join('drill-reports', scenario.name) : opts.out;
      const preArm = opts.preArm === false ? false : undefined;
      if (opts.seeds !== undefined) {
        const seeds = opts.seeds.split(',').map(Number);
        console.log(`drilling ${scenario.name} over seeds ${seeds.join(', ')}...`);
        const summary = await runDrillSeeds({ scenario, seeds, base, preArm, tier3Auto: opts.tier3Auto });
        const file = await writeSeedsReport(summary, outDir);
        console.log(renderSeedsTable([summary]));
        console.log(`report: ${file}\ndrills took ${summary.wallSeconds.toFixed(0)} s`);
        return;
      }
      console.log(`drilling ${scenario.name} (${scenario.durationMinutes} simulated minutes)...`);
      const result = await runDrill({ scenario, base, preArm, tier3Auto: opts.tier3Auto, seed: opts.seed === undefined ? undefined : Number(opts.seed) });
      const files = await writeDrillReport(result, outDir);
      console.log(verdict(result));
      console.log(`report: ${files.report}\nchart:  ${files.chart}\ndrill took ${(result.elapsedMs / 1000).toFixed(1)} s`);
    });
}
