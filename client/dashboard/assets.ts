// The page's files, loaded once at startup: HTML/CSS/SVG as they are, the script compiled from TypeScript
// by esbuild (so the page is type-checked with the rest of the project and no build step is needed).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const PUBLIC_DIR = join(__dirname, 'public');

const STATIC_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(STATIC_FILES)) {
    assets.set(name, { body: await readFile(join(PUBLIC_DIR, name)), contentType });
  }
  const result = await build({
    entryPoints: [join(PUBLIC_DIR, 'app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0];
  if (!js) throw new Error('esbuild produced no output for client/dashboard/public/app.ts');
  assets.set('app.js', { body: Buffer.from(js.contents), contentType: 'text/javascript; charset=utf-8' });
  return assets;
}
