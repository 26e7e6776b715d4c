// One-way imports: the ESLint rule that keeps shipped code (workflows, activities, workers, client) off the dev-only
// trees (sandbox, test, bench, scripts) fires on a violation, and the shipped code has none.
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..');

describe('import boundaries (ESLint no-restricted-imports)', function () {
  // The first lint starts typescript-eslint's project service (type-aware rules): tens of seconds on a busy machine.
  this.timeout(300_000);
  const eslint = new ESLint({ cwd: ROOT });

  async function restrictedImports(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  for (const [file, imported] of [
    ['client/cli.ts', '../sandbox/stack'],
    ['client/commands/replay.ts', '../../sandbox/drill/report'],
    ['activities/genesys.ts', '../test/helpers/anything'],
    ['workers/worker.ts', '../bench/all'],
    ['workflows/policy.ts', '../scripts/provision-temporal'],
  ] as const) {
    it(`rejects ${file} importing ${imported}`, async () => {
      const messages = await restrictedImports(file, `import '${imported}';\nexport {};\n`);
      assert.equal(messages.length, 1, `expected one violation, got ${JSON.stringify(messages)}`);
      assert.match(messages[0], /must not import sandbox\/, test\/, bench\/ or scripts\//);
    });
  }

  it('still bans Node built-ins in workflows/', async () => {
    assert.equal((await restrictedImports('workflows/policy.ts', "import 'node:fs';\nexport {};\n")).length, 1);
  });

  it('allows ordinary imports, and the drill command loads the sandbox only with a dynamic import()', async () => {
    assert.deepEqual(await restrictedImports('client/cli.ts', "import '@temporalio/testing';\nimport './event-config';\nexport {};\n"), []);
    const [drill] = await eslint.lintFiles([path.join(ROOT, 'client/commands/drill.ts')]);
    assert.deepEqual(drill.messages, []);
  });
});
