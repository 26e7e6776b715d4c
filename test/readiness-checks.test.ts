// `surge check`: the readiness checks through the real SDKs against the Genesys, Cloudflare and SMTP
// sandboxes, run the way the CLI runs them (environment in, one PASS/FAIL line each out, exit code).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../client/cli';
import { runReadinessChecks } from '../client/commands/check';
import { startGenesysSandbox, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, type GenesysSandbox } from '../sandbox/genesys';
import { SANDBOX_CLOUDFLARE, startCloudflareSandbox, type CloudflareSandbox } from '../sandbox/cloudflare';
import { startSmtpSandbox, type SmtpSandbox } from '../sandbox/smtp';
import type { EventConfigFile } from '../client/event-config';
import type { ReadinessResult } from '../workflows/pre-event-check';
import { testEventConfig } from './helpers/event-config';

const FLOW_ACTUATOR = { kind: 'flowVersion', flowId: 'flow-inbound-message', surgeVersion: '2.0', normalVersion: '1.0' } as const;

/** The event file operators write: tier 2 publishes the inbound flow's surge version, tiers 3-4 use KV. */
function eventFile(overrides: Partial<EventConfigFile> = {}): EventConfigFile {
  return {
    eventId: 'black-friday',
    name: 'Black Friday',
    startAt: '2026-11-27T10:00:00Z',
    endAt: '2026-11-27T20:00:00Z',
    queueIds: ['q-sales', 'q-support'],
    dataTable: { datatableId: 'dt-surge-flags' },
    actuators: { 2: [{ kind: 'dataTableFlag' }, FLOW_ACTUATOR] },
    alerts: { recipients: ['ops@example.com'] },
    ...overrides,
  };
}

