// Settings shared by every mutation-testing area (StrykerJS 9, mocha runner).
//
// Why the mocha runner (and mocha pinned to 11, which @stryker-mutator/mocha-runner 9 supports) rather than
// the command runner: with coverageAnalysis "perTest" the mocha runner loads the tests once per worker and
// runs, for each mutant, only the tests that reach it (milliseconds); the command runner starts the whole
// given command (node + tsx + every spec file, ~2-3 s) for each of several hundred mutants.

/** @returns {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export function base({ area, mutate, spec, breakAt, ignoreStatic = false }) {
  return {
    packageManager: 'npm',
    testRunner: 'mocha',
    // Mocha's own `node-option: import=tsx` only applies when the mocha CLI spawns node; Stryker runs mocha
    // in its own worker processes, so tsx is loaded here.
    testRunnerNodeArgs: ['--import', 'tsx'],
    // Stryker's mocha runner sets no suite timeout; the unit specs set short ones, so a mutant that hangs
    // fails there rather than at Stryker's timeout (which restarts the worker).
    mochaOptions: { spec, config: '.mocharc.json' },
    coverageAnalysis: 'perTest',
    // A static mutant (module-level code, e.g. a zod schema) can only be tested by restarting a worker and
    // loading every spec again (~15 s each on this machine); areas with many of them may skip them.
    ignoreStatic,
    mutate,
    // The machine is shared: two workers at most.
    concurrency: 2,
    timeoutMS: 10_000,
    thresholds: { high: breakAt + 5, low: breakAt, break: breakAt },
    reporters: ['clear-text', 'html', 'json', 'progress-append-only'],
    clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true, reportMutants: true },
    htmlReporter: { fileName: `reports/mutation/${area}.html` },
    jsonReporter: { fileName: `reports/mutation/${area}.json` },
    // Re-runs test only the mutants whose code or covering tests changed since the last run.
    incremental: true,
    incrementalFile: `reports/mutation/${area}-incremental.json`,
    tempDirName: '.stryker-tmp',
    // Only what the tests need is copied into Stryker's sandbox (node_modules is linked, not copied).
    ignorePatterns: ['.tools', '.temporal', '.wrangler', 'artifacts', 'reports', 'drill-reports', 'bench', 'docker', 'integrations'],
    cleanTempDir: 'always',
  };
}
