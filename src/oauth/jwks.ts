import type { Context } from 'koa';
import { JWKS_MAX_AGE_SECONDS, type Keystore } from '../keys/index.js';

/** `GET /oauth/jwks` (RFC 7517 §5): next, active and recently retired public keys. */
export function jwksAction(keystore: Keystore) {
  return function jwks(ctx: Context): void {
    ctx.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.type = 'application/jwk-set+json';
    ctx.body = keystore.publishedJwks();
  };
}
