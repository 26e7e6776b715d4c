// The flash-sale drill against its baseline, in one table, and how long the drill took (wall clock).
// `npx tsx bench/drill.ts [scenario]`
import { reportFigure } from './table';
import { runDrill } from '../sandbox/drill/run-drill';
import { verdict } from '../sandbox/drill/report';

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'flash-sale-10x';
  const result = await runDrill({ scenario });
  const c = result.controller;
  const b = result.baseline;
  const rows: [string, string | number, string | number][] = [
    ['errored', c.outcomes.errored, b.outcomes.errored],
    ['dropped', c.outcomes.dropped, b.outcomes.dropped],
    ['abandoned', c.outcomes.abandoned, b.outcomes.abandoned],
    ['deflected (all channels)', Object.values(c.outcomes.deflected).reduce((s, n) => s + n, 0), Object.values(b.outcomes.deflected).reduce((s, n) => s + n, 0)],
    ['contained by bot', c.outcomes.containedByBot, b.outcomes.containedByBot],
    ['served', c.outcomes.served, b.outcomes.served],
    ['wait p90 (s)', c.waits.p90Seconds.toFixed(0), b.waits.p90Seconds.toFixed(0)],
    ['service level 80/20', `${(c.waits.serviceLevel * 100).toFixed(1)}%`, `${(b.waits.serviceLevel * 100).toFixed(1)}%`],
    ['Genesys API requests', result.genesysApiCalls.total, 0],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`drill ${scenario} (seed ${result.seed}, ${result.scenario.durationMinutes} simulated minutes)`);
  console.log(`${'metric'.padEnd(w)}  ${'controller'.padStart(12)}  ${'baseline'.padStart(12)}`);
  for (const [name, x, y] of rows) console.log(`${name.padEnd(w)}  ${String(x).padStart(12)}  ${String(y).padStart(12)}`);
  console.log(verdict(result));
  console.log(`drill wall time: ${(result.elapsedMs / 1000).toFixed(1)} s (target: CI-friendly, < 60 s)`);
  const errors = c.outcomes.errored + c.outcomes.dropped;
  reportFigure(`${scenario} drill: customers errored + dropped, controller vs baseline`, `${errors} vs ${b.outcomes.errored + b.outcomes.dropped}`, '0 with the controller', errors === 0);
  reportFigure(`${scenario} drill: service level 80/20, controller vs baseline`, `${(100 * c.waits.serviceLevel).toFixed(1)}% vs ${(100 * b.waits.serviceLevel).toFixed(1)}%`, '-', null);
  reportFigure(`${scenario} drill wall time (3 simulated hours)`, `${(result.elapsedMs / 1000).toFixed(1)} s`, '< 60 s', result.elapsedMs < 60_000);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
