import { DiscoveryError } from './errors.js';

const FETCH_TIMEOUT_MS = 5_000;

/**
 * Where the issuer's metadata may live, in the order tried:
 *
 * 1. RFC 8414 §3: `/.well-known/oauth-authorization-server` inserted between host and path;
 * 2. OpenID Connect Discovery 1.0 §4: `/.well-known/openid-configuration` appended to the issuer;
 * 3. RFC 8414 §5: the OpenID name with the same path insertion;
 * 4. for an issuer with a path, both documents at the server root — Tollbooth's layout, whose
 *    issuer is `PUBLIC_URL/oauth` while it serves metadata at the root.
 *
 * Whichever answers, its `issuer` must equal the configured one (RFC 8414 §3.3), so a document
 * at a shared root that describes another issuer is never used.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const urls = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
  if (path !== '') urls.push(`${url.origin}/.well-known/oauth-authorization-server`, `${url.origin}/.well-known/openid-configuration`);
  return [...new Set(urls)];
}

/**
 * A URL named in a metadata document, checked: absolute, http(s), and https whenever the
 * issuer is — keys or revocations fetched in the clear could be swapped by anyone on the path.
 */
function endpointFrom(metadata: unknown, name: string, issuer: string, source: string): URL {
  const value = (metadata as Record<string, unknown>)[name];
  if (typeof value !== 'string') throw new DiscoveryError(`The metadata at ${source} has no ${name}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DiscoveryError(`The metadata at ${source} has an invalid ${name}`);
  }
  const issuerIsHttps = new URL(issuer).protocol === 'https:';
  if (url.protocol !== 'https:' && (issuerIsHttps || url.protocol !== 'http:')) {
    throw new DiscoveryError(`The metadata at ${source} has a ${name} that is not https: ${value}`);
  }
  return url;
}

/** The `jwks_uri` of a metadata document, checked as endpointFrom() says. */
export function jwksUriFrom(metadata: unknown, issuer: string, source: string): URL {
  return endpointFrom(metadata, 'jwks_uri', issuer, source);
}

/** Where the issuer publishes what a verifier needs. */
export interface IssuerEndpoints {
  jwksUri: URL;
  /** Tollbooth's `revocation_feed_uri`; undefined when the metadata names none. */
  revocationFeedUri: URL | undefined;
}

function endpointsFrom(metadata: unknown, issuer: string, source: string): IssuerEndpoints {
  const named = (metadata as Record<string, unknown>).revocation_feed_uri !== undefined;
  return {
    jwksUri: jwksUriFrom(metadata, issuer, source),
    revocationFeedUri: named ? endpointFrom(metadata, 'revocation_feed_uri', issuer, source) : undefined,
  };
}

type Attempt = { metadata: unknown } | { skip: string };

async function fetchMetadata(source: string): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(source, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    throw new DiscoveryError(`Cannot fetch the issuer metadata at ${source}: ${(error as Error).message}`, { cause: error });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    // RFC 8414 §3.2: a 200 answer or nothing; a 404 just means "not at this address".
    return { skip: `${source} answered ${response.status}` };
  }
  try {
    return { metadata: await response.json() };
  } catch {
    return { skip: `${source} did not answer JSON` };
  }
}

/**
 * Finds the issuer's endpoints from its metadata. Throws DiscoveryError when no candidate
 * document answers for this issuer, listing what each address said.
 */
export async function discoverEndpoints(issuer: string): Promise<IssuerEndpoints> {
  const tried: string[] = [];
  for (const source of metadataUrls(issuer)) {
    const attempt = await fetchMetadata(source);
    if ('skip' in attempt) {
      tried.push(attempt.skip);
      continue;
    }
    const { metadata } = attempt;
    const named = typeof metadata === 'object' && metadata !== null ? (metadata as { issuer?: unknown }).issuer : undefined;
    // RFC 8414 §3.3: the issuer in the document MUST be identical to the one the client
    // expected, or the document MUST NOT be used (it protects against mix-up attacks).
    if (named !== issuer) {
      tried.push(`${source} describes issuer ${typeof named === 'string' ? named : '(none)'}`);
      continue;
    }
    return endpointsFrom(metadata, issuer, source);
  }
  throw new DiscoveryError(`No metadata for issuer ${issuer}: ${tried.join('; ')}`);
}

/** After a failed discovery, callers get the same error for this long instead of hammering the issuer. */
const DISCOVERY_RETRY_MS = 10_000;

/**
 * The issuer's endpoints, discovered once on first use and shared by the key set and the
 * revocation feed; a failed discovery is remembered for DISCOVERY_RETRY_MS and then retried, so
 * an issuer outage at start-up heals by itself.
 */
export function issuerDiscovery(issuer: string): () => Promise<IssuerEndpoints> {
  let attempt: { endpoints: Promise<IssuerEndpoints>; failedAt?: number } | undefined;
  return () => {
    if (attempt && (attempt.failedAt === undefined || Date.now() - attempt.failedAt < DISCOVERY_RETRY_MS)) return attempt.endpoints;
    const next: { endpoints: Promise<IssuerEndpoints>; failedAt?: number } = { endpoints: discoverEndpoints(issuer) };
    next.endpoints.catch(() => {
      next.failedAt = Date.now();
    });
    attempt = next;
    return next.endpoints;
  };
}
