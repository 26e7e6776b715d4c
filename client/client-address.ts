// Who the client is, for rate limiting. X-Forwarded-For is written by whoever sends the request, so it
// names the client only when a proxy we run appends to it: trusted only when configured
// (`*_TRUST_PROXY=<hops>`), and then read from the right, where our own proxies wrote.
import type { IncomingMessage } from 'node:http';

/**
 * `trustedHops` 0 (default): the socket's peer. N: the address N entries from the right of
 * X-Forwarded-For (1 = the one our single reverse proxy appended), or the peer when the header is shorter.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return hops.length >= trustedHops ? hops[hops.length - trustedHops]! : peer;
}

/** `false`/`0`/unset: trust no proxy; `true`: one hop; or a number of hops. */
export function trustedHopsFromEnv(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === 'no') return 0;
  if (raw === 'true' || raw === 'yes') return 1;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new Error(`${name} must be false, true or a number of proxy hops (0-10), got ${JSON.stringify(env[name])}`);
  return hops;
}
