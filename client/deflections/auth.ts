// How a Genesys Web Services Data Action proves who it is: a static header secret configured on the
// integration (X-Surge-Deflection-Secret), or HTTP basic auth from the integration's credentials.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SECRET_HEADER = 'x-surge-deflection-secret';

export interface DeflectionAuthOptions {
  /** Accepted in the X-Surge-Deflection-Secret header. */
  secret?: string;
  /** Accepted as `Authorization: Basic ...`. */
  basic?: { username: string; password: string };
}

// Hashing first makes the comparison constant-time even when the lengths differ.
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A request check; throws at construction when no credential is configured (an open endpoint is a mistake). */
export function createDeflectionAuth(options: DeflectionAuthOptions): (req: IncomingMessage) => boolean {
  const { secret, basic } = options;
  if (!secret && !basic) throw new Error('the deflection endpoint needs DEFLECTION_SHARED_SECRET or DEFLECTION_BASIC_USER/DEFLECTION_BASIC_PASSWORD');
  if (secret !== undefined && secret.length < 16) throw new Error('DEFLECTION_SHARED_SECRET must be at least 16 characters');
  return (req) => {
    const header = req.headers[SECRET_HEADER];
    if (secret && typeof header === 'string' && sameSecret(header, secret)) return true;
    if (basic) {
      const given = basicCredentials(req.headers.authorization);
      // Both compared every time, so a wrong username takes as long as a wrong password.
      if (given && sameSecret(given.username, basic.username) && sameSecret(given.password, basic.password)) return true;
    }
    return false;
  };
}
