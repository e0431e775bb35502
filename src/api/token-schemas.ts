import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import { ImmutableField } from '../errors/index.js';
import { BULK_DELETE_MAX, TOKEN_STATUSES, tokenDescriptionSchema, tokenNameSchema } from '../tokens/index.js';

/** `POST /api/orgs/{org}/tokens`. Scopes are not chosen: a token gets all its service's scopes. */
export const createTokenSchema = z.strictObject({
  name: tokenNameSchema,
  service: z.string().min(1).max(64),
  role: z.enum(ROLES).optional(),
  description: tokenDescriptionSchema.optional(),
});

/** What a PATCH may change: name and description; any other field is 400 `immutable_field`. */
const EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'description']);
/** Fields of the token object, which exist but are fixed at creation. */
const TOKEN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'service',
  'role',
  'scopes',
  'prefix',
  'status',
  'created_at',
  'expires_at',
  'last_used_at',
  'last_used_ip',
  'owner',
]);

/** `PATCH /api/orgs/{org}/tokens/{id}`. */
export const updateTokenSchema = z
  .strictObject({ name: tokenNameSchema.optional(), description: tokenDescriptionSchema.optional() })
  .refine((change) => change.name !== undefined || change.description !== undefined, 'give a new name or description');

/**
 * 400 `immutable_field` for a PATCH naming any field but name and description, checked
 * before the schema so the caller learns why rather than "unrecognized key"; `field` says which.
 */
export function refuseImmutableFields(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const field = Object.keys(body).find((name) => !EDITABLE_FIELDS.has(name));
  if (field === undefined) return;
  const shown = JSON.stringify(field).slice(0, 66);
  if (!TOKEN_FIELDS.has(field)) {
    throw new ImmutableField(field.slice(0, 64), `${shown} cannot be changed: only name and description can.`);
  }
  const hint = field === 'status' ? ' Use POST …/disable or …/enable.' : '';
  throw new ImmutableField(field, `${field} cannot be changed after creation.${hint}`);
}

/** An empty query parameter (`?q=`) means "no filter". */
export const optionalParameter = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** `GET /api/orgs/{org}/tokens` query. An unknown parameter (a typo, `owner[]=`) is refused, not silently ignored. */
export const listTokensQuerySchema = z.strictObject({
  q: optionalParameter(z.string().max(100)),
  service: optionalParameter(z.string().max(64)),
  status: optionalParameter(z.enum(TOKEN_STATUSES)),
  owner: optionalParameter(z.enum(['me', 'all'])).transform((owner) => owner ?? 'me'),
});

/** `POST /api/orgs/{org}/tokens/delete`. */
export const bulkDeleteSchema = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(BULK_DELETE_MAX),
});
