// The test tiers: `unit` (pure modules, no server, seconds), `workflow` (the time-skipping Temporal
// server) and `e2e` (everything else: dev server, browsers, the stack, the sandboxes). Unit and workflow
// are listed here; e2e is every other test file, so a new file is never silently skipped (it runs with
// e2e until it is listed). test/test-tiers.test.ts checks every file belongs to exactly one tier.
//   tsx scripts/test-tiers.ts <unit|workflow|e2e> [extra mocha args]   runs that tier with mocha
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const TEST_DIR = join(__dirname, '..', 'test');

// Pure: no server, no browser, no Temporal (files in a temp directory are fine). The sandboxes' own tests
// (contact-center-*, genesys-*) and the ESLint import-boundary check stay in e2e.
export const UNIT: readonly string[] = [
  'test/activity-options.test.ts',
  'test/actuation.test.ts',
  'test/config-rules.test.ts',
  'test/config-schema.test.ts',
  'test/deflection-data-action.test.ts',
  'test/edge-handler.test.ts',
  'test/event-config.test.ts',
  'test/forecast.test.ts',
  'test/leading-policy.test.ts',
  'test/payload-codec.test.ts',
  'test/policy-rules.test.ts',
  'test/policy.test.ts',
  'test/poll-batch.test.ts',
  'test/poll-phase.test.ts',
  'test/reconciler.test.ts',
  'test/replay-csv.test.ts',
  'test/replay-leading.test.ts',
  'test/test-tiers.test.ts',
];

// The time-skipping server, and replays of recorded histories against the workflow bundle.
export const WORKFLOW: readonly string[] = [
  'test/deflection-follow-up.test.ts',
  'test/deflection-replay.test.ts',
  'test/drill-brownout.test.ts',
  'test/drill-flash-sale.test.ts',
  'test/drill-oscillation.test.ts',
  'test/drill-promises.test.ts',
  'test/drill-steady-viral.test.ts',
  'test/integration-drift.test.ts',
  'test/integration-flash-sale.test.ts',
  'test/readiness-workflow.test.ts',
  'test/replay-history.test.ts',
  'test/surge-event-actuators.test.ts',
  'test/surge-event-leading.test.ts',
  'test/surge-event.test.ts',
];

export type TierName = 'unit' | 'workflow' | 'e2e';

/** Every test file under test/ (recursively), as `test/...` paths, sorted. */
export function allTestFiles(dir = TEST_DIR, prefix = 'test'): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? allTestFiles(join(dir, e.name), `${prefix}/${e.name}`) : e.name.endsWith('.test.ts') ? [`${prefix}/${e.name}`] : []))
    .sort();
}

export function testFilesOf(tier: TierName, all = allTestFiles()): string[] {
  if (tier === 'unit') return [...UNIT];
  if (tier === 'workflow') return [...WORKFLOW];
  const listed = new Set([...UNIT, ...WORKFLOW]);
  return all.filter((f) => !listed.has(f));
}

if (require.main === module) {
  const [tier, ...mochaArgs] = process.argv.slice(2);
  if (tier !== 'unit' && tier !== 'workflow' && tier !== 'e2e') {
    console.error('usage: tsx scripts/test-tiers.ts <unit|workflow|e2e> [mocha args]');
    process.exit(2);
  }
  const mocha = join(__dirname, '..', 'node_modules', '.bin', 'mocha');
  const result = spawnSync(mocha, [...mochaArgs, ...testFilesOf(tier)], { stdio: 'inherit', cwd: join(__dirname, '..') });
  process.exit(result.status ?? 1);
}
