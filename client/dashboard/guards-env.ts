// The dashboard's abuse guards from the environment, each variable checked and named when wrong.
import { trustedHopsFromEnv } from '../client-address';
import { rateLimitFromEnv } from '../rate-limit';
import { DEFAULT_AUTH_FAILURE_LIMIT, type DashboardOptions } from './server';

export type DashboardGuards = Pick<DashboardOptions, 'publicUrl' | 'trustProxyHops' | 'authFailureLimit'>;

export function dashboardGuardsFromEnv(env: NodeJS.ProcessEnv): DashboardGuards {
  const publicUrl = env.DASHBOARD_PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(publicUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`DASHBOARD_PUBLIC_URL must be an http(s) URL such as https://ops.example.com, got ${JSON.stringify(publicUrl)}`);
  }
  return {
    ...(publicUrl ? { publicUrl } : {}),
    trustProxyHops: trustedHopsFromEnv(env, 'DASHBOARD_TRUST_PROXY'),
    authFailureLimit: rateLimitFromEnv(env, 'DASHBOARD_AUTH_FAILURE', { limit: DEFAULT_AUTH_FAILURE_LIMIT.limit, windowSeconds: DEFAULT_AUTH_FAILURE_LIMIT.windowMs / 1000 }),
  };
}

/** A hint worth printing at start: behind a TLS proxy without DASHBOARD_PUBLIC_URL the cookie is not Secure. */
export function clientOptionsNote(guards: DashboardGuards): string | null {
  if (guards.trustProxyHops && !guards.publicUrl?.startsWith('https:')) {
    return 'behind a proxy but DASHBOARD_PUBLIC_URL is not https://...: the session cookie is sent without Secure';
  }
  return null;
}
