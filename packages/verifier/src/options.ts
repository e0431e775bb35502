import { VerifierConfigurationError } from './errors.js';

/**
 * The asymmetric JWS algorithms the verifier can be told to accept (RFC 7518 §3, RFC 8037).
 *
 * @example
 * ```ts
 * const algorithms: AsymmetricAlgorithm[] = ['ES256'];
 * createVerifier({ issuer, audience, algorithms });
 * ```
 */
export type AsymmetricAlgorithm =
  'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/**
 * What `createVerifier` takes. `issuer` and `audience` are required: a verifier that accepted
 * any issuer or audience would accept tokens minted for other services.
 *
 * @example
 * ```ts
 * const options: VerifierOptions = {
 *   issuer: 'https://tollbooth.example/oauth',
 *   audience: 'https://strings.tollbooth.example/api',
 *   requiredScopes: ['strings.read'],
 * };
 * ```
 */
export interface VerifierOptions {
  /** The Tollbooth issuer, exactly as in its metadata: `PUBLIC_URL/oauth`. */
  issuer: string;
  /** This API's audience, as declared for the service in Tollbooth (`config/services.json`). */
  audience: string;
  /** Accepted signing algorithms; default `['ES256', 'EdDSA', 'RS256']`. HMAC and `none` are refused. */
  algorithms?: readonly AsymmetricAlgorithm[];
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`; default 5, at most 300. */
  clockTolerance?: number;
  /** Scopes every request to the API needs (all of them); default none. */
  requiredScopes?: readonly string[];
  /**
   * Seconds the issuer's key set (JWKS) is kept before it is fetched again; default 60, from 1
   * to 300. A key withdrawn from the JWKS stops verifying within this long, remembered tokens
   * included. While a set this old cannot be refetched, verification fails with DiscoveryError
   * (503): raising it rides out longer issuer outages at the cost of slower withdrawal.
   */
  keySetMaxAge?: number;
  /**
   * How many verified tokens to remember (keyed by a SHA-256 of the token, never past `exp`
   * nor past the freshness of the key set that verified them), so a JWT reused on every
   * request is signature-checked about once per `keySetMaxAge`; default 10,000, `0` turns the
   * cache off.
   */
  cacheMaxEntries?: number;
  /**
   * Following Tollbooth's revocation feed (on by default): JWTs of a token revoked after they
   * were issued are refused with TokenRevokedError. `false` turns it off — revoked JWTs then
   * work until their `exp`.
   */
  revocation?: false | RevocationOptions;
}

/**
 * How the verifier follows the revocation feed.
 *
 * @example
 * ```ts
 * createVerifier({ issuer, audience, revocation: { pollInterval: 5, maxStaleness: 120 } });
 * ```
 */
export interface RevocationOptions {
  /** Seconds between polls (conditional requests, so an unchanged feed costs a 304); default 15, from 0.05 to 15. */
  pollInterval?: number;
  /**
   * Seconds the verifier keeps using its last good copy while the feed cannot be fetched;
   * default 60, from the poll interval to 3600. Past it, verification fails closed with
   * RevocationFeedError (503) until the feed is back.
   */
  maxStaleness?: number;
}

/** The revocation options after validation, in milliseconds. */
export interface ResolvedRevocationOptions {
  pollIntervalMs: number;
  maxStalenessMs: number;
}

/** The options after validation. */
export interface ResolvedOptions {
  issuer: string;
  audience: string;
  algorithms: readonly AsymmetricAlgorithm[];
  clockTolerance: number;
  requiredScopes: readonly string[];
  keySetMaxAge: number;
  cacheMaxEntries: number;
  /** Undefined when the feed is turned off. */
  revocation: ResolvedRevocationOptions | undefined;
}

/**
 * The default allowlist: Tollbooth signs with one of these (ES256 by default; EdDSA or RS256
 * when configured).
 *
 * @example
 * ```ts
 * createVerifier({ issuer, audience, algorithms: DEFAULT_ALGORITHMS.filter((alg) => alg !== 'RS256') });
 * ```
 */
export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];
/** The same default as Auth0's express-oauth2-jwt-bearer: enough for NTP-synced hosts. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
const MAX_CLOCK_TOLERANCE_SECONDS = 300;

const ASYMMETRIC: ReadonlySet<string> = new Set<AsymmetricAlgorithm>([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
]);
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function refuse(message: string): never {
  throw new VerifierConfigurationError(`createVerifier: ${message}`);
}

function resolveIssuer(issuer: unknown): string {
  if (typeof issuer !== 'string' || issuer === '') refuse('issuer is required (the Tollbooth issuer URL, PUBLIC_URL/oauth)');
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    refuse(`issuer must be an absolute URL, got ${issuer}`);
  }
  // RFC 8414 §2: the issuer is an https URL with no query or fragment. Plain http is
  // tolerated so the verifier works against a development server.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(`issuer must be an https URL, got ${issuer}`);
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    refuse('issuer must not have a query or fragment (RFC 8414 §2)');
  }
  return issuer;
}

function resolveAlgorithms(algorithms: readonly string[] | undefined): readonly AsymmetricAlgorithm[] {
  if (algorithms === undefined) return DEFAULT_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0) refuse('algorithms must list at least one algorithm');
  for (const algorithm of algorithms) {
    // RFC 8725 §3.1–3.2: an allowlist of asymmetric algorithms only. `none` accepts forgeries,
    // and an HMAC entry lets anyone holding the public key (i.e. everyone) forge tokens.
    if (!ASYMMETRIC.has(algorithm))
      refuse(`algorithm ${String(algorithm)} is not allowed; use asymmetric ones such as ES256, EdDSA, RS256`);
  }
  return [...new Set(algorithms as AsymmetricAlgorithm[])];
}

function resolveClockTolerance(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_TOLERANCE_SECONDS) {
    refuse(`clockTolerance must be a number of seconds between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  return seconds;
}

