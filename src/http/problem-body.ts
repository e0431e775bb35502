import { z } from 'zod';
import type { TollboothError } from '../errors/index.js';

/** Titles for the statuses the API answers with; `title` is the same for every error of a status (RFC 9457 §3.1.3). */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const PROBLEM_TYPE_BASE = 'https://tollbooth.dev/problems/';

/** An RFC 9457 problem as the management API sends it; the extension members go with some codes. */
export const problemSchema = z
  .object({
    type: z.url().meta({ description: 'Names the code: https://tollbooth.dev/problems/{code}.' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().meta({
      description: 'Stable, meant for programs.',
      examples: ['token_limit_reached', 'immutable_field', 'csrf_token_invalid'],
    }),
    limit: z.int().optional().meta({ description: 'With token_limit_reached: the cap.' }),
    field: z.string().optional().meta({ description: 'With immutable_field: the field.' }),
    service: z.string().optional().meta({ description: 'With unknown_service: the service id asked for.' }),
    retry_after: z.int().optional().meta({ description: 'With rate_limited: seconds until the block ends (also in Retry-After).' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'With invalid_request: every problem with the input; the first is also the detail.' }),
  })
  .meta({ description: 'RFC 9457 problem details; `code` is stable and meant for programs.' });

export type Problem = z.infer<typeof problemSchema>;

/** The problem+json body for an error. */
export function problemBody(error: TollboothError): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.description,
    code: error.code,
    ...(error.extra as Partial<Problem>),
  };
}
