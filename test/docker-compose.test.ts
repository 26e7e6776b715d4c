// The Docker deployment checked as data (no Docker engine runs here): docker-compose.yml, the Dockerfile and
// .dockerignore are parsed and held to the project's contracts (design.md ports, the env vars the worker
// code reads, secrets only from .env). The namespace setup script is run for real against the dev server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import YAML from 'yaml';
import { ensureTemporalCli } from '../scripts/provision-temporal';
import { SURGE_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerEnv } from './helpers/temporal';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

function read(file: string): string {
  const abs = path.join(ROOT, file);
  if (!existsSync(abs)) throw new Error(`${file} is missing`);
  return readFileSync(abs, 'utf8');
}

// design.md, "Local stack defaults": Temporal 7233, Temporal UI 8233. Checked against the file when it is at hand.
const DESIGN_PORTS = { temporal: 7233, ui: 8233 };
const DESIGN_MD = ['design.md', 'docs/design.md', '../shared/design.md'].map((f) => path.resolve(ROOT, f)).find((f) => existsSync(f));

// ------------------------------------------------------------------ compose model

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
  command?: unknown;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

function loadCompose(): Compose {
  const doc = YAML.parse(read('docker-compose.yml')) as Compose | null;
  if (!doc || typeof doc.services !== 'object') throw new Error('docker-compose.yml has no services: mapping');
  return doc;
}

function environment(service: Service): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const eq = entry.indexOf('=');
      env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
    }
  } else {
    for (const [k, v] of Object.entries(service.environment ?? {})) env.set(k, v === null ? '' : String(v));
  }
  return env;
}

function dependsOn(service: Service): Map<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return new Map(deps.map((d) => [d, 'service_started']));
  return new Map(Object.entries(deps).map(([d, v]) => [d, v?.condition ?? 'service_started']));
}

/** A job that runs once and exits: a command and a restart policy that does not bring it back after success. */
const isOneShot = (s: Service) => s.command !== undefined && (s.restart === undefined || s.restart === 'no' || s.restart.startsWith('on-failure'));
const hasHealthcheck = (s: Service) => s.healthcheck?.test !== undefined && s.healthcheck.disable !== true;

/** "[ip:]host:container" → { host, container, ip }. */
function parsePort(port: Service['ports'] extends (infer P)[] | undefined ? P : never): { ip?: string; host: number; container: number } {
  if (typeof port === 'object') return { ip: port.host_ip, host: Number(port.published), container: Number(port.target) };
  const parts = port.split(':');
  const container = Number(parts.pop());
  const host = Number(parts.pop());
  return { ip: parts.pop(), host, container };
}

/** `${NAME}`, `${NAME:?msg}` or `${NAME:-}`: a value taken from .env, with no value written here. */
const INTERPOLATED_NO_DEFAULT = /^\$\{([A-Z][A-Z0-9_]*)(?::?\?[^}]*|:?-)?\}$/;
const SECRET_NAME = /SECRET|PASSWORD|PWD|TOKEN|API_KEY|PRIVATE|SMTP_URL/;

// ------------------------------------------------------------------ env vars the worker code reads

function tsFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return tsFiles(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

/** `process.env.X`, `env.X`, `env['X']` in workers/ and activities/ (the worker process's code). */
function envVarsReadByWorker(): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\])/g;
  for (const file of [...tsFiles('workers'), ...tsFiles('activities')]) {
    for (const m of read(file).matchAll(pattern)) {
      const name = m[1] ?? m[2];
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

// ------------------------------------------------------------------ what the worker process loads

/** Follows the worker's relative imports (type-only ones are erased at run time); returns files and packages. */
function workerImportGraph(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const resolveLocal = (from: string, spec: string) => {
    const base = path.join(path.dirname(from), spec);
    const hit = [base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
    if (!hit) throw new Error(`${from} imports ${spec}, which does not resolve to a file`);
    return hit;
  };
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/gm;
    for (const m of read(file).matchAll(pattern)) {
      if (m[2]) continue;
      const spec = m[3] ?? m[4];
      if (spec.startsWith('.')) visit(resolveLocal(file, spec));
      else if (!spec.startsWith('node:') && !builtinModules.includes(spec.split('/')[0])) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, file);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

// ------------------------------------------------------------------ Dockerfile model

interface Stage {
  name: string | null;
  from: string;
  instructions: { op: string; args: string }[];
}

function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, rest] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [k, v = ''] = rest.split('=');
      args.set(k.trim(), v.trim());
    } else if (upper === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new Error(`Dockerfile: unreadable FROM line: ${line}`);
      const from = m[1].replace(/\$\{?(\w+)\}?/g, (_, name: string) => args.get(name) ?? `<unset ARG ${name}>`);
      stages.push({ name: m[2] ?? null, from, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ op: upper, args: rest });
    }
  }
  return stages;
}

