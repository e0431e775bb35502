import { ROLES } from '../accounts/index.js';
import { AUDIT_ACTIONS } from '../audit/index.js';
import { BULK_DELETE_MAX, DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, TOKEN_CAP, TOKEN_STATUSES } from '../tokens/index.js';

const dateTime = { type: 'string', format: 'date-time' } as const;
const role = { type: 'string', enum: [...ROLES] } as const;

/** JSON Schemas (2020-12, as OpenAPI 3.1 uses) of what the management API sends and takes. */
export const schemas = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is stable and meant for programs.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string', examples: ['token_limit_reached', 'immutable_field', 'csrf_token_invalid'] },
      limit: { type: 'integer', description: 'With token_limit_reached: the cap.' },
      field: { type: 'string', description: 'With immutable_field: the field.' },
      errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
    },
  },
  Token: {
    type: 'object',
    required: [
      'id',
      'name',
      'description',
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
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', maxLength: NAME_MAX_LENGTH },
      description: { type: 'string', maxLength: DESCRIPTION_MAX_LENGTH },
      service: { type: 'string' },
      role,
      scopes: { type: 'array', items: { type: 'string' } },
      prefix: { type: 'string', description: 'The first 10 characters, for recognising a token.', examples: ['tbp_Ab12Cd'] },
      status: { type: 'string', enum: [...TOKEN_STATUSES] },
      created_at: dateTime,
      expires_at: { ...dateTime, description: 'created_at + 730 days; fixed.' },
      last_used_at: { oneOf: [dateTime, { type: 'null' }] },
      last_used_ip: { type: ['string', 'null'] },
      owner: {
        type: 'object',
        required: ['id', 'email'],
        properties: { id: { type: 'string', format: 'uuid' }, email: { type: 'string', format: 'email' } },
      },
    },
  },
  TokenEnvelope: { type: 'object', required: ['token'], properties: { token: { $ref: '#/components/schemas/Token' } } },
  CreatedToken: {
    type: 'object',
    required: ['token', 'secret'],
    properties: {
      token: { $ref: '#/components/schemas/Token' },
      secret: { type: 'string', pattern: '^tbp_[0-9A-Za-z]{38}$', description: 'The platform token. Returned here once, never again.' },
    },
  },
  TokenList: {
    type: 'object',
    required: ['tokens', 'count', 'limit'],
    properties: {
      tokens: { type: 'array', items: { $ref: '#/components/schemas/Token' } },
      count: { type: 'integer', description: "The caller's live tokens across organizations: what the cap counts." },
      limit: { type: 'integer', const: TOKEN_CAP },
    },
  },
  NewToken: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'service'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH, description: 'Trimmed; printable characters only.' },
      service: { type: 'string', description: 'A service id from GET /api/services.' },
      role: { ...role, description: "Defaults to the caller's role in the organization; may not exceed it." },
      description: { type: 'string', maxLength: DESCRIPTION_MAX_LENGTH },
    },
  },
  TokenChange: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'Only name and description change; any other field is 400 immutable_field.',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH },
      description: { type: 'string', maxLength: DESCRIPTION_MAX_LENGTH },
    },
  },
  BulkDelete: {
    type: 'object',
    additionalProperties: false,
    required: ['ids'],
    properties: { ids: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: BULK_DELETE_MAX } },
  },
  BulkDeleteResult: {
    type: 'object',
    required: ['deleted', 'not_found'],
    properties: { deleted: { type: 'array', items: { type: 'string' } }, not_found: { type: 'array', items: { type: 'string' } } },
  },
  AuditEvent: {
    type: 'object',
    required: ['id', 'created_at', 'action', 'actor', 'token_id', 'ip', 'user_agent', 'details'],
    properties: {
      id: { type: 'integer' },
      created_at: dateTime,
      action: { type: 'string', enum: [...AUDIT_ACTIONS] },
      actor: {
        description: 'Who did it; null when nobody was logged in.',
        oneOf: [
          {
            type: 'object',
            required: ['id', 'email'],
            properties: { id: { type: 'string', format: 'uuid' }, email: { type: ['string', 'null'] } },
          },
          { type: 'null' },
        ],
      },
      token_id: { type: ['string', 'null'], format: 'uuid' },
      ip: { type: ['string', 'null'], description: 'Client IP (X-Forwarded-For only with TRUST_PROXY).' },
      user_agent: { type: ['string', 'null'] },
      details: { type: 'object', description: 'Facts about the change (old and new name, service, role); never a secret.' },
    },
  },
  AuditLog: {
    type: 'object',
    required: ['events', 'next_cursor'],
    properties: {
      events: { type: 'array', items: { $ref: '#/components/schemas/AuditEvent' } },
      next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next (older) page; null on the last page.' },
    },
  },
  Credentials: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: { email: { type: 'string' }, password: { type: 'string', format: 'password' } },
  },
  Session: {
    type: 'object',
    required: ['user', 'organizations', 'csrf_token'],
    properties: {
      user: { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' } } },
      organizations: {
        type: 'array',
        items: { type: 'object', required: ['id', 'slug', 'role'], properties: { id: { type: 'string' }, slug: { type: 'string' }, role } },
      },
      csrf_token: { type: 'string', description: 'Send as X-CSRF-Token on every cookie-authenticated state change.' },
    },
  },
  ServiceList: {
    type: 'object',
    required: ['services'],
    properties: {
      services: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'audience', 'scopes'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            audience: { type: 'string', format: 'uri' },
            scopes: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;
