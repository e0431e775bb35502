import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Context, Next } from 'koa';

/** The request as Tollbooth accepted it, which is all oidc-provider gets to read. */
export interface AcceptedRequest {
  /** The form, serialised again after Tollbooth's changes (the public client named). */
  form: string;
  /** The canonical Basic header for the credentials Tollbooth read; undefined: none. */
  authorization: string | undefined;
}

/**
 * Hands the token request to oidc-provider (`next`) the way it expects to get one: a body it
 * reads and parses itself from the request stream. Tollbooth had to read the stream first (to
 * refuse early, limit by client id, and name the public client), and oidc-provider takes a
 * body read by someone else only as a fallback, with a warning that upstream parsers are not
 * recommended. So for the provider's turn `ctx.req` is a fresh, unread stream of the accepted
 * form, with a Content-Length to match; and the `Authorization` header it sees is the one
 * Tollbooth's own parser read, re-encoded canonically (or none), so the two never read
 * credentials differently. The stream is put back afterwards.
 */
export async function handToProvider(ctx: Context, accepted: AcceptedRequest, next: Next): Promise<void> {
  const body = Buffer.from(accepted.form, 'utf8');
  const headers = ctx.req.headers;
  headers['content-length'] = String(body.length);
  delete headers['transfer-encoding'];
  if (accepted.authorization === undefined) delete headers.authorization;
  else headers.authorization = accepted.authorization;

  const original = ctx.req;
  // The provider only reads `readable` and iterates the stream (raw bytes, no encoding set);
  // headers, socket and URL it takes from `ctx.request`, which keeps the original request
  // (with the two headers set above).
  ctx.req = Readable.from([body], { objectMode: false }) as unknown as IncomingMessage;
  try {
    await next();
  } finally {
    ctx.req = original;
  }
}
