import type { z } from 'zod';
import { InvalidRequest, type FieldError } from '../errors/index.js';

/**
 * Parses input with a zod schema, or throws 400 `invalid_request` listing every problem as
 * `errors: [{field, message}]` (the first one is also the `detail`).
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
    return { field: [issue.path.join('.'), keys].filter(Boolean).join('.') || '(body)', message: issue.message };
  });
  const first = errors[0]!;
  throw new InvalidRequest(`${first.field}: ${first.message}`, { errors });
}
