import {
  auditQueryParameters,
  componentSchemas,
  listTokensParameters,
  ref,
  type ComponentName,
  type JsonSchema,
} from './openapi-components.js';

/** An operation's answer for one status. */
export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: JsonSchema[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const json = (name: ComponentName) => ({ content: { 'application/json': { schema: ref(name) } } });
const problem = (description: string): OpenApiResponse => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } };

const authenticated = {
  '401': problem('Not logged in, or the bearer JWT is not valid (`unauthenticated`, `invalid_token`).'),
  '403': problem('Missing or wrong X-CSRF-Token (`csrf_token_invalid`), or `insufficient_scope` for a bearer.'),
};
const inOrganization = {
  ...authenticated,
  '404': problem(
    'Unknown organization, or one the caller is not in (`organization_not_found`), or an invisible token (`token_not_found`).',
  ),
};
const withBody = {
  '400': problem('Invalid input (`invalid_request` with `errors`, `malformed_json`).'),
  '413': problem('Body over 16 KB (`body_too_large`).'),
  '415': problem('Body not application/json (`unsupported_media_type`).'),
};

const org = { name: 'org', in: 'path', required: true, description: 'Organization slug.', schema: { type: 'string' } };
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

const member = { name: 'user', in: 'path', required: true, description: "The member's user id.", schema: { type: 'string' } };
const memberRefusals = problem(
  '`insufficient_role` (not an admin or owner; an admin acting on an owner or making someone owner; a bearer whose token’s role is lower), `csrf_token_invalid` or `insufficient_scope`.',
);
const memberNotFound = problem(
  'Unknown organization, or one the caller is not in (`organization_not_found`); unknown user, or not a member of it (`member_not_found`).',
);
const lastOwner = problem('`last_owner`: the organization’s only owner; make another member owner first.');

