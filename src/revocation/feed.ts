import { createHash } from 'node:crypto';
import { MoreThan, type DataSource } from 'typeorm';
import { TokenRevocationEntity } from '../db/index.js';
import { ACCESS_TOKEN_LIFETIME_SECONDS, CLOCK_SKEW_SECONDS } from '../keys/index.js';

/**
 * How far back the feed reaches: a JWT lives 4 hours, and verifiers allow some clock skew. A
 * revocation older than this can only concern JWTs that have expired everywhere.
 */
export const REVOCATION_WINDOW_SECONDS = ACCESS_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS;

/** One published revocation: JWTs of `tokenId` with `iat` < `notBefore` are dead. */
export interface RevocationEntry {
  tokenId: string;
  /**
   * Seconds since the epoch, rounded up from the millisecond the revocation committed: `iat`
   * has whole seconds, so a JWT minted earlier in that same second has `iat` below it too.
   */
  notBefore: number;
}

export interface RevocationList {
  entries: RevocationEntry[];
  /** Changes exactly when the entries do: the weak validator of an HTTP answer built from them. */
  etag: string;
}

/** The feed publishes revocations after this moment; any at or before it concern only expired JWTs. */
export function revocationWindowStart(now: Date): Date {
  return new Date(now.getTime() - REVOCATION_WINDOW_SECONDS * 1000);
}

/** The revocations of the last REVOCATION_WINDOW_SECONDS, oldest first, and their validator. */
export async function readRevocationList(dataSource: DataSource, now: Date): Promise<RevocationList> {
  const since = revocationWindowStart(now);
  const rows = await dataSource.getRepository(TokenRevocationEntity).find({
    select: ['tokenId', 'notBefore'],
    where: { notBefore: MoreThan(since) },
    order: { notBefore: 'ASC', tokenId: 'ASC' },
  });
  const entries = rows.map((row) => ({ tokenId: row.tokenId, notBefore: Math.ceil(row.notBefore.getTime() / 1000) }));
  const digest = createHash('sha256');
  for (const entry of entries) digest.update(`${entry.tokenId}:${entry.notBefore}\n`);
  return { entries, etag: `W/"${digest.digest('base64url').slice(0, 27)}"` };
}
