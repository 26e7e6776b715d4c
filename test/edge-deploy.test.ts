// The Worker is deployable: wrangler bundles it and lists its bindings without touching any account, and the routes
// example (in wrangler.toml and edge/README.md), once uncommented, gives wrangler top-level routes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'mocha';
import { unstable_readConfig } from 'wrangler';

const ROOT = path.resolve(__dirname, '..');
const EDGE = path.join(ROOT, 'edge');
const WRANGLER_TOML = path.join(EDGE, 'wrangler.toml');

async function dryRun(config: string): Promise<{ stdout: string; stderr: string }> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'edge-dry-run-'));
  try {
    const result = await promisify(execFile)(
      path.join(ROOT, 'node_modules/.bin/wrangler'),
      ['deploy', '--dry-run', '--config', config, '--outdir', outdir],
      { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', HOME: outdir, FORCE_COLOR: '0' } },
    );
    assert.ok(readdirSync(outdir).some((f) => f.endsWith('.js')), 'a bundled Worker script is written');
    return result;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** wrangler.toml with its commented `# routes = [ ... # ]` block uncommented, as edge/README.md step 3 says. */
function uncommentRoutes(toml: string): { toml: string; block: string } {
  const lines = toml.split('\n');
  const start = lines.findIndex((l) => l.startsWith('# routes = ['));
  const end = lines.findIndex((l, i) => i > start && l === '# ]');
  assert.ok(start >= 0 && end > start, 'wrangler.toml has a commented routes example');
  const block = lines.slice(start, end + 1).map((l) => l.replace(/^# ?/, ''));
  return { toml: [...lines.slice(0, start), ...block, ...lines.slice(end + 1)].join('\n'), block: block.join('\n') };
}

describe('edge: wrangler deploy --dry-run', function () {
  this.timeout(120_000);
  it('bundles the Worker and declares the SURGE_FLAGS KV and static-assets bindings', async () => {
    const { stdout } = await dryRun('edge/wrangler.toml');
    assert.match(stdout, /SURGE_FLAGS/);
    assert.match(stdout, /--dry-run: exiting now/);
  });

  it('the README routes example, uncommented in wrangler.toml, gives top-level routes and no warning', async () => {
    const { toml, block } = uncommentRoutes(readFileSync(WRANGLER_TOML, 'utf8'));
    // The README shows the same example: a drift between the two is what broke deploys before.
    const readme = readFileSync(path.join(EDGE, 'README.md'), 'utf8');
    const example = /```toml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example, 'edge/README.md has a toml routes example');
    assert.equal(example.split('\n').map((l) => l.trim()).join('\n').trim(), block.split('\n').map((l) => l.trim()).join('\n').trim());

    // Same directory as the real file, so `main` and `[assets] directory` resolve the same way.
    const config = path.join(EDGE, `wrangler.routes-test-${process.pid}.toml`);
    writeFileSync(config, toml);
    try {
      const parsed = unstable_readConfig({ config });
      assert.deepEqual(parsed.routes?.map((r: string | { pattern: string }) => (typeof r === 'string' ? r : r.pattern)), [
        'www.example.com/genesys-bootstrap/*', 'www.example.com/support-status.json', 'www.example.com/support*', 'www.example.com/help*',
      ]);
      assert.equal((parsed.assets as Record<string, unknown> | undefined)?.routes, undefined);
      const { stdout, stderr } = await dryRun(config);
      assert.doesNotMatch(stdout + stderr, /Unexpected fields/);
      assert.match(stdout, /--dry-run: exiting now/);
    } finally {
      rmSync(config, { force: true });
    }
  });
});
