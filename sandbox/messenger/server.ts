// A local stand-in for the Genesys apps host (apps.<region>): serves a fake /genesys-bootstrap/genesys.min.js.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const FAKE_BOOTSTRAP_PATH = '/genesys-bootstrap/genesys.min.js';

export interface MessengerSandbox {
  url: string;
  /** Paths requested so far, oldest first (tests count upstream hits with it). */
  requests: string[];
  /** Answer every request with this status from now on (null: behave normally). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startMessengerSandbox(options: { port?: number; host?: string } = {}): Promise<MessengerSandbox> {
  const script = readFileSync(join(__dirname, 'genesys.min.js'));
  const etag = `"${createHash('sha1').update(script).digest('hex').slice(0, 16)}"`;
  const requests: string[] = [];
  let failure: number | null = null;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    requests.push(path);
    if (failure !== null) {
      res.writeHead(failure, { 'content-type': 'text/plain' }).end(`sandbox messenger failing with ${failure}\n`);
    } else if (path === FAKE_BOOTSTRAP_PATH && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
    } else if (path === FAKE_BOOTSTRAP_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', etag });
      res.end(req.method === 'HEAD' ? undefined : script);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such messenger file: ${path}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    requests,
    failWith(status) {
      failure = status;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

if (require.main === module) {
  startMessengerSandbox({ port: Number(process.env.MESSENGER_SANDBOX_PORT ?? 8902) })
    .then((m) => console.log(`fake Genesys apps host on ${m.url}${FAKE_BOOTSTRAP_PATH}`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