describe('readiness checks (surge check) against the sandboxes', function () {
  this.timeout(30_000);
  let genesys: GenesysSandbox;
  let cloudflare: CloudflareSandbox;
  let smtp: SmtpSandbox;
  let fallbackPage: Server;
  let fallbackUrl: string;
  let dir: string;

  before(async () => {
    genesys = await startGenesysSandbox({ port: 0 });
    cloudflare = await startCloudflareSandbox({ port: 0 });
    smtp = await startSmtpSandbox({ port: 0, httpPort: 0, onError: () => undefined });
    // The edge in front of the fallback page, as far as this check sees it: a 200 with Cloudflare's cache header.
    fallbackPage = createServer((req, res) => {
      // The site's own page (tier 4 off), the edge's static page (tier 4 on: marked, no-store), or nothing.
      const headers: Record<string, string> = { 'content-type': 'text/html', 'cf-cache-status': 'DYNAMIC' };
      if (req.url === '/support-on') Object.assign(headers, { 'x-surge-mode': 'fallback', 'cache-control': 'no-store' });
      if (req.url === '/genesys-bootstrap/genesys.min.js') headers['x-surge-mode'] = 'normal';
      res.writeHead(req.url === '/dynamic' ? 404 : 200, headers);
      res.end('<h1>Support</h1>');
    });
    await new Promise<void>((resolve) => fallbackPage.listen(0, '127.0.0.1', resolve));
    fallbackUrl = `http://127.0.0.1:${(fallbackPage.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(tmpdir(), 'surge-check-'));
  });
  after(async () => {
    await genesys?.close();
    await cloudflare?.close();
    await smtp?.close();
    await new Promise((resolve) => fallbackPage?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => genesys.state.reset());

  const env = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    GENESYS_CLIENT_ID: SANDBOX_CLIENT_ID,
    GENESYS_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    GENESYS_GATEWAY_URL: genesys.url,
    CLOUDFLARE_API_TOKEN: SANDBOX_CLOUDFLARE.token,
    CLOUDFLARE_ACCOUNT_ID: SANDBOX_CLOUDFLARE.accountId,
    CLOUDFLARE_KV_NAMESPACE_ID: SANDBOX_CLOUDFLARE.namespaceId,
    CLOUDFLARE_BASE_URL: cloudflare.url,
    SMTP_URL: smtp.smtpUrl,
    ALERT_FROM: 'Surge <surge@example.com>',
    ...overrides,
  });
  const failuresOf = (results: ReadinessResult[]) => results.filter((r) => !r.ok);

  /** Runs `surge <args>` in-process with `env`, capturing what it prints. */
  async function surge(args: string[], withEnv: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
    const saved = { env: process.env, log: console.log, error: console.error, exitCode: process.exitCode };
    const out: string[] = [];
    const err: string[] = [];
    process.env = withEnv;
    console.log = (...a: unknown[]) => void out.push(a.join(' '));
    console.error = (...a: unknown[]) => void err.push(a.join(' '));
    try {
      const code = await main(args);
      return { code, out: out.join('\n'), err: err.join('\n') };
    } finally {
      process.env = saved.env;
      console.log = saved.log;
      console.error = saved.error;
      process.exitCode = saved.exitCode;
    }
  }

  async function configFile(name: string, content: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(content));
    return file;
  }

  it('passes every check on the default sandbox, and says what each one proved', async () => {
    const results = await runReadinessChecks({ config: testEventConfig(eventFile()), fallbackPageUrl: `${fallbackUrl}/support` }, env());
    assert.deepEqual(failuresOf(results), []);
    assert.deepEqual(
      results.map((r) => r.check),
      ['Genesys credentials', 'queues', 'flow flow-inbound-message (tier 2)', 'data table dt-surge-flags', 'Cloudflare KV writable', 'fallback page', 'SMTP reachable'],
    );
    const detail = (check: string) => results.find((r) => r.check === check)?.detail ?? '';
    assert.match(detail('flow flow-inbound-message (tier 2)'), /surge 2\.0 and normal 1\.0 exist; live: 1\.0/);
    assert.match(detail('fallback page'), /answered 200, x-surge-mode \(absent\), CF-Cache-Status DYNAMIC: the site's page \(tier 4 is off/);
    assert.match(detail('data table dt-surge-flags'), /row surge-black-friday created \(all tiers off\)/);
    assert.equal(genesys.state.dataTables.get('dt-surge-flags')?.rows.get('surge-black-friday')?.tier4Active, false, 'the pre-event check created the row');
    assert.equal(cloudflare.requests.kvDelete >= 1, true, 'the canary key was deleted again');
  });

  it('fails naming the flow and the version when the config names a version that does not exist (9.9)', async () => {
    const config = testEventConfig(eventFile({ actuators: { 2: [{ ...FLOW_ACTUATOR, surgeVersion: '9.9' }] } }));
    const results = await runReadinessChecks({ config }, env());
    const failures = failuresOf(results);
    assert.deepEqual(failures.map((f) => f.check), ['flow flow-inbound-message (tier 2)']);
    assert.match(failures[0]!.detail, /surge version 9\.9 not found \(versions: 1\.0, 2\.0\)/);
    assert.match(failures[0]!.fix!, /surgeVersion of flow flow-inbound-message/);
  });

  it('fails the KV check naming the missing permission when the token can only read', async () => {
    const results = await runReadinessChecks({ config: testEventConfig(eventFile()) }, env({ CLOUDFLARE_API_TOKEN: SANDBOX_CLOUDFLARE.readOnlyToken }));
    const failures = failuresOf(results);
    assert.deepEqual(failures.map((f) => f.check), ['Cloudflare KV writable']);
    assert.match(failures[0]!.detail, /Cloudflare refused to write KV key "surge_canary_/);
    assert.match(failures[0]!.fix!, /give CLOUDFLARE_API_TOKEN the permission Workers KV Storage:Edit on account sandbox-account/);
  });

  it('names missing queues, a missing data table and bad Genesys credentials with their fixes', async () => {
    const config = testEventConfig(eventFile({ queueIds: ['q-sales', 'q-nope'], dataTable: { datatableId: 'dt-missing' } }));
    const results = await runReadinessChecks({ config }, env());
    const byCheck = new Map(failuresOf(results).map((f) => [f.check, f]));
    assert.deepEqual([...byCheck.keys()], ['queues', 'data table dt-missing']);
    assert.match(byCheck.get('queues')!.detail, /not found: q-nope/);
    assert.match(byCheck.get('data table dt-missing')!.fix!, /dataTable\.datatableId/);

    const badLogin = await runReadinessChecks({ config: testEventConfig(eventFile()) }, env({ GENESYS_CLIENT_SECRET: 'wrong' }));
    const credentials = badLogin.find((r) => r.check === 'Genesys credentials')!;
    assert.equal(credentials.ok, false);
    assert.match(credentials.fix!, /GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET/);
  });

  it('fails SMTP when the relay is down or not configured, and still runs every other check', async () => {
    await smtp.setOutage('reject');
    try {
      const down = await runReadinessChecks({ config: testEventConfig(eventFile()) }, env());
      assert.deepEqual(failuresOf(down).map((f) => f.check), ['SMTP reachable']);
      assert.match(failuresOf(down)[0]!.detail, /421/);
    } finally {
      await smtp.setOutage('none');
    }
    const unset = await runReadinessChecks({ config: testEventConfig(eventFile()) }, env({ SMTP_URL: '' }));
    assert.deepEqual(failuresOf(unset).map((f) => [f.check, f.fix]), [['checkSmtp', 'set SMTP_URL and ALERT_FROM in the environment']]);
  });

  it('judges the fallback page by x-surge-mode, never by CF-Cache-Status (the edge serves it no-store)', async () => {
    const on = await runReadinessChecks({ config: testEventConfig(eventFile()), fallbackPageUrl: `${fallbackUrl}/support-on` }, env());
    assert.deepEqual(failuresOf(on), []);
    assert.match(on.find((r) => r.check === 'fallback page')!.detail, /CF-Cache-Status DYNAMIC: the edge serves the static fallback page/);
    const missing = await runReadinessChecks({ config: testEventConfig(eventFile()), fallbackPageUrl: `${fallbackUrl}/dynamic` }, env());
    assert.equal(failuresOf(missing)[0]?.check, 'fallback page');
    assert.match(failuresOf(missing)[0]!.detail, /answered 404/);
    const bootstrap = await runReadinessChecks({ config: testEventConfig(eventFile()), fallbackPageUrl: `${fallbackUrl}/genesys-bootstrap/genesys.min.js` }, env());
    assert.match(failuresOf(bootstrap)[0]?.fix ?? '', /not a support path of the edge Worker/);
  });

  it('`surge check` prints one PASS/FAIL line per check and exits 1 on a failure, 0 when all pass; --json gives the report', async () => {
    const good = await configFile('good.json', eventFile());
    const ok = await surge(['check', good], env());
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out.split('\n').filter((l) => /^PASS {2}/.test(l)).length, 6);
    assert.match(ok.out, /all 6 checks passed/);

    const broken = await configFile('broken.json', eventFile({ actuators: { 2: [{ ...FLOW_ACTUATOR, normalVersion: '9.9' }] } }));
    const bad = await surge(['check', broken, '--json'], env({ CLOUDFLARE_API_TOKEN: SANDBOX_CLOUDFLARE.readOnlyToken }));
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.out) as { ok: boolean; failures: ReadinessResult[] };
    assert.equal(report.ok, false);
    assert.deepEqual(report.failures.map((f) => f.check), ['flow flow-inbound-message (tier 2)', 'Cloudflare KV writable']);
  });

  it('`surge check` rejects an invalid config with field errors (exit 2) before checking anything', async () => {
    const invalid = await configFile('invalid.json', { ...eventFile(), queueIds: [], pollIntervalSeconds: -1 });
    const before = genesys.state.readCounters();
    const res = await surge(['check', invalid], env());
    assert.equal(res.code, 2);
    assert.match(res.err, /queueIds/);
    assert.match(res.err, /pollIntervalSeconds/);
    assert.deepEqual(genesys.state.readCounters(), before, 'no platform call for an invalid config');
  });
});
