// The SMTP sandbox's web side: what the mailbox holds, for tests, scenarios and a human with a browser.
//   GET /                    HTML list, newest first
//   GET /messages            JSON, newest last
//   GET /messages/:id        the raw message as received
//   GET /messages/:id/html   the HTML part, sandboxed (no scripts, no remote loads)
//   DELETE /messages         empties the mailbox
//   GET|PUT /outage          {"mode": "none"|"reject"|"refuse"|"hang"}
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { escapeHtml } from '../../activities/alert-templates';
import type { MessageStore } from './message-store';

export const OUTAGE_MODES = ['none', 'reject', 'refuse', 'hang'] as const;
/**
 * `reject`: greet with 421 and hang up; `refuse`: stop listening (connection refused);
 * `hang`: accept the TCP connection and never greet (a stuck server).
 */
export type OutageMode = (typeof OUTAGE_MODES)[number];

export interface OutageControl {
  get(): OutageMode;
  set(mode: OutageMode): Promise<void>;
}

// Locks the pages down to inline styles: message content is attacker-controlled text in general.
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extraHeaders });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value, null, 2));
}

function sendError(res: ServerResponse, status: number, error: string): void {
  sendJson(res, status, { error });
}

class BadRequest extends Error {}

async function readJsonBody(req: IncomingMessage, limitBytes = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new BadRequest(`request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

function renderIndex(store: MessageStore, outage: OutageMode): string {
  const rows = store
    .list()
    .slice()
    .reverse()
    .map((m) => {
      const id = encodeURIComponent(m.id);
      const htmlLink = m.html !== null ? ` · <a href="/messages/${id}/html">html</a>` : '';
      return `<tr><td>${escapeHtml(m.id)}</td><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.envelope.to.join(', '))}</td><td>${escapeHtml(m.subject)}</td><td><a href="/messages/${id}">raw</a>${htmlLink}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>SMTP sandbox</title>
<style>body{font-family:system-ui,sans-serif;margin:16px}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}</style>
</head><body>
<h1>SMTP sandbox</h1>
<p>${store.list().length} message(s), newest first. Outage simulation: <strong>${escapeHtml(outage)}</strong>. JSON: <a href="/messages">/messages</a>.</p>
<table><thead><tr><th>#</th><th>received</th><th>from</th><th>to (envelope)</th><th>subject</th><th></th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">No messages yet.</td></tr>'}
</tbody></table>
</body></html>
`;
}

export function createSmtpSandboxHttpHandler(store: MessageStore, outage: OutageControl): RequestListener {
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const method = req.method ?? 'GET';

    if (path === '/') {
      if (method !== 'GET') return sendError(res, 405, `${method} / is not supported (use GET)`);
      return send(res, 200, 'text/html; charset=utf-8', renderIndex(store, outage.get()), { 'content-security-policy': PAGE_CSP });
    }
    if (path === '/messages') {
      if (method === 'GET') return sendJson(res, 200, store.list());
      if (method === 'DELETE') {
        store.clear();
        res.writeHead(204).end();
        return;
      }
      return sendError(res, 405, `${method} /messages is not supported (use GET or DELETE)`);
    }
    const messageMatch = /^\/messages\/([^/]+)(\/html)?$/.exec(path);
    if (messageMatch) {
      if (method !== 'GET') return sendError(res, 405, `${method} ${path} is not supported (use GET)`);
      const id = decodeURIComponent(messageMatch[1]);
      const message = store.get(id);
      const raw = store.raw(id);
      if (!message || !raw) return sendError(res, 404, `no message with id ${JSON.stringify(id)}`);
      if (!messageMatch[2]) return send(res, 200, 'text/plain; charset=utf-8', raw);
      if (message.html === null) return sendError(res, 404, `message ${JSON.stringify(id)} has no HTML part`);
      // `sandbox` on top of the CSP: the part is shown as the mail client would, with no script and no origin.
      return send(res, 200, 'text/html; charset=utf-8', message.html, { 'content-security-policy': `${PAGE_CSP}; sandbox` });
    }
    if (path === '/outage') {
      if (method === 'GET') return sendJson(res, 200, { mode: outage.get() });
      if (method === 'PUT' || method === 'POST') {
        const body = await readJsonBody(req);
        const mode = (body as { mode?: unknown } | null)?.mode;
        if (typeof mode !== 'string' || !(OUTAGE_MODES as readonly string[]).includes(mode)) {
          return sendError(res, 400, `body.mode must be one of ${OUTAGE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
        }
        await outage.set(mode as OutageMode);
        return sendJson(res, 200, { mode: outage.get() });
      }
      return sendError(res, 405, `${method} /outage is not supported (use GET or PUT)`);
    }
    return sendError(res, 404, `no route for ${method} ${path}`);
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) res.destroy();
      else sendError(res, err instanceof BadRequest ? 400 : 500, message);
    });
  };
}
