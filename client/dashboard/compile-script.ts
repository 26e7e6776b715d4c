// Compiles the dashboard page's script (public/app.ts) with esbuild. esbuild is a dev dependency: `npm run build`
// writes the result to dist/dashboard/ for production, and a dev checkout compiles on the fly.
import { join } from 'node:path';

export const DASHBOARD_SCRIPT_SOURCE = join(__dirname, 'public', 'app.ts');
/** Where `npm run build` puts the compiled page script; production serves it from here. */
export const PREBUILT_DASHBOARD_DIR = join(__dirname, '..', '..', 'dist', 'dashboard');
export const PREBUILT_DASHBOARD_SCRIPT = join(PREBUILT_DASHBOARD_DIR, 'app.js');

export async function compileDashboardScript(): Promise<Buffer> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [DASHBOARD_SCRIPT_SOURCE],
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
  return Buffer.from(js.contents);
}
