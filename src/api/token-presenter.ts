import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import { TOKEN_STATUSES, tokenStatus, type TokenView } from '../tokens/index.js';

/**
 * The token object of SPEC "Management API" as a schema: what every channel (the JSON API,
 * the MCP tools) sends about a token, and nothing more.
 */
export const presentedTokenSchema = z.object({
  id: z.string().describe('The token id: what the other tools take as token_id.'),
  name: z.string(),
  description: z.string(),
  service: z.string().describe('The service the token is bound to.'),
  role: z.enum(ROLES),
  scopes: z.array(z.string()),
  prefix: z.string().describe('The first 10 characters, for recognising a token. Never the whole secret.'),
  status: z.enum(TOKEN_STATUSES),
  created_at: z.string(),
  expires_at: z.string().describe('created_at + 730 days; fixed.'),
  last_used_at: z.string().nullable(),
  last_used_ip: z.string().nullable(),
  owner: z.object({ id: z.string(), email: z.string() }),
});

export type PresentedToken = z.infer<typeof presentedTokenSchema>;

/**
 * The only thing about a token that leaves the server: no digest, no organization internals,
 * never the secret (the create route adds that once, beside this object). Dates are ISO 8601
 * in UTC.
 */
export function presentToken(token: TokenView, now = new Date()): PresentedToken {
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