function statusChange(action: 'disable' | 'enable') {
  return {
    post: {
      operationId: `${action}Token`,
      summary: action === 'disable' ? 'Disable a token (idempotent)' : 'Re-enable a disabled token (idempotent)',
      description:
        action === 'disable'
          ? "The token's owner, or an org admin/owner. The token then shows `disabled: {at, by}`; when `by` is not the owner (an admin or owner disabled it), only an admin or owner can enable it again."
          : "The token's owner, or an org admin/owner; a token an admin or owner disabled (its `disabled.by` is not the owner), an admin or owner only (403 `disabled_by_admin` for the owner).",
      parameters: [org, id],
      responses: {
        '200': { description: 'The token.', ...json('TokenEnvelope') },
        ...inOrganization,
        ...(action === 'enable' && {
          '403': problem(
            '`disabled_by_admin` (an admin or owner disabled it; only an admin or owner can enable it), `csrf_token_invalid` or `insufficient_scope`.',
          ),
        }),
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the management API, served at `/api/openapi.json`. Its schemas
 * are generated from the zod schemas the routes validate with and the presenters answer with;
 * test/api/openapi.test.ts keeps it in step with the router and checks real answers against it.
 */
export const openApiDocument: OpenApiDocument = everyOperationMayBeUnavailable({
  openapi: '3.1.0',
  info: {
    title: 'Tollbooth management API',
    version: '1.0.0',
    description:
      'Platform tokens behind a JSON API. Authenticate with the session cookie from POST /api/session (and X-CSRF-Token on state changes) or with `Authorization: Bearer <JWT>` minted by Tollbooth for its `platform` service (tokens.read for reads, tokens.write for changes). Every response has Cache-Control: no-store; errors are application/problem+json with a stable `code`.',
  },
  servers: [{ url: '/' }],
  security: [{ session: [] }, { bearer: [] }],
  components: {
    schemas: componentSchemas,
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'tollbooth_session', description: 'HttpOnly, SameSite=Lax, 12 hours.' },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      platformToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'tbp_ platform token',
        description: 'The platform token itself; only POST /api/tokens/self/roll accepts it.',
      },
    },
  },
  paths: {
    '/api/session': {
      post: {
        operationId: 'logIn',
        summary: 'Log in; sets the session cookie',
        security: [],
        requestBody: { required: true, ...json('Credentials') },
        responses: {
          '200': { description: 'Logged in.', ...json('Session') },
          ...withBody,
          '401': problem('Wrong email or password (`invalid_credentials`), same answer and timing for unknown accounts.'),
          '429': { ...problem('Too many failures for this account or address (`rate_limited`).'), headers: retryAfter },
        },
      },
      get: {
        operationId: 'currentSession',
        summary: 'The logged-in user, their organizations and the CSRF token',
        security: [{ session: [] }],
        responses: { '200': { description: 'The session.', ...json('Session') }, '401': problem('Not logged in (`unauthenticated`).') },
      },
      delete: {
        operationId: 'logOut',
        summary: 'Log out; ends the session on the server and clears the cookie',
        security: [{ session: [] }],
        responses: { '204': { description: 'Logged out (also when there was no session).' }, '403': authenticated['403'] },
      },
    },
    '/api/credentials/revoke': {
      post: {
        operationId: 'reportLeakedCredentials',
        summary: 'Report leaked platform tokens; each real live one is revoked',
        description:
          'For secret scanners; no authentication. Strings with a bad checksum are dropped unread; each real live token is deleted (reason `leaked`), audited with the caller’s address and `source`, listed in the revocation feed, and its owner and the organization’s admins are mailed. The answer is the same whatever the strings were. Every report counts against a per-address limit.',
        security: [],
        requestBody: { required: true, ...json('CredentialReport') },
        responses: {
          '202': { description: 'Accepted (whether or not any string was a real token).', ...json('CredentialReportAccepted') },
          '400': withBody['400'],
          '413': problem('Body over 64 KB (`body_too_large`).'),
          '415': withBody['415'],
          '429': { ...problem('Too many reports from this address (`rate_limited`).'), headers: retryAfter },
        },
      },
    },
    '/api/services': {
      get: {
        operationId: 'listServices',
        summary: 'The services a token can be bound to',
        responses: { '200': { description: 'Services.', ...json('ServiceList') }, ...authenticated },
      },
    },
    '/api/me/notifications': {
      get: {
        operationId: 'notificationPreferences',
        summary: 'Which mails you get: expiry notices and new-network alerts (both on until turned off)',
        responses: { '200': { description: 'Your preferences.', ...json('NotificationPreferences') }, ...authenticated },
      },
      put: {
        operationId: 'saveNotificationPreferences',
        summary: 'Turn expiry notices and new-network alerts on or off (both fields, as PUT replaces)',
        requestBody: { required: true, ...json('NotificationChoice') },
        responses: {
          '200': { description: 'Your preferences, as stored.', ...json('NotificationPreferences') },
          ...withBody,
          ...authenticated,
        },
      },
    },
    '/api/orgs/{org}/tokens': {
      get: {
        operationId: 'listTokens',
        summary: 'List tokens, newest first',
        description: 'An empty parameter means no filter; an unknown parameter is 400 `invalid_request`.',
        parameters: [org, ...listTokensParameters],
        responses: { '200': { description: 'Tokens.', ...json('TokenList') }, '400': withBody['400'], ...inOrganization },
      },
      post: {
        operationId: 'createToken',
        summary: 'Create a token; the secret is in this response only',
        parameters: [org],
        requestBody: { required: true, ...json('NewToken') },
        responses: {
          '201': { description: 'Created.', ...json('CreatedToken') },
          ...withBody,
          ...inOrganization,
          '403': problem(
            '`role_exceeds_membership`, `platform_token_requires_session` (a bearer JWT asked for a token of the `platform` service: that takes a session), `csrf_token_invalid` or `insufficient_scope`.',
          ),
          '409': problem('`token_limit_reached`, with `limit`: 20.'),
        },
      },
    },
    '/api/orgs/{org}/tokens/delete': {
      post: {
        operationId: 'deleteTokens',
        summary: 'Delete up to 100 tokens in one transaction',
        parameters: [org],
        requestBody: { required: true, ...json('BulkDelete') },
        responses: {
          '200': { description: 'Which ids were deleted and which were not found.', ...json('BulkDeleteResult') },
          ...withBody,
          ...inOrganization,
        },
      },
    },
    '/api/orgs/{org}/tokens/{id}': {
      get: {
        operationId: 'getToken',
        summary: 'Read a token',
        parameters: [org, id],
        responses: { '200': { description: 'The token.', ...json('TokenEnvelope') }, ...inOrganization },
      },
      patch: {
        operationId: 'updateToken',
        summary: 'Rename or describe a token (its owner only)',
        parameters: [org, id],
        requestBody: { required: true, ...json('TokenChange') },
        responses: {
          '200': { description: 'The token.', ...json('TokenEnvelope') },
          ...withBody,
          ...inOrganization,
          '403': problem('`not_token_owner`, `csrf_token_invalid` or `insufficient_scope`.'),
        },
      },
      delete: {
        operationId: 'deleteToken',
        summary: 'Delete a token permanently',
        parameters: [org, id],
        responses: { '204': { description: 'Deleted.' }, ...inOrganization },
      },
    },
    '/api/orgs/{org}/audit': {
      get: {
        operationId: 'readAuditLog',
        summary: "The organization's audit log, newest first (admins and owners)",
        description:
          'Token changes in this organization with actor, token id, client IP and user agent. Keyset pagination: follow `next_cursor` until it is null; events written meanwhile never make a page skip or repeat one. Session events belong to no organization and are not listed. An unknown parameter is 400 `invalid_request`.',
        parameters: [org, ...auditQueryParameters],
        responses: {
          '200': { description: 'A page of events.', ...json('AuditLog') },
          '400': withBody['400'],
          ...inOrganization,
          '403': problem(
            '`insufficient_role` (not an admin or owner, or a bearer whose token’s role is lower), or `insufficient_scope` (a bearer without tokens.read).',
          ),
        },
      },
    },
    '/api/orgs/{org}/members': {
      get: {
        operationId: 'listMembers',
        summary: "The organization's members, by email (admins and owners)",
        description: 'Each member’s user id (the `{user}` of the calls below), email, role and when they joined.',
        parameters: [org],
        responses: {
          '200': { description: 'The members.', ...json('MemberList') },
          ...authenticated,
          '403': problem('`insufficient_role` (not an admin or owner, or a bearer whose token’s role is lower), or `insufficient_scope`.'),
          '404': problem('Unknown organization, or one the caller is not in (`organization_not_found`).'),
        },
      },
    },
    '/api/orgs/{org}/members/{user}': {
      delete: {
        operationId: 'removeMember',
        summary: 'Remove a member from the organization; their tokens there are deleted',
        description:
          'Admins and owners; only an owner removes an owner, and never the last one. In one transaction the membership goes and every token the member holds in this organization is deleted (reason `member_removed`), which revokes the JWTs already issued from them through the revocation feed. Audited as `member.removed` and `token.deleted` per token.',
        parameters: [org, member],
        responses: {
          '200': { description: 'Removed; `member.role` is the role they had.', ...json('MemberChange') },
          ...authenticated,
          '403': memberRefusals,
          '404': memberNotFound,
          '409': lastOwner,
        },
      },
      patch: {
        operationId: 'changeMemberRole',
        summary: "Change a member's role; lowering it revokes their tokens above the new role",
        description:
          'Admins and owners; an admin changes members below owner to at most admin, an owner anyone; the last owner cannot be demoted. Lowering the role revokes, in the same transaction, the JWTs already issued for the member’s tokens whose role is above the new one (reason `role_lowered`; the tokens stay but do not exchange while above their owner’s role); tokens within the new role keep working. The role the member already has changes nothing. Audited as `member.role_changed`.',
        parameters: [org, member],
        requestBody: { required: true, ...json('MemberRoleChange') },
        responses: {
          '200': { description: 'The member with their role now.', ...json('MemberChange') },
          ...withBody,
          ...authenticated,
          '403': memberRefusals,
          '404': memberNotFound,
          '409': lastOwner,
        },
      },
    },
    '/api/orgs/{org}/tokens/{id}/roll': {
      post: {
        operationId: 'rollToken',
        summary: 'Give a token a new secret; the old one keeps working for the grace period',
        description:
          "The token's owner only. Same id, name, description, service, role, scopes, organization and expiry; the new secret is in this response only. The replaced secret keeps exchanging for `grace_seconds` (default 3600), then is refused like a deleted one; a previous secret from an earlier roll ends at once. The body may be left out. Audited as `token.rolled`.",
        parameters: [org, id],
        requestBody: { required: false, ...json('Roll') },
        responses: {
          '200': { description: 'Rolled.', ...json('RolledToken') },
          ...withBody,
          ...inOrganization,
          '403': problem(
            '`not_token_owner`, `platform_token_requires_session` (a bearer JWT may not roll a token of the `platform` service), `csrf_token_invalid` or `insufficient_scope`.',
          ),
          '409': problem('`token_expired`: its expiry is fixed, so a new secret would never work.'),
        },
      },
    },
    '/api/tokens/self/roll': {
      post: {
        operationId: 'rollOwnToken',
        summary: 'A platform token rolls itself (for CI jobs)',
        description:
          'Authenticated by the token itself: `Authorization: Bearer tbp_…` with its current secret (not a session, not a JWT, not a previous secret still in its grace period). Otherwise the same as rolling through the organization path. Failed attempts count against the same per-address limit as the token endpoint.',
        security: [{ platformToken: [] }],
        requestBody: { required: false, ...json('Roll') },
        responses: {
          '200': { description: 'Rolled.', ...json('RolledToken') },
          ...withBody,
          '401': problem(
            '`invalid_token`: no platform token, or one that is malformed, unknown, disabled, deleted, expired or a previous secret.',
          ),
          '429': { ...problem('Too many failed credentials from this address (`rate_limited`).'), headers: retryAfter },
        },
      },
    },
    '/api/orgs/{org}/tokens/{id}/disable': statusChange('disable'),
    '/api/orgs/{org}/tokens/{id}/enable': statusChange('enable'),
    '/api/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1.' } },
      },
    },
  },
});

/**
 * Every call that reads the database may meet it unavailable: 503 `temporarily_unavailable`
 * with Retry-After, never a 500. Only this document is served from memory alone.
 */
function everyOperationMayBeUnavailable(document: OpenApiDocument): OpenApiDocument {
  const unavailable = {
    ...problem('The database (or another dependency) is not answering (`temporarily_unavailable`); retry after Retry-After.'),
    headers: retryAfter,
  };
  for (const [path, item] of Object.entries(document.paths)) {
    if (path === '/api/openapi.json') continue;
    for (const operation of Object.values(item)) operation.responses['503'] = unavailable;
  }
  return document;
}
