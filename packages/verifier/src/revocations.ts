import { jwtVerify, type JWTPayload } from 'jose';
import type { TollboothClaims } from './claims.js';
import type { IssuerEndpoints } from './discovery.js';
import { RevocationFeedError, TokenRevokedError, VerifierError } from './errors.js';
import type { IssuerKeySet } from './key-set.js';
import type { AsymmetricAlgorithm, ResolvedRevocationOptions } from './options.js';

const FETCH_TIMEOUT_MS = 5_000;
/** While the feed is down and the copy too old, requests share one failed attempt this long rather than each trying. */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** The feed's JWS `typ`: it can never pass for an access token (`at+jwt`), nor one for it. */
export const REVOCATION_FEED_TYPE = 'revocations+jwt';

export interface RevocationFeedOptions extends ResolvedRevocationOptions {
  issuer: string;
  algorithms: readonly AsymmetricAlgorithm[];
  clockTolerance: number;
  discover: () => Promise<IssuerEndpoints>;
  keys: Pick<IssuerKeySet, 'getKey'>;
}

/** The not-before times of a verified feed payload, by token id; throws on any other shape. */
function entriesOf(payload: JWTPayload): Map<string, number> {
  const revocations = payload.revocations;
  if (!Array.isArray(revocations)) throw new RevocationFeedError('The revocation feed has no revocations list');
  const entries = new Map<string, number>();
  for (const entry of revocations as unknown[]) {
    const { token_id: tokenId, not_before: notBefore } = (entry ?? {}) as { token_id?: unknown; not_before?: unknown };
    if (typeof tokenId !== 'string' || typeof notBefore !== 'number' || !Number.isFinite(notBefore)) {
      throw new RevocationFeedError('The revocation feed has an entry without a token_id and a numeric not_before');
    }
    entries.set(tokenId, Math.max(notBefore, entries.get(tokenId) ?? notBefore));
  }
  return entries;
}

/**
 * The verifier's copy of Tollbooth's revocation feed: a JWS of per-token "not before" times,
 * verified with the issuer's keys. It is polled every `pollIntervalMs` with `If-None-Match`
 * (an unchanged feed is a 304) from the first verification on. While polls fail, the last good
 * copy is used for up to `maxStalenessMs` after it was last confirmed; past that, `check()`
 * tries once more and then fails closed with RevocationFeedError.
 */
export class RevocationFeed {
  #entries = new Map<string, number>();
  #etag: string | undefined;
  /** When (ms since the epoch) the issuer last confirmed the copy: a verified 200 or a 304. */
  #confirmedAt = 0;
  #refreshing: Promise<void> | undefined;
  #lastFailure: { at: number; error: unknown } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(private readonly options: RevocationFeedOptions) {}

  /**
   * Refuses a JWT issued before its token's not-before time with TokenRevokedError. Runs for
   * every request, remembered tokens included, so no cache outlives a revocation.
   */
  async check(claims: TollboothClaims): Promise<void> {
    this.#startPolling();
    if (Date.now() - this.#confirmedAt >= this.options.maxStalenessMs) {
      const failure = this.#lastFailure;
      if (failure && Date.now() - failure.at >= 0 && Date.now() - failure.at < RETRY_AFTER_FAILURE_MS) throw failure.error;
      await this.refresh();
    }
    const notBefore = this.#entries.get(claims.token_id);
    if (notBefore !== undefined && claims.iat < notBefore) {
      throw new TokenRevokedError('The access token has been revoked');
    }
  }

  /** Fetches the feed now (one request at a time); rejects with RevocationFeedError. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#fetch()
      .then(
        () => {
          this.#lastFailure = undefined;
        },
        (error: unknown) => {
          this.#lastFailure = { at: Date.now(), error };
          throw error;
        },
      )
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  /** Stops polling. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #startPolling(): void {
    if (this.#timer !== undefined || this.#closed) return;
    // A failed poll is retried at the next tick; check() reports it once the copy is too old.
    this.#timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.pollIntervalMs);
    // Polling never keeps a process alive on its own.
    this.#timer.unref?.();
  }

  async #fetch(): Promise<void> {
    let endpoints: IssuerEndpoints;
    try {
      endpoints = await this.options.discover();
    } catch (error) {
      throw new RevocationFeedError(`Cannot find the revocation feed: ${(error as Error).message}`, { cause: error });
    }
    const feedUri = endpoints.revocationFeedUri;
    if (feedUri === undefined) {
      throw new RevocationFeedError(
        'The issuer metadata names no revocation_feed_uri; upgrade Tollbooth, or create the verifier with revocation: false',
      );
    }
    let response: Response;
    try {
      response = await fetch(feedUri, {
        headers: { accept: 'application/jwt', ...(this.#etag === undefined ? {} : { 'if-none-match': this.#etag }) },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new RevocationFeedError(`Cannot fetch the revocation feed at ${feedUri.href}: ${(error as Error).message}`, { cause: error });
    }
    // RFC 9110 §15.4.5: 304 says the copy we hold (its validator sent) is still the current one.
    if (response.status === 304 && this.#etag !== undefined) {
      this.#confirmedAt = Date.now();
      return;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new RevocationFeedError(`The revocation feed at ${feedUri.href} answered ${response.status}`);
    }
    const entries = await this.#verified(await response.text(), feedUri);
    this.#entries = entries;
    this.#etag = response.headers.get('etag') ?? undefined;
    this.#confirmedAt = Date.now();
  }

  /** Verifies the JWS like an access token (issuer's keys, allowlisted algorithm, `iss`, `typ`) and that it is recent. */
  async #verified(jws: string, feedUri: URL): Promise<Map<string, number>> {
    const { issuer, algorithms, clockTolerance, keys, maxStalenessMs } = this.options;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jws.trim(), keys.getKey, {
        issuer,
        algorithms: [...algorithms],
        typ: REVOCATION_FEED_TYPE,
        clockTolerance,
        requiredClaims: ['iat'],
      }));
    } catch (error) {
      if (error instanceof RevocationFeedError) throw error;
      const reason = error instanceof VerifierError || error instanceof Error ? error.message : String(error);
      throw new RevocationFeedError(`The revocation feed at ${feedUri.href} does not verify: ${reason}`, { cause: error });
    }
    // A copy made longer ago than we may rely on one (a cache or mirror replaying it) is no
    // better than none.
    if ((payload.iat ?? 0) * 1000 < Date.now() - maxStalenessMs - clockTolerance * 1000) {
      throw new RevocationFeedError(`The revocation feed at ${feedUri.href} is older than maxStaleness`);
    }
    return entriesOf(payload);
  }
}
