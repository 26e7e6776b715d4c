// `surge drill <scenario> [--event <config>] [--out <dir>]`: rehearse a scenario against the sandbox world on
// the time-skipping server, with the controller and without (baseline), and write the report.
// A development command: the sandbox (sandbox/, dev dependencies) is loaded only when a drill runs, so a production
// install (`npm ci --omit=dev`, no sandbox/) keeps every other command working.
import path from 'node:path';
import type { Command } from 'commander';
import { loadEventConfig } from '../event-config';

export class DrillUnavailableError extends Error {
  override name = 'DrillUnavailableError';
}

/** The sandbox modules a drill needs, or a clear error when this is a production install. */
async function loadSandbox() {
  try {
    const [contactCenter, report, runDrill, seeds, writeReport] = await Promise.all([
      import('../../sandbox/contact-center'),
      import('../../sandbox/drill/report'),
      import('../../sandbox/drill/run-drill'),
      import('../../sandbox/drill/seeds'),
      import('../../sandbox/drill/write-report'),
    ]);
    return { ...contactCenter, ...report, ...runDrill, ...seeds, ...writeReport };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new DrillUnavailableError(
        `drill is a development command: it needs the repository's sandbox/ and the dev dependencies ` +
          `(run it from a git checkout after \`npm install\`; ${(err as Error).message.split('\n')[0]})`,
      );
    }
    throw err;
  }
}

export function registerDrillCommand(program: Command): void {
  program
    .command('drill')
    .description('(development) Rehearse a scenario on the sandbox (with the controller and without) and write a report. Scenarios: sandbox/scenarios/')
    .argument('<scenario>', 'a scenario name from sandbox/scenarios/ or a path to a scenario file')
    .option('--event <config>', "the event config whose rules and modes to drill (JSON or YAML); default the playbook's, pre-armed for a planned scenario")
    .option('--out <dir>', 'where to write report.md, chart.svg and result.json', 'drill-reports/<scenario>')
    .option('--seed <n>', "simulation seed (default the scenario's)")
    .option('--seeds <list>', 'drill several seeds (e.g. 1,2,3,4,5) and report mean and 95% interval per outcome (seeds.md)')
    .option('--tier3-auto', 'let tier 3 move on its rules (the playbook recommends it to operators)')
    .option('--no-pre-arm', 'never pre-arm a planned scenario: the rules alone act')
    .action(async (scenarioArg: string, opts: { event?: string; out: string; seed?: string; seeds?: string; tier3Auto?: boolean; preArm: boolean }) => {
      const { loadScenario, runDrill, runDrillSeeds, renderSeedsTable, verdict, writeDrillReport, writeSeedsReport } = await loadSandbox();
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
