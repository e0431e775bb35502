import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { BodyTooLarge, MalformedJson, UnsupportedMediaType } from '../errors/index.js';

/** Request bodies are small JSON objects; anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT = '16kb';

const parse = bodyParser({
  enableTypes: ['json'],
  parsedMethods: ['POST', 'PUT', 'PATCH'],
  jsonLimit: JSON_BODY_LIMIT,
  // Only objects and arrays at the top level (RFC 8259 allows more; our API never wants it).
  jsonStrict: true,
  onError(error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new BodyTooLarge(`The request body exceeds ${JSON_BODY_LIMIT}.`);
    if (status === 415) throw new UnsupportedMediaType((error as Error).message);
    throw new MalformedJson();
  },
});

/**
 * Accepts only `application/json` bodies (415 otherwise), so a cross-site HTML form can
 * never submit to the API, and parses them with a size limit. An empty body (`Content-Length:
 * 0`, what `fetch` and many clients send for a bare POST) is no body: `{}`, for the routes
 * whose body is optional.
 */
export async function jsonBody(ctx: Context, next: Next): Promise<void> {
  if (ctx.request.length === 0) {
    ctx.request.body = {};
    return next();
  }
  // `is` answers null when there is no body, false when the body has another type.
  if (ctx.request.is('application/json') === false) {
    throw new UnsupportedMediaType('Send the request body as application/json.');
  }
  await parse(ctx, next);
}
