import { z } from 'zod';
import { AUDIT_ACTIONS, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, decodeAuditCursor } from '../audit/index.js';
import { optionalParameter } from './token-schemas.js';

/** `GET /api/orgs/{org}/audit` query. Unknown parameters are refused, as on the token list. */
export const auditQuerySchema = z.strictObject({
  limit: optionalParameter(
    z
      .string()
      .regex(/^\d{1,4}$/, `a whole number from 1 to ${AUDIT_PAGE_MAX}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(AUDIT_PAGE_MAX)),
  )
    .transform((limit) => limit ?? AUDIT_PAGE_DEFAULT)
    .meta({ description: `Events per page: a whole number from 1 to ${AUDIT_PAGE_MAX}; ${AUDIT_PAGE_DEFAULT} when absent.` }),
  cursor: optionalParameter(
    z
      .string()
      .refine((text) => decodeAuditCursor(text) !== null, 'not a cursor this API handed out (use next_cursor)')
      .transform((text) => decodeAuditCursor(text)!),
  ).meta({ description: 'The previous page’s `next_cursor` (opaque).' }),
  action: optionalParameter(z.enum(AUDIT_ACTIONS)).meta({ description: 'Only this action.' }),
  token_id: optionalParameter(z.uuid()).meta({ description: 'Only events about this token.' }),
});
