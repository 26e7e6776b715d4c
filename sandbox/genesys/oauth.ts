// POST /oauth/token: the client-credentials grant, answering like the login service (its own error shape).
import type { IncomingMessage } from 'node:http';
import type { GenesysSandboxState } from './state';

export interface OAuthReply {
  status: number;
  body: Record<string, unknown>;
}

function oauthError(status: number, error: string, description: string): OAuthReply {
  return { status, body: { error, description, error_description: description } };
}

export function tokenGrant(state: GenesysSandboxState, req: IncomingMessage, rawBody: string): OAuthReply {
  const form = new URLSearchParams(rawBody);
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `grant_type "${grantType ?? ''}" is not supported here (use client_credentials)`);
  }
  const auth = req.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(auth);
  if (!match) return oauthError(401, 'invalid_client', 'client credentials must be sent with HTTP Basic authentication');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  if (state.clients.get(clientId) === undefined) return oauthError(401, 'invalid_client', 'client not found');
  if (state.clients.get(clientId) !== secret) return oauthError(401, 'invalid_client', 'authentication failed');
  const token = state.issueToken(clientId);
  return { status: 200, body: { access_token: token.token, token_type: 'bearer', expires_in: state.tokenTtlSeconds } };
}
