import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import { presentedTokenSchema } from '../api/index.js';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, TOKEN_STATUSES } from '../tokens/index.js';

/*
 * Argument schemas say what an agent needs to call a tool right (types, lengths, choices);
 * the finer rules (printable names, known services, the role ceiling) are the domain's, which
 * answers with the same stable codes as the management API. Unknown arguments are refused,
 * not ignored: an agent must not believe an option it invented took effect.
 */

const organization = z
  .string()
  .min(1)
  .max(63)
  .describe(
    "The organization's slug (as in /api/orgs/{slug}). A Tollbooth JWT acts only inside the organization its platform token belongs to.",
  );

const tokenId = z.string().min(1).max(64).describe("The token's id (a UUID), as list_tokens and create_token return it.");

export const tokenTarget = z.strictObject({ organization, token_id: tokenId });

export const listTokensArguments = z.strictObject({
  organization,
  query: z.string().max(100).optional().describe('Only tokens whose name contains this text (case-insensitive).'),
  service: z.string().max(64).optional().describe('Only tokens bound to this service id (see list_services).'),
  status: z.enum(TOKEN_STATUSES).optional().describe('Only tokens with this status.'),
  owner: z
    .enum(['me', 'all'])
    .optional()
    .describe("'me' (default): your own tokens. 'all': every token of the organization; only for an organization admin or owner."),
});

export const createTokenArguments = z.strictObject({
  organization,
  name: z
    .string()
    .min(1)
    .max(NAME_MAX_LENGTH)
    .describe('A name that says what the token is for, e.g. "CI deploy"; printable characters only.'),
  service: z
    .string()
    .min(1)
    .max(64)
    .describe('The id of the service the token is for (see list_services). Fixed for the life of the token.'),
  role: z
    .enum(ROLES)
    .optional()
    .describe(
      "The token's role in the organization; defaults to, and may not exceed, your own role there. Fixed for the life of the token.",
    ),
  description: z.string().max(DESCRIPTION_MAX_LENGTH).optional().describe('Optional notes: where the token is used, who looks after it.'),
  scopes: z
    .array(z.string().max(200))
    .min(1)
    .max(100)
    .optional()
    .describe("Some of the service's scopes (see list_services); all of them when left out. Fixed for the life of the token."),
});

const serviceSchema = z.object({
  id: z.string().describe('What create_token takes as service.'),
  name: z.string(),
  audience: z.string().describe('The `aud` of the JWTs a token for this service is exchanged for.'),
  scopes: z.array(z.string()).describe('The scopes a token for this service carries.'),
});

/** A failed call: the management API's stable `code` (e.g. `token_limit_reached`) and a message, plus any facts (`limit`). */
const toolErrorSchema = z
  .looseObject({
    code: z.string().describe('Stable, for programs: token_limit_reached, token_not_found, insufficient_role, …'),
    message: z.string(),
  })
  .describe('Present only when the call failed (the result has isError: true).');

/**
 * A tool's structured result: its fields on success, `error` alone on failure. Both shapes are
 * in one object schema, as MCP requires an object at the top, with `oneOf` saying which fields
 * go together: a client that checks even a failed call's content against the schema accepts it.
 */
function toolOutput<Shape extends Record<string, z.ZodType>>(shape: Shape) {
  const optional = Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as {
    [Key in keyof Shape]: z.ZodOptional<Shape[Key]>;
  };
  return z
    .object({ ...optional, error: toolErrorSchema.optional() })
    .meta({ oneOf: [{ required: Object.keys(shape) }, { required: ['error'] }] });
}

export const listServicesOutput = toolOutput({ services: z.array(serviceSchema) });

export const listTokensOutput = toolOutput({
  tokens: z.array(presentedTokenSchema),
  count: z.number().int().describe('Your live tokens across organizations: what the cap counts.'),
  limit: z.number().int().describe('The cap: live tokens one person may hold.'),
});

export const createTokenOutput = toolOutput({
  token: presentedTokenSchema,
  secret: z.string().describe('The platform token itself (tbp_…). Shown once: it is stored nowhere and no tool returns it again.'),
});

export const revokeTokenOutput = toolOutput({
  token_id: z.string(),
  deleted: z.literal(true).describe('The token is deleted for good: it no longer exchanges, and cannot be restored.'),
});

export const tokenOutput = toolOutput({ token: presentedTokenSchema });

export type ToolError = z.infer<typeof toolErrorSchema>;
