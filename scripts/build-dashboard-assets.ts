// `npm run build` step: compiles the dashboard page's script into dist/dashboard/, so production serves it as is
// and needs no esbuild (a dev dependency) at run time.
import { mkdir, writeFile } from 'node:fs/promises';
import { compileDashboardScript, PREBUILT_DASHBOARD_DIR, PREBUILT_DASHBOARD_SCRIPT } from '../client/dashboard/compile-script';

async function run(): Promise<void> {
  const js = await compileDashboardScript();
  await mkdir(PREBUILT_DASHBOARD_DIR, { recursive: true });
  await writeFile(PREBUILT_DASHBOARD_SCRIPT, js);
  console.log(`dashboard script: ${PREBUILT_DASHBOARD_SCRIPT} (${(js.length / 1024).toFixed(0)} KiB)`);
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
