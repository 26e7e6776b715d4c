// The demo store's origin for the local stack. The edge Worker passes non-edge paths here (ORIGIN_OVERRIDE),
// so the page, its bootstrap and the support pages share one origin as they would in production.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface StorefrontSandbox {
  url: string;
  close(): Promise<void>;
}

const SUPPORT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Support centre</title></head><body><h1>Support centre</h1><p>The normal support pages (origin).</p></body></html>`;

export async function startStorefront(options: { port?: number } = {}): Promise<StorefrontSandbox> {
  const page = readFileSync(join(__dirname, 'index.html'));
  const snippet = readFileSync(join(__dirname, '..', '..', 'edge', 'snippet', 'live-conversation.js'));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://store').pathname;
    if (path === '/' || path === '/store') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (path === '/surge-live-conversation.js') {
      res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8' }).end(snippet);
    } else if (/^\/(support|help)(\/|$)/.test(path)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-origin': 'storefront' }).end(SUPPORT_PAGE);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
