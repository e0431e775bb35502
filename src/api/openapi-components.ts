import { z } from 'zod';
import { problemSchema } from '../http/index.js';
import { auditQuerySchema } from './audit-schemas.js';
import { credentialReportAcceptedSchema, credentialReportSchema } from './credential-schemas.js';
import { auditEventSchema, auditLogSchema } from './audit-presenter.js';
import { notificationPreferencesSchema } from './notification-schemas.js';
import { serviceListSchema } from './services-presenter.js';
import { sessionBodySchema } from './session-presenter.js';
import { loginSchema } from './session-schemas.js';
import { memberChangeSchema, memberListSchema } from './member-presenter.js';
import { memberRoleChangeSchema } from './member-schemas.js';
import {
  bulkDeleteResultSchema,
  createdTokenSchema,
  rolledTokenSchema,
  tokenEnvelopeSchema,
  tokenListSchema,
  tokenSchema,
} from './token-presenter.js';
import { bulkDeleteSchema, createTokenSchema, listTokensQuerySchema, rollTokenSchema, updateTokenSchema } from './token-schemas.js';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as zod writes it. */
export type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** What the API takes: the zod schemas its routes validate with, as the caller sends them. */
const requestSchemas = {
  NewToken: createTokenSchema,
  TokenChange: updateTokenSchema,
  BulkDelete: bulkDeleteSchema,
  Roll: rollTokenSchema,
  Credentials: loginSchema,
  CredentialReport: credentialReportSchema,
  NotificationChoice: notificationPreferencesSchema,
  MemberRoleChange: memberRoleChangeSchema,
};

/** What the API answers: the presenters' zod schemas. */
const responseSchemas = {
  Problem: problemSchema,
  CredentialReportAccepted: credentialReportAcceptedSchema,
  Token: tokenSchema,
  TokenEnvelope: tokenEnvelopeSchema,
  CreatedToken: createdTokenSchema,
  RolledToken: rolledTokenSchema,
  TokenList: tokenListSchema,
  BulkDeleteResult: bulkDeleteResultSchema,
  AuditEvent: auditEventSchema,
  AuditLog: auditLogSchema,
  Session: sessionBodySchema,
  ServiceList: serviceListSchema,
  NotificationPreferences: notificationPreferencesSchema,
  MemberChange: memberChangeSchema,
  MemberList: memberListSchema,
};

export type ComponentName = keyof typeof requestSchemas | keyof typeof responseSchemas;

/** `$schema` and `$id` belong to standalone documents, not to schemas inside an OpenAPI one. */
function embedded({ $schema: _dialect, $id: _id, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/**
 * JSON Schemas for a set of zod schemas, each referring to the others by `$ref` where one
 * contains another. Request bodies are described as they are sent (`io: 'input'`, before any
 * trim or default), answers as they are produced. Refinements JSON Schema cannot express are
 * said in each field's `description`.
 */
function generate(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri: (id) => `${COMPONENTS}${id}` });
  return Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, embedded(schema as JsonSchema)]));
}

export const componentSchemas: Record<ComponentName, JsonSchema> = {
  ...generate(requestSchemas, 'input'),
  ...generate(responseSchemas, 'output'),
} as Record<ComponentName, JsonSchema>;

export function ref(name: ComponentName): { $ref: string } {
  return { $ref: `${COMPONENTS}${name}` };
}

/** OpenAPI query parameters, one per field of a query schema. */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const { properties = {}, required = [] } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...fieldSchema }]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(description === undefined ? {} : { description }),
    schema: fieldSchema,
  }));
}

export const listTokensParameters = queryParameters(listTokensQuerySchema);
export const auditQueryParameters = queryParameters(auditQuerySchema);
