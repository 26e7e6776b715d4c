// Flat config: type-aware rules (no-floating-promises) everywhere, Node built-ins banned in workflows/.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

// What ships (workflows, activities, workers, client) never imports the dev-only trees: a production install has
// no sandbox/, test/, bench/ or scripts/ dependencies (smtp-server, miniflare...). `surge drill` loads the sandbox
// with a dynamic import() only when called. test/import-boundaries.test.ts checks this rule fires.
const devOnlyTrees = {
  regex: '(^|/)(sandbox|test|bench|scripts)(/|$)',
  message: 'Shipped code (workflows, activities, workers, client) must not import sandbox/, test/, bench/ or scripts/.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.temporal/**', 'edge/.wrangler/**', 'artifacts/**', 'edge/worker-configuration.d.ts', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['activities/**/*.ts', 'workers/**/*.ts', 'client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [devOnlyTrees] }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins. (This block replaces the
    // rule for workflows/, so it repeats the dev-only trees.)
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
        patterns: [devOnlyTrees],
      }],
    },
  },
);
