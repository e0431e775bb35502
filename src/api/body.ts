import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { InvalidInputError, TollboothError } from '../errors/index.js';

/** Request bodies are small JSON objects; anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT = '16kb';

const parse = bodyParser({
  enableTypes: ['json'],
  parsedMethods: ['POST', 'PATCH'],
  jsonLimit: JSON_BODY_LIMIT,
  // Only objects and arrays at the top level (RFC 8259 allows more; our API never wants it).
  jsonStrict: true,
  onError(error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new TollboothError('body_too_large', `The request body exceeds ${JSON_BODY_LIMIT}.`, 413);
    if (status === 415) throw new TollboothError('unsupported_media_type', (error as Error).message, 415);
    throw new InvalidInputError('malformed_json', 'The request body is not valid JSON.');
  },
});

/**
 * Accepts only `application/json` bodies (415 otherwise), so a cross-site HTML form can
 * never submit to the API, and parses them with a size limit.
 */
export async function jsonBody(ctx: Context, next: Next): Promise<void> {
  // `is` answers null when there is no body, false when the body has another type.
  if (ctx.request.is('application/json') === false) {
    throw new TollboothError('unsupported_media_type', 'Send the request body as application/json.', 415);
  }
  await parse(ctx, next);
}
