import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import { withDeadline } from '../db/index.js';
import type { Keystore } from '../keys/index.js';
import { readRevocationList, REVOCATION_WINDOW_SECONDS, type RevocationList } from '../revocation/index.js';
import { signCompactJws } from './sign.js';

/**
 * Verifiers poll every 15 s; a cache in front of Tollbooth may keep an answer this long on
 * top of that, which still refuses a revoked JWT within 30 s everywhere.
 */
export const REVOCATION_FEED_MAX_AGE_SECONDS = 5;
/** A burst of polls (many product API instances) costs one query per instance per second. */
const LIST_REUSE_MS = 1_000;
/** The JWS `typ` of the feed, so it can never pass for an access token (`at+jwt`) or the reverse. */
export const REVOCATION_FEED_TYPE = 'revocations+jwt';

export interface RevocationFeedOptions {
  dataSource: DataSource;
  keystore: Keystore;
  issuer: string;
  queryTimeoutMs: number;
  clock?: () => Date;
}

/** The signed feed's payload: who says it, when, how far back it reaches, and the entries. */
export function revocationFeedPayload(list: RevocationList, issuer: string, now: Date): object {
  return {
    iss: issuer,
    iat: Math.floor(now.getTime() / 1000),
    window_seconds: REVOCATION_WINDOW_SECONDS,
    revocations: list.entries.map((entry) => ({ token_id: entry.tokenId, not_before: entry.notBefore })),
  };
}

/** The opaque part of an entity tag, without the weakness indicator. */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * RFC 9110 §13.1.2: If-None-Match compares with the weak comparison, and `*` matches any
 * current representation. Koa's `ctx.fresh` is not used: it ignores the condition whenever the
 * request says `Cache-Control: no-cache`, which fetch() adds to every conditional request.
 */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  if (header === '') return false;
  const current = opaqueTag(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaqueTag(tag) === current);
}

/**
 * `GET /oauth/revocations`: the revocations of the last 4 h + skew as a JWS signed with the
 * active key (verifiable with the JWKS), read from the shared database so every instance
 * answers the same. A weak ETag follows the entries: a poll whose `If-None-Match` still matches
 * gets a 304 without a signature being made.
 */
export function revocationFeedAction({ dataSource, keystore, issuer, queryTimeoutMs, clock = () => new Date() }: RevocationFeedOptions) {
  let recent: { list: RevocationList; readAt: number } | undefined;
  let reading: Promise<RevocationList> | undefined;

  const currentList = async (now: Date): Promise<RevocationList> => {
    if (recent && now.getTime() - recent.readAt < LIST_REUSE_MS && now.getTime() >= recent.readAt) return recent.list;
    reading ??= withDeadline(readRevocationList(dataSource, now), queryTimeoutMs)
      .then((list) => {
        recent = { list, readAt: now.getTime() };
        return list;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };

  return async function revocationFeed(ctx: Context): Promise<void> {
    const now = clock();
    const list = await currentList(now);
    ctx.set('Cache-Control', `public, max-age=${REVOCATION_FEED_MAX_AGE_SECONDS}`);
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('ETag', list.etag);
    if (matchesIfNoneMatch(ctx.get('If-None-Match'), list.etag)) {
      ctx.status = 304;
      return;
    }
    const key = keystore.signingKey();
    ctx.type = 'application/jwt';
    ctx.body = await signCompactJws(
      { alg: key.algorithm, typ: REVOCATION_FEED_TYPE, kid: key.kid },
      revocationFeedPayload(list, issuer, now),
      key.privateKey,
    );
  };
}
