// `npm run bench`: runs every benchmark script in turn (each prints its own detailed table), then one
// summary table with every figure the project tracks beside its target.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { printTable } from './table';

const SCRIPTS = ['history.ts', 'decision-latency.ts', 'genesys-budget.ts', 'scale.ts', 'edge.ts', 'deflections.ts', 'drill.ts'];

interface Figure {
  figure: string;
  value: string;
  target: string;
  ok: boolean | null;
}

async function runScript(script: string): Promise<{ figures: Figure[]; code: number }> {
  const figures: Figure[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('::figure:: ')) figures.push(JSON.parse(line.slice(11)) as Figure);
      else console.log(line);
    }
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  return { figures, code };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const all: Figure[] = [];
  for (const script of SCRIPTS.filter((s) => only.length === 0 || only.some((o) => s.startsWith(o)))) {
    console.log(`\n=== bench/${script}`);
    const { figures, code } = await runScript(script);
    if (code !== 0) all.push({ figure: `bench/${script}`, value: `exited ${code}`, target: 'runs', ok: false });
    all.push(...figures);
  }
  printTable('Summary: every tracked figure beside its target', ['figure', 'value', 'target', 'met'], all.map((f) => [f.figure, f.value, f.target, f.ok === null ? '-' : f.ok ? 'yes' : 'NO']));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
