// The codec server (Temporal's remote codec protocol): POST /encode and POST /decode with
// {"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]} (a Payload in proto3 JSON), answering the same shape.
// The Temporal Web UI (`--ui-codec-endpoint`, or its "Codec Server" setting) and the CLI (`--codec-endpoint`) call
// it to show decrypted payloads to people allowed to see them; the keys never leave this process.
//
// Auth, one shared token (CODEC_SERVER_TOKEN), accepted two ways:
//  - `Authorization: Bearer <token>`: the CLI (`--codec-auth "Bearer <token>"`) and scripts;
//  - the token as the endpoint's first path segment (`http://host:port/<token>`, so the UI posts to
//    `/<token>/decode`): the Web UI cannot attach a static header, and its codec endpoint is shown to everyone
//    who can open the UI, so this protects exactly as much as the UI's own sign-in does. Put the UI behind SSO.
// CORS answers only the configured UI origins (CODEC_SERVER_CORS_ORIGINS).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  /** Browser origins allowed to call (the Temporal UI's), e.g. http://127.0.0.1:8233. */
  corsOrigins: string[];
  port?: number;
  host?: string;
  /** Request bodies above this are refused (413). */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

export interface RunningCodecServer {
  url: string;
  /** What to give the Temporal UI: the URL with the token as its first path segment. */
  uiEndpoint: string;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function fromJson(p: JsonPayload, where: string): Payload {
  if (typeof p !== 'object' || p === null) throw new Error(`${where}: must be an object`);
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) {
    if (typeof v !== 'string' || !BASE64.test(v)) throw new Error(`${where}.metadata.${k}: must be base64`);
    metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  }
  if (p.data !== undefined && (typeof p.data !== 'string' || !BASE64.test(p.data))) throw new Error(`${where}.data: must be base64`);
  return { metadata, data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')) };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) if (v) metadata[k] = Buffer.from(v).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}

const safeDecode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed %-escape: compared as is, so it simply does not match
  }
};
const digest = (s: string) => createHash('sha256').update(s).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  if (options.token.length < 16) throw new Error('CODEC_SERVER_TOKEN: at least 16 characters (anyone holding it can decrypt every payload)');
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const origins = new Set(options.corsOrigins.map((o) => o.replace(/\/+$/, '')));
  const log = options.log ?? (() => undefined);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`codec server: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });

  function cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type, authorization, x-namespace');
      res.setHeader('access-control-max-age', '600');
      res.setHeader('vary', 'origin');
    }
  }

  /** `/decode` with a bearer token, or `/<token>/decode`; null when neither authenticates. */
  function authorizedAction(req: IncomingMessage, pathname: string): string | null {
    const segments = pathname.split('/').filter(Boolean);
    if (segments.length === 2 && sameSecret(safeDecode(segments[0]), options.token)) return segments[1];
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (segments.length === 1 && bearer && sameSecret(bearer, options.token)) return segments[0];
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    cors(req, res);
    // Preflight carries no credentials by design (the browser sends none): answer it before auth.
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const pathname = new URL(req.url ?? '/', 'http://codec').pathname;
    const action = authorizedAction(req, pathname);
    if (action === null) return send(res, 401, { error: 'unauthorized: send Authorization: Bearer <CODEC_SERVER_TOKEN>' });
    if (action !== 'encode' && action !== 'decode') return send(res, 404, { error: 'POST /encode or /decode' });
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) return send(res, 413, { error: `body larger than ${maxBody} bytes` });
      chunks.push(chunk);
    }
    let payloads: Payload[];
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: unknown };
      if (!Array.isArray(body.payloads)) throw new Error('payloads: must be an array');
      payloads = body.payloads.map((p, i) => fromJson(p as JsonPayload, `payloads[${i}]`));
    } catch (err) {
      return send(res, 400, { error: err instanceof SyntaxError ? 'body: not JSON' : (err as Error).message });
    }
    let out: Payload[];
    try {
      out = action === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (err) {
      // An unknown or removed key: say which, so the reader knows whether the data was erased.
      return send(res, 422, { error: (err as Error).message });
    }
    send(res, 200, { payloads: out.map(toJson) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    uiEndpoint: `${url}/${encodeURIComponent(options.token)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
