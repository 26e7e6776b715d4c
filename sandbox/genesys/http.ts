// Small HTTP helpers: the Genesys error body, JSON replies, bounded body reading and a tiny router.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error answered with the platform's body `{message, code, status}` (plus any extra headers). */
export class GenesysHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad.request') => new GenesysHttpError(400, code, message);
export const notFound = (message: string, code = 'not.found') => new GenesysHttpError(404, code, message);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text).toString(), ...headers });
  res.end(text);
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new GenesysHttpError(413, 'request.entity.too.large', `Request body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; an empty body is `undefined`, invalid JSON a 400 naming the problem. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`The request body is not valid JSON: ${(err as Error).message}`, 'invalid.json');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RouteMatch<H> {
  name: string;
  handler: H;
  params: Record<string, string>;
}

/** Method + path-pattern routing (`/api/v2/flows/:flowId`); the route name is what counters report. */
export class Router<H> {
  private readonly routes: { method: string; name: string; regex: RegExp; keys: string[]; handler: H }[] = [];

  add(method: string, pattern: string, handler: H): this {
    const keys: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, name: `${method} ${pattern}`, regex: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  /** `undefined`: no such path; `'method'`: the path exists with another method. */
  match(method: string, path: string): RouteMatch<H> | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1])));
      return { name: route.name, handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}
