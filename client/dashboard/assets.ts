// The page's files, loaded once at startup: HTML/CSS/SVG as they are, the script compiled from TypeScript.
// Production (NODE_ENV=production) serves the script `npm run build` wrote to dist/dashboard/ and never needs esbuild
// (a dev dependency). A dev checkout compiles it on the fly, so edits to public/app.ts show on restart.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileDashboardScript, PREBUILT_DASHBOARD_SCRIPT } from './compile-script';

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

export async function loadAssets(env: NodeJS.ProcessEnv = process.env): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(STATIC_FILES)) {
    assets.set(name, { body: await readFile(join(PUBLIC_DIR, name)), contentType });
  }
  const script = env.NODE_ENV === 'production' ? await readPrebuiltScript() : await compileDashboardScript();
  assets.set('app.js', { body: script, contentType: 'text/javascript; charset=utf-8' });
  return assets;
}

async function readPrebuiltScript(): Promise<Buffer> {
  try {
    return await readFile(PREBUILT_DASHBOARD_SCRIPT);
  } catch (err) {
    throw new Error(`the dashboard's script is not built (${PREBUILT_DASHBOARD_SCRIPT}: ${(err as NodeJS.ErrnoException).code ?? String(err)}): run \`npm run build\` before starting in production`);
  }
}
