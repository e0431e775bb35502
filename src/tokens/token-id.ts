/** A token id as Tollbooth mints them: a lowercase RFC 9562 UUID (`randomUUID()`). */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True when `value` can be a token id. Anything else names no token, so callers answer "not
 * found" (or the exchange's one refusal) without a database read.
 */
export function isTokenId(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_ID.test(value);
}
