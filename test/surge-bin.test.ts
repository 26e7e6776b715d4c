// `npx surge` in the checkout, as a new user types it: npm resolves the package's own `bin` and runs it with no
// build step. npm 10 (Node 20's) links a bin without making it executable, so the launcher must be committed
// executable; npm 11 would mask that by fixing the mode itself, hence the separate check on git's record.
// --no-install: should the local bin ever stop resolving, fail rather than fetch the unrelated `surge` package.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'mocha';
import pkg from '../package.json';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

describe('surge bin (npx surge in the checkout)', function () {
  this.timeout(120_000);

  it('npx surge --help exits 0 and prints the usage', async () => {
    const { stdout } = await run('npx', ['--no-install', 'surge', '--help'], { cwd: ROOT });
    assert.match(stdout, /Usage: surge \[options\] \[command\]/);
    assert.match(stdout, /status \[options\] <event-id>/);
  });

  it('the bin is a JS launcher committed executable', async () => {
    assert.equal(pkg.bin.surge, 'bin/surge.js');
    const { stdout } = await run('git', ['ls-files', '--stage', pkg.bin.surge], { cwd: ROOT });
    assert.match(stdout, /^100755 /, `${pkg.bin.surge} must be committed with mode 755 (npm 10 does not chmod bins)`);
  });
});
