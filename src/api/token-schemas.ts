import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import { ImmutableField } from '../errors/index.js';
import {
  ALLOWED_NETWORKS_MAX,
  allowedNetworksSchema,
  BULK_DELETE_MAX,
  DESCRIPTION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  ROLL_GRACE_DEFAULT_SECONDS,
  ROLL_GRACE_MAX_SECONDS,
  LISTED_STATUSES,
  tokenDescriptionSchema,
  tokenNameSchema,
} from '../tokens/index.js';
import { tokenSchema } from './token-presenter.js';

/**
 * What JSON Schema cannot say about a name and a description, said in the document. Lengths
 * count characters (code points), as JSON Schema's `maxLength` does.
 */
const nameField = tokenNameSchema.meta({
  maxLength: NAME_MAX_LENGTH,
  description: `Trimmed; 1–${NAME_MAX_LENGTH} printable characters, at least one visible; no control, zero-width or bidirectional-override characters.`,
});
const descriptionField = tokenDescriptionSchema.meta({
  maxLength: DESCRIPTION_MAX_LENGTH,
  description: `Trimmed; up to ${DESCRIPTION_MAX_LENGTH} printable characters; may span lines (CRLF is stored as LF) and contain tabs.`,
});

const allowedIpsField = allowedNetworksSchema.meta({
  maxItems: ALLOWED_NETWORKS_MAX,
  description: `Up to ${ALLOWED_NETWORKS_MAX} IPv4/IPv6 networks in CIDR notation (a bare address is that one address) the token may be exchanged from; empty or absent: anywhere. Stored canonical (host bits cleared, IPv6 compressed), without repeats. A bad entry is 400 invalid_request naming it (field allowed_ips.N).`,
});

/** `POST /api/orgs/{org}/tokens`. */
export const createTokenSchema = z.strictObject({
  name: nameField,
  service: z.string().min(1).max(64).meta({ description: 'A service id from GET /api/services (400 unknown_service otherwise).' }),
  role: z
    .enum(ROLES)
    .optional()
    .meta({ description: "Defaults to the caller's role in the organization; may not exceed it (403 role_exceeds_membership)." }),
  description: descriptionField.optional(),
  scopes: z.array(z.string().max(200)).min(1).max(100).optional().meta({
    description:
      "A non-empty subset of the service's scopes (GET /api/services); all of them when absent. Fixed for the token's life; a scope the service does not declare is 400 invalid_scope, naming it in `scope`.",
  }),
  allowed_ips: allowedIpsField.optional(),
});

/** What a PATCH may change: name, description and the allowed networks; any other field is 400 `immutable_field`. */
const EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'allowed_ips']);
/** Fields of the token object: they exist, but a PATCH cannot set them. */
const TOKEN_FIELDS: ReadonlySet<string> = new Set(Object.keys(tokenSchema.shape));

/** `PATCH /api/orgs/{org}/tokens/{id}`. */
export const updateTokenSchema = z
  .strictObject({ name: nameField.optional(), description: descriptionField.optional(), allowed_ips: allowedIpsField.optional() })
  .refine(
    (change) => change.name !== undefined || change.description !== undefined || change.allowed_ips !== undefined,
    'give a new name, description or allowed_ips',
  )
  .meta({
    minProperties: 1,
    description: 'Only name, description and allowed_ips change (allowed_ips replaces the list); any other field is 400 immutable_field.',
  });

/**
 * 400 `immutable_field` for a PATCH naming any field but name, description and allowed_ips, checked
 * before the schema so the caller learns why rather than "unrecognized key"; `field` says which.
 */
export function refuseImmutableFields(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const field = Object.keys(body).find((name) => !EDITABLE_FIELDS.has(name));
  if (field === undefined) return;
  const shown = JSON.stringify(field).slice(0, 66);
  if (!TOKEN_FIELDS.has(field)) {
    throw new ImmutableField(field.slice(0, 64), `${shown} cannot be changed: only name, description and allowed_ips can.`);
  }
  const hint = field === 'status' || field === 'disabled' ? ' Use POST …/disable or …/enable.' : '';
  throw new ImmutableField(field, `${field} cannot be changed after creation.${hint}`);
}

/** An empty query parameter (`?q=`) means "no filter". */
export const optionalParameter = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** `GET /api/orgs/{org}/tokens` query. An unknown parameter (a typo, `owner[]=`) is refused, not silently ignored. */
export const listTokensQuerySchema = z.strictObject({
  q: optionalParameter(z.string().max(100)).meta({ description: 'Name contains (case-insensitive).' }),
  service: optionalParameter(z.string().max(64)).meta({ description: 'Service id (400 unknown_service for one that does not exist).' }),
  status: optionalParameter(z.enum(LISTED_STATUSES)).meta({
    description:
      'Derived status, or `deleted`: deleted tokens, with who deleted them, when and why (admins and owners only; 403 insufficient_role otherwise).',
  }),
  owner: optionalParameter(z.enum(['me', 'all']))
    .transform((owner) => owner ?? 'me')
    .meta({
      description: '`me` (the default) or `all`: every token of the org (admins and owners only; 403 insufficient_role otherwise).',
    }),
});

/** `POST /api/orgs/{org}/tokens/{id}/roll` and `POST /api/tokens/self/roll`; the body may be left out. */
export const rollTokenSchema = z.strictObject({
  grace_seconds: z
    .int()
    .min(0)
    .max(ROLL_GRACE_MAX_SECONDS)
    .optional()
    .meta({
      description: `How long the replaced secret keeps working, in seconds (default ${ROLL_GRACE_DEFAULT_SECONDS}; 0 ends it at once). A previous secret from an earlier roll ends at once either way.`,
    }),
});

/** `POST /api/orgs/{org}/tokens/delete`. */
export const bulkDeleteSchema = z.strictObject({
  ids: z
    .array(z.uuid())
    .min(1)
    .max(BULK_DELETE_MAX)
    .meta({ description: 'Token ids; unknown or invisible ones are reported in not_found.' }),
});
