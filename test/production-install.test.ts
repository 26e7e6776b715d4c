// A production install as a new user makes it: the repository's files (as a clone would have them), `npm run build`'s
// outputs, then `npm ci --omit=dev` from the npm cache (no network). The CLI answers --help and a readable error with
// no Temporal server, the worker module loads, and the dashboard serves its page with the prebuilt script, all
// without a single dev dependency (smtp-server, esbuild, miniflare...) or the dev-only trees.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

/** A TCP port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('production install (npm ci --omit=dev of a fresh copy)', function () {
  this.timeout(600_000);
  let dir: string;
  const prodEnv = (extra: Record<string, string> = {}) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', ...extra };
    return env;
  };
  const tsx = (args: string[], env: NodeJS.ProcessEnv) => run(path.join(dir, 'node_modules/.bin/tsx'), args, { cwd: dir, env, timeout: 120_000 });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'surge-prod-'));
    // What `git clone` of this working tree would hold: tracked and new files, never ignored ones (node_modules,
    // dist, .tools) and never deleted ones.
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    for (const file of stdout.split('\0').filter(Boolean)) {
      if (!existsSync(path.join(ROOT, file))) continue;
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      cpSync(path.join(ROOT, file), path.join(dir, file));
    }
    // `npm run build` on a build machine (it has the dev dependencies: borrowed here, then taken away again).
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    try {
      const build = (script: string) => run(path.join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: dir, timeout: 300_000 });
      await build('scripts/build-workflow-bundle.ts');
      await build('scripts/build-dashboard-assets.ts');
    } finally {
      unlinkSync(path.join(dir, 'node_modules'));
    }
    assert.ok(existsSync(path.join(dir, 'dist/workflow-bundle.js')) && existsSync(path.join(dir, 'dist/dashboard/app.js')));
    // The production install: only the lockfile's production dependencies, from the npm cache.
    await run('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd: dir, timeout: 480_000, env: { ...process.env, NODE_ENV: 'production' } });
    for (const devOnly of ['smtp-server', 'miniflare', 'mocha', 'wrangler', 'playwright-core']) {
      assert.ok(!existsSync(path.join(dir, 'node_modules', devOnly)), `${devOnly} is a dev dependency and must not be installed`);
    }
    // The dev-only trees a deployment need not carry: prove nothing shipped reaches for them.
    for (const tree of ['sandbox', 'test', 'bench']) rmSync(path.join(dir, tree), { recursive: true, force: true });
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('surge --help lists the commands', async () => {
    const { stdout } = await tsx(['client/cli.ts', '--help'], prodEnv());
    for (const command of ['start', 'list', 'status', 'replay', 'drill']) assert.match(stdout, new RegExp(`\\b${command}\\b`), command);
  });

  it('surge list with no Temporal server exits 1 with a readable error, not a stack trace', async () => {
    const port = await closedPort();
    const result = await tsx(['client/cli.ts', 'list'], prodEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` })).then(
      () => assert.fail('surge list succeeded with no server'),
      (err: { code?: number; stderr: string }) => err,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^surge: cannot reach Temporal at 127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(result.stderr, /Cannot find module|\n\s+at /);
  });

  it('surge replay runs; surge drill says it is a development command', async () => {
    const csv = path.join(dir, 'spike.csv');
    writeFileSync(csv, 'timestamp,waiting,agents\n2026-11-27T10:00:00Z,1,10\n2026-11-27T10:00:10Z,2,10\n');
    const replay = await tsx(['client/cli.ts', 'replay', csv, '--event', 'examples/black-friday-2026.yaml'], prodEnv());
    assert.match(replay.stdout, /^2 samples \(0 failed\)/);
    const drill = await tsx(['client/cli.ts', 'drill', 'flash-sale'], prodEnv()).then(
      () => assert.fail('drill ran without the sandbox'),
      (err: { code?: number; stderr: string }) => err,
    );
    assert.equal(drill.code, 1);
    assert.match(drill.stderr, /drill is a development command: it needs the repository's sandbox\//);
  });

  it('loads the worker module and its activities', async () => {
    const { stdout } = await tsx(['-e', "const w = require('./workers/worker'); console.log(typeof w.createSurgeWorker, typeof w.activityDepsFromEnv)"], prodEnv());
    assert.equal(stdout.trim(), 'function function');
  });

  it('serves the dashboard page and its prebuilt script', async () => {
    // The dashboard's server as main.ts builds it, but on a lazy Temporal client (there is no server here, and the page
    // needs none): the page and its assets come from the install alone.
    const script = path.join(dir, 'serve-dashboard.ts');
    writeFileSync(script, [
      "import { Client } from '@temporalio/client';",
      "import { SurgeClient } from './client/surge-client';",
      "import { startDashboard } from './client/dashboard/server';",
      'const surge = new SurgeClient(new Client({ namespace: "default" }));',
      'void startDashboard({ surge, token: process.env.DASHBOARD_TOKEN!, port: 0, temporalUiUrl: "http://127.0.0.1:8233" })',
      '  .then((d) => console.log(`URL ${d.url}`));',
    ].join('\n'));
    const token = 'prod-install-test-token-0123456789';
    const child = spawn(path.join(dir, 'node_modules/.bin/tsx'), [script], { cwd: dir, env: prodEnv({ DASHBOARD_TOKEN: token }), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const m = /URL (\S+)/.exec(output);
          if (m) resolve(m[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${output}`)));
      });
      const auth = { authorization: `Bearer ${token}` };
      const page = await fetch(`${url}/`, { headers: auth });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script[^>]+src="\/assets\/app\.js"/);
      const js = await fetch(`${url}/assets/app.js`);
      assert.equal(js.status, 200);
      assert.equal(await js.text(), readFileSync(path.join(dir, 'dist/dashboard/app.js'), 'utf8'));
    } finally {
      child.kill('SIGTERM');
    }
  });
});
