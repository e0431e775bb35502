import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import {
  aboveOwnerRole,
  DESCRIPTION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  networksOf,
  TOKEN_CAP,
  LISTED_STATUSES,
  tokenStatus,
  type TokenView,
} from '../tokens/index.js';

/** A date as the API writes it: ISO 8601 in UTC. */
const instant = z.iso.datetime();

/**
 * The token object of the management API, and the only thing about a token that leaves the
 * server: no digest, no organization internals, never the secret (the create answer adds that
 * once, beside this object).
 */
export const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string().meta({ maxLength: NAME_MAX_LENGTH }),
  description: z.string().meta({ maxLength: DESCRIPTION_MAX_LENGTH }),
  service: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.string()),
  prefix: z.string().meta({ description: 'The first 10 characters, for recognising a token.', examples: ['tbp_Ab12Cd'] }),
  status: z.enum(LISTED_STATUSES).meta({ description: '`deleted` only in the list of deleted tokens (status=deleted).' }),
  created_at: instant,
  expires_at: instant.meta({ description: 'created_at + 730 days; fixed.' }),
  last_used_at: instant.nullable(),
  last_used_ip: z.string().nullable(),
  owner: z.object({ id: z.uuid(), email: z.email() }),
  allowed_ips: z
    .array(z.string())
    .meta({ description: 'Networks (canonical CIDRs) the token may be exchanged from; empty: anywhere.', examples: [['203.0.113.0/24']] }),
  rolled_at: instant.nullable().meta({ description: 'When the secret was last rolled; null if never.' }),
  previous_secret: z
    .object({
      prefix: z.string().meta({ description: 'The first 10 characters of the secret the last roll replaced.' }),
      expires_at: instant.meta({ description: 'When it stops working: the end of the grace period.' }),
    })
    .nullable()
    .meta({ description: 'The replaced secret while it still works after a roll; null otherwise.' }),
  disabled: z
    .object({
      at: instant.nullable().meta({ description: 'When; null for tokens disabled before this was kept.' }),
      by: z.object({ id: z.uuid(), email: z.email() }).nullable().meta({
        description:
          'Who; null when not known. Someone other than the owner means an admin or owner disabled it, and only an admin or owner can enable it again.',
      }),
    })
    .nullable()
    .meta({ description: 'While the token is disabled: when and by whom; null otherwise.' }),
  suspended: z
    .object({
      reason: z.literal('above_owner_role'),
      owner_role: z.enum(ROLES).nullable().meta({ description: "The owner's role in the organization now; null: no longer a member." }),
    })
    .nullable()
    .meta({
      description:
        "Set while the exchange refuses the token whatever its status says: its role is above what its owner now holds in the organization (the owner's role was lowered after it was created). Giving the role back lifts it; JWTs issued before the role was lowered stay revoked. null otherwise, and on expired and deleted tokens.",
    }),
  deletion: z
    .object({
      at: instant,
      by: z
        .object({ id: z.uuid(), email: z.email() })
        .nullable()
        .meta({ description: 'Who deleted it; null for a leak report, or a person no longer known.' }),
      reason: z.string().nullable().meta({ description: 'Why: `deleted`, `leaked`, …; null for tokens deleted before reasons were kept.' }),
    })
    .nullable()
    .meta({ description: 'Only on deleted tokens (status=deleted, for admins and owners); null otherwise.' }),
});

export type PresentedToken = z.infer<typeof tokenSchema>;

/** One token: the answer to reading, changing, disabling or enabling it. */
export const tokenEnvelopeSchema = z.object({ token: tokenSchema });

/** The answer to rolling a token: the same token, and its new secret this once. */
export const rolledTokenSchema = z.object({
  token: tokenSchema,
  secret: z
    .string()
    .regex(/^tbp_[0-9A-Za-z]{38}$/)
    .meta({ description: 'The new platform token. Returned here once, never again.' }),
});

/** The answer to creating a token: the token, and its secret this once. */
export const createdTokenSchema = z.object({
  token: tokenSchema,
  secret: z
    .string()
    .regex(/^tbp_[0-9A-Za-z]{38}$/)
    .meta({ description: 'The platform token. Returned here once, never again.' }),
});

/** A list of tokens, with how many count against the cap. */
export const tokenListSchema = z.object({
  tokens: z.array(tokenSchema),
  count: z.int().min(0).meta({ description: "The caller's live tokens across organizations: what the cap counts." }),
  limit: z.literal(TOKEN_CAP),
});

/** A bulk delete: which ids were deleted and which were not found (unknown, gone, or not visible). */
export const bulkDeleteResultSchema = z.object({ deleted: z.array(z.uuid()), not_found: z.array(z.string()) });

export function presentToken(token: TokenView, now = new Date()): PresentedToken {
  const status = token.deletedAt ? 'deleted' : tokenStatus(token, now);
  return {
    id: token.id,
    name: token.name,
    description: token.description,
    service: token.serviceId,
    role: token.role,
    scopes: token.scopes.split(' ').filter(Boolean),
    prefix: token.prefix,
    status,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    last_used_ip: token.lastUsedIp,
    owner: { id: token.userId, email: token.ownerEmail },
    allowed_ips: networksOf(token.allowedIps),
    rolled_at: token.rolledAt?.toISOString() ?? null,
    previous_secret: previousSecret(token, now),
    disabled: disablingOf(token),
    suspended: suspensionOf(token, status),
    deletion: deletionOf(token),
  };
}

/** Only a token that could otherwise exchange (active or disabled) is suspended. */
function suspensionOf(token: TokenView, status: PresentedToken['status']): PresentedToken['suspended'] {
  if (status === 'deleted' || status === 'expired' || !aboveOwnerRole(token)) return null;
  return { reason: 'above_owner_role', owner_role: token.ownerRole };
}

function disablingOf(token: TokenView): PresentedToken['disabled'] {
  if (token.status !== 'disabled') return null;
  const by = token.disabledByUserId && token.disabledByEmail ? { id: token.disabledByUserId, email: token.disabledByEmail } : null;
  return { at: token.disabledAt?.toISOString() ?? null, by };
}

function deletionOf(token: TokenView): PresentedToken['deletion'] {
  if (!token.deletedAt) return null;
  const by = token.deletedByUserId && token.deletedByEmail ? { id: token.deletedByUserId, email: token.deletedByEmail } : null;
  return { at: token.deletedAt.toISOString(), by, reason: token.deletionReason };
}

function previousSecret(token: TokenView, now: Date): PresentedToken['previous_secret'] {
  const until = token.previousValidUntil;
  if (token.previousPrefix === null || until === null || until.getTime() <= now.getTime()) return null;
  return { prefix: token.previousPrefix, expires_at: until.toISOString() };
}

export function presentTokenList(tokens: readonly TokenView[], count: number, now = new Date()): z.infer<typeof tokenListSchema> {
  return { tokens: tokens.map((token) => presentToken(token, now)), count, limit: TOKEN_CAP };
}

export function presentDeletion({ deleted, notFound }: { deleted: string[]; notFound: string[] }): z.infer<typeof bulkDeleteResultSchema> {
  return { deleted, not_found: notFound };
}
