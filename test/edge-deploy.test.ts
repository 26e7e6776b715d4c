// The Worker is deployable: wrangler bundles it and lists its bindings without touching any account.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'mocha';

const ROOT = path.resolve(__dirname, '..');

describe('edge: wrangler deploy --dry-run', function () {
  this.timeout(120_000);
  it('bundles the Worker and declares the SURGE_FLAGS KV and static-assets bindings', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'edge-dry-run-'));
    try {
      const { stdout } = await promisify(execFile)(
        path.join(ROOT, 'node_modules/.bin/wrangler'),
        ['deploy', '--dry-run', '--config', 'edge/wrangler.toml', '--outdir', outdir],
        { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', HOME: outdir } },
      );
      assert.match(stdout, /SURGE_FLAGS/);
      assert.match(stdout, /--dry-run: exiting now/);
      assert.ok(readdirSync(outdir).some((f) => f.endsWith('.js')), 'a bundled Worker script is written');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
