import { tokenStatus, type TokenView } from '../tokens/index.js';

/**
 * The token object of the management API, and the only thing about a token that leaves
 * the server: no digest, no organization internals, never the secret (the create route adds
 * that once, beside this object). Dates are ISO 8601 in UTC.
 */
export function presentToken(token: TokenView, now = new Date()) {
  return {
    id: token.id,
    name: token.name,
    description: token.description,
    service: token.serviceId,
    role: token.role,
    scopes: token.scopes.split(' ').filter(Boolean),
    prefix: token.prefix,
    status: tokenStatus(token, now),
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    last_used_ip: token.lastUsedIp,
    owner: { id: token.userId, email: token.ownerEmail },
  };
}

export type PresentedToken = ReturnType<typeof presentToken>;