function imageTag(image: string): string | null {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0 ? null : withoutDigest.slice(colon + 1);
}

function assertPinned(image: string, where: string): void {
  const tag = imageTag(image);
  assert.ok(tag !== null || image.includes('@sha256:'), `${where}: image ${image} has no tag (that means latest)`);
  if (tag !== null) {
    assert.notEqual(tag, 'latest', `${where}: image ${image} is not pinned`);
    assert.match(tag, /\d/, `${where}: image ${image} tag names no version`);
  }
}

/** .dockerignore patterns (no negations are used here), matched against a path relative to the context. */
function dockerIgnored(patterns: string[], file: string): boolean {
  const toRegex = (p: string) =>
    new RegExp('^' + p.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*') + '(/.*)?$');
  return patterns.some((p) => toRegex(p).test(file));
}

// ------------------------------------------------------------------ tests

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const { services } = compose;
  const service = (name: string): Service => {
    const s = services[name];
    assert.ok(s, `docker-compose.yml has no service ${name}`);
    return s;
  };

  it('has PostgreSQL, the schema job, Temporal, the namespace job, the UI, the worker, the dashboard and the deflection endpoint', () => {
    assert.deepEqual(Object.keys(services).sort(),
      ['dashboard', 'deflections', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
  });

  for (const [name, entry, port] of [['dashboard', 'client/dashboard/main.ts', 3000], ['deflections', 'client/deflections/main.ts', 3001]] as const) {
    it(`runs ${name} from the worker's image (${entry}) with every variable it reads, on loopback :${port}`, () => {
      const s = service(name);
      assert.deepEqual(s.build, service('worker').build, `${name} is built from the same Dockerfile as the worker`);
      assert.deepEqual(s.command, ['node_modules/.bin/tsx', entry]);
      assert.ok(existsSync(path.join(ROOT, entry)));
      assert.equal(dependsOn(s).get('temporal'), 'service_healthy');
      const given = environment(s);
      const dir = path.dirname(entry);
      const pattern = /\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\])/g;
      const wanted = new Set(tsFiles(dir).flatMap((f) => [...read(f).matchAll(pattern)].map((m) => m[1] ?? m[2])));
      assert.ok(wanted.size > 0, `the scan of ${dir} found the variables it reads`);
      const missing = [...wanted].filter((v) => !given.has(v) && !['NODE_ENV'].includes(v));
      assert.deepEqual(missing, [], `add these to the ${name} service environment and docker/env.example`);
      assert.equal(given.get('TEMPORAL_ADDRESS'), 'temporal:7233');
      assert.deepEqual((s.ports ?? []).map(parsePort), [{ ip: '127.0.0.1', host: port, container: port }]);
    });
  }

  it('pins every image to a version, and builds the worker from the Dockerfile', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.image) assertPinned(s.image, `service ${name}`);
      else assert.ok(s.build, `service ${name} has neither image nor build`);
    }
    assert.equal(service('worker').image, undefined, 'the worker image is built here, not pulled');
    assert.ok(service('worker').build);
  });

  it('starts each service only after what it needs is healthy or has completed', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [target, condition] of dependsOn(s)) {
        const dep = services[target];
        assert.ok(dep, `${name} depends on ${target}, which is not a service`);
        if (hasHealthcheck(dep)) assert.equal(condition, 'service_healthy', `${name} → ${target} (has a healthcheck)`);
        else if (isOneShot(dep)) assert.equal(condition, 'service_completed_successfully', `${name} → ${target} (a one-shot job)`);
        else assert.fail(`${name} depends on ${target}, which has no healthcheck and is not a one-shot job: start order would be a guess`);
      }
    }
    assert.ok(hasHealthcheck(service('postgresql')) && hasHealthcheck(service('temporal')));
    assert.equal(dependsOn(service('temporal')).get('temporal-schema'), 'service_completed_successfully');
    assert.equal(dependsOn(service('worker')).get('temporal'), 'service_healthy');
    assert.equal(dependsOn(service('worker')).get('temporal-namespace'), 'service_completed_successfully', 'search attributes exist before the first event');
  });

  it('gives the worker every environment variable the worker code reads', () => {
    const wanted = envVarsReadByWorker();
    assert.ok(wanted.has('SMTP_URL') && wanted.has('GENESYS_CLIENT_ID'), 'the scan of workers/ and activities/ found the known variables');
    // Read by @temporalio/envconfig rather than by name in our code.
    for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) wanted.set(name, '@temporalio/envconfig');
    const fromDockerfile = new Set(
      parseDockerfile(read('Dockerfile'))
        .at(-1)!
        .instructions.filter((i) => i.op === 'ENV')
        .flatMap((i) => [...i.args.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1])),
    );
    const given = environment(service('worker'));
    const missing = [...wanted].filter(([name]) => !given.has(name) && !fromDockerfile.has(name)).map(([name, file]) => `${name} (read in ${file})`);
    assert.deepEqual(missing, [], 'add these to the worker service environment in docker-compose.yml and to docker/env.example');
    assert.equal(given.get('TEMPORAL_ADDRESS'), 'temporal:7233');
  });

  it('takes every secret from .env and writes none inline; env.example lists every variable, empty where secret', () => {
    const example = new Map(
      read('docker/env.example')
        .split('\n')
        .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of environment(s)) {
        if (SECRET_NAME.test(key)) {
          const m = INTERPOLATED_NO_DEFAULT.exec(value);
          assert.ok(m, `${name}.${key} must come from .env as \${VAR} or \${VAR:?message}, not be written inline or defaulted`);
        }
      }
    }
    const interpolated = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    assert.deepEqual([...interpolated].filter((v) => !example.has(v)), [], 'every ${VAR} in docker-compose.yml is explained in docker/env.example');
    for (const [key, value] of example) {
      if (SECRET_NAME.test(key)) assert.equal(value, '', `docker/env.example must not carry a value for ${key}`);
    }
  });

  it('publishes Temporal and its UI on the ports design.md names, on loopback only', () => {
    if (DESIGN_MD) {
      const m = /Temporal (\d+), Temporal UI (\d+)/.exec(readFileSync(DESIGN_MD, 'utf8'));
      assert.deepEqual(m && { temporal: Number(m[1]), ui: Number(m[2]) }, DESIGN_PORTS, `${DESIGN_MD} still names these ports`);
    }
    const { temporal: temporalPort, ui: uiPort } = DESIGN_PORTS;
    const published = (name: string) => (service(name).ports ?? []).map(parsePort);
    assert.deepEqual(published('temporal'), [{ ip: '127.0.0.1', host: temporalPort, container: 7233 }]);
    assert.deepEqual(published('temporal-ui'), [{ ip: '127.0.0.1', host: uiPort, container: 8080 }]);
    for (const name of ['postgresql', 'worker']) assert.deepEqual(published(name), [], `${name} publishes no port`);
  });

  it('keeps PostgreSQL data in a named volume and mounts only files that exist', () => {
    const mounts = (service('postgresql').volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));
    const data = mounts.find((v) => v.target === '/var/lib/postgresql/data');
    assert.ok(data?.source && compose.volumes && data.source in compose.volumes, 'postgresql data lives in a top-level named volume');
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : (v.source ?? '');
        if (source.startsWith('.')) assert.ok(existsSync(path.join(ROOT, source)), `${name} mounts ${source}, which does not exist`);
      }
    }
    const dynamicConfig = environment(service('temporal')).get('DYNAMIC_CONFIG_FILE_PATH') ?? '';
    const file = path.join(ROOT, 'docker/dynamicconfig', path.basename(dynamicConfig));
    assert.ok(existsSync(file), `DYNAMIC_CONFIG_FILE_PATH ${dynamicConfig} is not in docker/dynamicconfig/`);
    const config = YAML.parse(readFileSync(file, 'utf8')) as Record<string, { value: unknown }[]>;
    assert.equal(config['limit.historyCount.suggestContinueAsNew']?.[0]?.value, 4096);
    for (const [key, values] of Object.entries(config)) assert.ok(Array.isArray(values) && values.every((v) => 'value' in v), `dynamic config ${key}: a list of { value }`);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const stages = parseDockerfile(read('Dockerfile'));
  const ignore = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('builds in named stages on pinned Node 20 images', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    for (const s of stages) {
      assert.ok(s.name, `stage FROM ${s.from} is named`);
      if (!stages.some((o) => o.name === s.from)) {
        assertPinned(s.from, `stage ${s.name}`);
        assert.match(s.from, /^node:20[.-]/, `stage ${s.name} runs Node 20`);
      }
    }
  });

  it('bundles the workflows at build time and runs the worker as a non-root user with production dependencies only', () => {
    const runs = (s: Stage) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.ok(stages.some((s) => runs(s).some((r) => /npm ci\b/.test(r) && !/--omit=dev/.test(r)) && runs(s).some((r) => r.includes('scripts/build-workflow-bundle.ts'))), 'a stage runs npm ci and builds the bundle');
    const final = stages.at(-1)!;
    const user = final.instructions.filter((i) => i.op === 'USER').at(-1)?.args;
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `the final stage switches to a non-root USER (got ${user ?? 'none'})`);
    const copies = final.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    const fromStage = (dest: string) => copies.map((c) => /--from=(\S+)\s+\S+\s+(\S+)/.exec(c)).find((m) => m?.[2].replace(/^\.\//, '') === dest)?.[1];
    const modulesStage = stages.find((s) => s.name === fromStage('node_modules'));
    assert.ok(modulesStage && runs(modulesStage).some((r) => /npm ci\b.*--omit=dev/.test(r)), 'node_modules come from an `npm ci --omit=dev` stage');
    assert.ok(fromStage('dist'), 'the prebuilt bundle (dist/) is copied from the build stage');
    assert.ok(runs(final).every((r) => !/npm (ci|install)/.test(r)), 'the final stage installs nothing itself');
    const cmd = final.instructions.find((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT')?.args ?? '';
    assert.match(cmd, /workers\/worker\.(ts|js)/);
  });

  it('ships every file the worker, the dashboard and the deflection endpoint load, and they load only production dependencies', () => {
    const final = stages.at(-1)!;
    const cmd = final.instructions.find((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT')?.args ?? '';
    const entry = /(workers\/[\w-]+\.ts)/.exec(cmd)?.[1];
    assert.ok(entry, `the final stage runs a workers/*.ts entry (${cmd})`);
    const copied = final.instructions
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .map((src) => src.replace(/^\.\//, '').replace(/\/$/, ''));
    const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
    for (const main of [entry, 'client/dashboard/main.ts', 'client/deflections/main.ts', 'client/cli.ts']) {
      const { files, packages } = workerImportGraph(main);
      const notShipped = [...files].filter((f) => !copied.some((c) => f === c || f.startsWith(`${c}/`)));
      assert.deepEqual(notShipped, [], `${main} imports these, but the final stage does not COPY them`);
      const devOnly = [...packages].filter(([name]) => !(name in (pkg.dependencies ?? {}))).map(([name, file]) => `${name} (imported by ${file})`);
      assert.deepEqual(devOnly, [], `${main}: the final stage installs production dependencies only`);
      if (main === entry) assert.ok(packages.has('@temporalio/worker') && packages.has('nodemailer'), 'the import scan reached the activities');
    }
    const runs = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args));
    assert.ok(runs.some((r) => r.includes('scripts/build-dashboard-assets.ts')), "the dashboard's page script is built into dist/ at build time");
    assert.ok(final.instructions.some((i) => i.op === 'ENV' && /NODE_ENV=production/.test(i.args)), 'production serves the prebuilt dashboard script');
  });

  it('copies only sources that exist and that .dockerignore lets through', () => {
    for (const s of stages) {
      for (const c of s.instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
        const sources = c.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1);
        for (const src of sources) {
          assert.ok(existsSync(path.join(ROOT, src)), `stage ${s.name}: COPY ${src}: no such file in the build context`);
          assert.ok(!dockerIgnored(ignore, src.replace(/^\.\//, '')), `stage ${s.name}: COPY ${src} is excluded by .dockerignore`);
        }
      }
    }
  });

  it('.dockerignore keeps dependencies, local state, git and secrets out of the build context', () => {
    for (const p of ['node_modules', '.tools', '.temporal', '.git', '.env', 'dist']) assert.ok(dockerIgnored(ignore, p), `.dockerignore excludes ${p}`);
    assert.ok(dockerIgnored(ignore, '.env.production'));
    assert.ok(!dockerIgnored(ignore, 'package-lock.json') && !dockerIgnored(ignore, 'workflows/surge-event.ts'));
  });
});

describe('docker/ setup scripts', function () {
  this.timeout(60_000);
  let env: TestWorkflowEnvironment;
  let cliDir: string;

  before(async () => {
    env = await devServerEnv();
    cliDir = path.dirname(await ensureTemporalCli());
  });
  after(async () => env?.teardown());

  it('are valid POSIX sh', async () => {
    const scripts = readdirSync(path.join(ROOT, 'docker')).filter((f) => f.endsWith('.sh'));
    assert.ok(scripts.length >= 2);
    for (const script of scripts) await run('sh', ['-n', path.join(ROOT, 'docker', script)]);
  });

  it('setup-namespace.sh creates the namespace and registers the search attributes, and a rerun changes nothing', async () => {
    const namespace = `surge-compose-${Date.now()}`;
    const { address } = env;
    const setup = () =>
      run('sh', [path.join(ROOT, 'docker/setup-namespace.sh')], {
        env: { PATH: `${cliDir}:${process.env.PATH}`, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, SETUP_SLEEP_SECONDS: '1' },
      });
    const first = await setup();
    assert.match(first.stdout, new RegExp(`namespace ${namespace} created`));
    const second = await setup();
    assert.match(second.stdout, new RegExp(`namespace ${namespace} exists`));
    assert.doesNotMatch(second.stdout, /registered/, 'a rerun registers nothing again');

    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace });
    const expected = Object.fromEntries(SURGE_SEARCH_ATTRIBUTES.map((k) => [k.name, k.type === 'INT' ? 3 : 2 /* IndexedValueType INT, KEYWORD */]));
    const actual = Object.fromEntries(Object.entries(customAttributes ?? {}).filter(([name]) => name in expected));
    assert.deepEqual(actual, expected);
  });

  it('setup-namespace.sh fails with a message naming the address when Temporal never answers', async () => {
    await assert.rejects(
      run('sh', [path.join(ROOT, 'docker/setup-namespace.sh')], {
        env: { PATH: `${cliDir}:${process.env.PATH}`, TEMPORAL_ADDRESS: '127.0.0.1:1', SETUP_ATTEMPTS: '1', SETUP_SLEEP_SECONDS: '0' },
      }),
      (err: { code?: number; stderr?: string }) => err.code === 1 && /gave up waiting for Temporal at 127\.0\.0\.1:1/.test(err.stderr ?? ''),
    );
  });
});
