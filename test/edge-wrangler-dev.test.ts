// The Worker under `wrangler dev --local`, flipped with `wrangler kv key put --local`, as an operator would.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FAKE_BOOTSTRAP_PATH, startMessengerSandbox, type MessengerSandbox } from '../sandbox/messenger/server';

const WRANGLER = join(__dirname, '..', 'node_modules', '.bin', 'wrangler');
const CONFIG = join(__dirname, '..', 'edge', 'wrangler.toml');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until `check` returns a value, or fails with what was last seen. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last error: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('edge under wrangler dev --local', function () {
  this.timeout(120_000);
  let messenger: MessengerSandbox;
  let dev: ChildProcess | undefined;
  let persistTo: string;
  let output = '';
  let url: string;

  before(async () => {
    messenger = await startMessengerSandbox();
    persistTo = mkdtempSync(join(tmpdir(), 'edge-wrangler-dev-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dev = spawn(WRANGLER, ['dev', '--config', CONFIG, '--ip', '127.0.0.1', '--port', String(port), '--local',
      '--persist-to', persistTo, '--var', `MESSENGER_UPSTREAM:${messenger.url}`, '--show-interactive-dev-session=false'],
    { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    dev.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    dev.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    await eventually('wrangler dev to answer', async () => {
      if (dev?.exitCode !== null) throw new Error(`wrangler dev exited: ${output}`);
      const res = await fetch(url + FAKE_BOOTSTRAP_PATH);
      await res.body?.cancel();
      return res.status === 200 ? true : undefined;
    }, 90_000);
  });

  after(async () => {
    if (dev?.pid && dev.exitCode === null) {
      const exited = new Promise((resolve) => dev?.once('exit', resolve));
      process.kill(-dev.pid, 'SIGTERM'); // its own process group: wrangler and the workerd it started
      await exited;
    }
    await messenger?.close();
    if (persistTo) rmSync(persistTo, { recursive: true, force: true });
  });

  it('serves the real Messenger, then the stub once the flag is put with wrangler kv key put --local', async () => {
    const normal = await fetch(url + FAKE_BOOTSTRAP_PATH);
    assert.equal(normal.headers.get('x-surge-mode'), 'normal');
    assert.match(await normal.text(), /Fake Genesys Messenger bootstrap/);

    await promisify(execFile)(WRANGLER, ['kv', 'key', 'put', '--config', CONFIG, '--binding', 'SURGE_FLAGS', '--local',
      '--persist-to', persistTo, 'chat_surge_active', 'true'], { env: ENV });

    const stub = await eventually('the stub', async () => {
      const res = await fetch(url + FAKE_BOOTSTRAP_PATH);
      const body = await res.text();
      return res.headers.get('x-surge-mode') === 'stub' ? body : undefined;
    }, 70_000);
    assert.match(stub, /atCapacity/);
  });
});