/** Validates scope names against RFC 6749 §3.3, for `requiredScopes` and `requireScope()`. */
export function resolveScopes(scopes: readonly string[] | undefined, label: string): readonly string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes)) refuse(`${label} must be an array of scope names`);
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) refuse(`${label}: ${String(scope)} is not a valid scope name`);
  }
  return [...new Set(scopes)];
}

export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) refuse('options are required: { issuer, audience }');
  const { audience } = options;
  if (typeof audience !== 'string' || audience === '') refuse("audience is required (this API's audience in Tollbooth's services)");
  return {
    issuer: resolveIssuer(options.issuer),
    audience,
    algorithms: resolveAlgorithms(options.algorithms),
    clockTolerance: resolveClockTolerance(options.clockTolerance),
    requiredScopes: resolveScopes(options.requiredScopes, 'requiredScopes'),
    keySetMaxAge: resolveKeySetMaxAge(options.keySetMaxAge),
    cacheMaxEntries: resolveCacheSize(options.cacheMaxEntries),
    revocation: resolveRevocation(options.revocation),
  };
}

/** A revoked JWT is refused within 15 s of the revocation reaching the feed. */
export const DEFAULT_REVOCATION_POLL_SECONDS = 15;
/** An outage of Tollbooth up to a minute goes unnoticed; the JWKS has the same default. */
export const DEFAULT_REVOCATION_MAX_STALENESS_SECONDS = 60;
const MIN_REVOCATION_POLL_SECONDS = 0.05;
const MAX_REVOCATION_STALENESS_SECONDS = 3600;

function resolveRevocation(revocation: false | RevocationOptions | undefined): ResolvedRevocationOptions | undefined {
  if (revocation === false) return undefined;
  if (revocation !== undefined && (typeof revocation !== 'object' || revocation === null)) {
    refuse('revocation must be false or { pollInterval?, maxStaleness? }');
  }
  const pollInterval = revocation?.pollInterval ?? DEFAULT_REVOCATION_POLL_SECONDS;
  if (
    typeof pollInterval !== 'number' ||
    !Number.isFinite(pollInterval) ||
    pollInterval < MIN_REVOCATION_POLL_SECONDS ||
    pollInterval > DEFAULT_REVOCATION_POLL_SECONDS
  ) {
    refuse(`revocation.pollInterval must be a number of seconds from ${MIN_REVOCATION_POLL_SECONDS} to ${DEFAULT_REVOCATION_POLL_SECONDS}`);
  }
  const maxStaleness = revocation?.maxStaleness ?? Math.max(DEFAULT_REVOCATION_MAX_STALENESS_SECONDS, pollInterval);
  if (
    typeof maxStaleness !== 'number' ||
    !Number.isFinite(maxStaleness) ||
    maxStaleness < pollInterval ||
    maxStaleness > MAX_REVOCATION_STALENESS_SECONDS
  ) {
    refuse(`revocation.maxStaleness must be a number of seconds from the poll interval to ${MAX_REVOCATION_STALENESS_SECONDS}`);
  }
  return { pollIntervalMs: pollInterval * 1000, maxStalenessMs: maxStaleness * 1000 };
}

/** A withdrawn key stops verifying within a minute. */
export const DEFAULT_KEY_SET_MAX_AGE_SECONDS = 60;
/** The longest the issuer lets anyone cache its JWKS (its Cache-Control max-age). */
const MAX_KEY_SET_MAX_AGE_SECONDS = 300;

function resolveKeySetMaxAge(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_KEY_SET_MAX_AGE_SECONDS;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > MAX_KEY_SET_MAX_AGE_SECONDS) {
    refuse(`keySetMaxAge must be a number of seconds from 1 to ${MAX_KEY_SET_MAX_AGE_SECONDS}`);
  }
  return seconds;
}

export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

function resolveCacheSize(entries: number | undefined): number {
  if (entries === undefined) return DEFAULT_CACHE_MAX_ENTRIES;
  if (!Number.isInteger(entries) || entries < 0 || entries > 1_000_000) refuse('cacheMaxEntries must be an integer from 0 to 1,000,000');
  return entries;
}
