// `npm run test:mutation [-- core|edge]`: runs StrykerJS once per area (stryker/<area>.config.mjs), then
// prints each area's mutation score against its break threshold. Exits non-zero when any area breaks.
// Reports: reports/mutation/<area>.html (browse the survivors) and .json.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const AREAS = { core: 90, edge: 80 } as const;
type Area = keyof typeof AREAS;

interface Report {
  files: Record<string, { mutants: { status: string; mutatorName: string; location: { start: { line: number } }; replacement?: string }[] }>;
}

/** Stryker's mutation score: detected / (detected + undetected); compile and runtime errors are not counted. */
function score(report: Report) {
  const counts: Record<string, number> = {};
  const survivors: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      counts[m.status] = (counts[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') survivors.push(`${file}:${m.location.start.line} ${m.mutatorName} ${m.status}${m.replacement ? ` -> ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}`);
    }
  }
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const undetected = (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { percent: (100 * detected) / Math.max(1, detected + undetected), detected, undetected, survivors };
}

const requested = process.argv.slice(2);
const areas = (requested.length ? requested : Object.keys(AREAS)) as Area[];
for (const a of areas) if (!(a in AREAS)) throw new Error(`unknown area ${a} (${Object.keys(AREAS).join(', ')})`);

const lines: string[] = [];
let broken = false;
for (const area of areas) {
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'stryker'), ['run', `stryker/${area}.config.mjs`], { cwd: ROOT, stdio: 'inherit' });
  let result;
  try {
    result = score(JSON.parse(readFileSync(join(ROOT, 'reports', 'mutation', `${area}.json`), 'utf8')) as Report);
  } catch (error) {
    lines.push(`${area}: no report (stryker exited ${run.status}): ${(error as Error).message}`);
    broken = true;
    continue;
  }
  const ok = result.percent >= AREAS[area] && run.status === 0;
  broken ||= !ok;
  lines.push(`${area}: mutation score ${result.percent.toFixed(2)}% (${result.detected} detected, ${result.undetected} survived or uncovered; break at ${AREAS[area]}%) ${ok ? 'OK' : 'BROKEN'}`);
  for (const s of result.survivors) lines.push(`  survivor ${s}`);
}
console.log(`\nMutation scores (reports in reports/mutation/):\n${lines.join('\n')}`);
process.exit(broken ? 1 : 0);
