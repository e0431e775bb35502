import type { DataSource } from 'typeorm';
import type { ServiceCatalog } from '../config/index.js';
import { withDeadline } from '../db/index.js';
import { InvalidClient, InvalidGrant, InvalidRequest } from '../errors/index.js';
import type { Keystore } from '../keys/index.js';
import type { TokenUse } from '../notices/index.js';
import {
  digestPlatformToken,
  digestsEqual,
  findUsableTokenById,
  findUsableTokenBySecret,
  networksAllow,
  type NetworkRefusalAttempt,
  type UsableToken,
} from '../tokens/index.js';
import { issueAccessToken } from './issue.js';
import type { LastUsedRecorder } from './last-used.js';
import { checkTarget, grantedScopes, type TargetRequest } from './target.js';
import { ACCESS_TOKEN_TYPE, PLATFORM_TOKEN_TYPE, REQUESTABLE_TOKEN_TYPES } from './token-types.js';

/** What both grants need; built once by oauth/index.ts. */
export interface ExchangeDependencies {
  dataSource: DataSource;
  keystore: Keystore;
  services: ServiceCatalog;
  issuer: string;
  lastUsed: LastUsedRecorder;
  /** Bound on the one database read per exchange; past it the caller gets a 503. */
  queryTimeoutMs: number;
  /**
   * Told of a right secret used from outside its token's networks (audit, metric) before the
   * refusal is answered; its own failures must not change the answer.
   */
  onNetworkRefusal?: (token: UsableToken, address: string | undefined, attempt: NetworkRefusalAttempt) => Promise<void>;
  /** Told of every successful exchange (new-network alerts); must return at once and never throw. */
  onUse?: (use: TokenUse) => void;
  clock?: () => Date;
}

/** RFC 6749 §5.1 / RFC 8693 §2.2.1 successful response. */
export interface TokenResponse {
  access_token: string;
  issued_token_type?: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface TokenExchangeRequest extends TargetRequest {
  subjectToken: string | undefined;
  subjectTokenType: string | undefined;
  requestedTokenType: string | undefined;
  /** Set when the request authenticated a platform token as its client (not the public client). */
  client?: { id: string; secret: string | undefined; token: UsableToken | undefined };
  /** The caller's address, for `last_used_ip`. */
  ip: string | undefined;
}

export interface ClientCredentialsRequest extends TargetRequest {
  clientId: string;
  clientSecret: string | undefined;
  /** The token the client authentication step already read and found usable, if any. */
  authenticatedToken?: UsableToken;
  ip: string | undefined;
}

/**
 * RFC 8693 token exchange: a platform token (the subject token) for a JWT. One indexed read
 * (`findUsableTokenBySecret`), no cache, so deletion and disabling apply at once everywhere.
 */
export async function exchangeSubjectToken(deps: ExchangeDependencies, request: TokenExchangeRequest): Promise<TokenResponse> {
  // RFC 8693 §2.1: subject_token is REQUIRED; subject_token_type is REQUIRED there too, but
  // Tollbooth has one subject token type, so it is optional and defaults to that one.
  if (!request.subjectToken) throw new InvalidRequest('missing required parameter: subject_token');
  if (request.subjectTokenType !== undefined && request.subjectTokenType !== PLATFORM_TOKEN_TYPE) {
    throw new InvalidRequest(`unsupported subject_token_type; use ${PLATFORM_TOKEN_TYPE}`);
  }
  if (request.requestedTokenType !== undefined && !REQUESTABLE_TOKEN_TYPES.includes(request.requestedTokenType)) {
    throw new InvalidRequest(`unsupported requested_token_type; use one of ${REQUESTABLE_TOKEN_TYPES.join(', ')}`);
  }
  const now = deps.clock?.() ?? new Date();
  let token: UsableToken | undefined;
  if (request.client) {
    // An authenticated platform token exchanges itself only; its row was read by the client
    // lookup with this very secret, so that stays the one read.
    if (request.client.secret === undefined || !sameSecret(request.subjectToken, request.client.secret)) {
      throw new InvalidGrant('subject_token must be the platform token the client authenticated with');
    }
    token = request.client.token?.id === request.client.id ? request.client.token : undefined;
  }
  token ??=
    (await withDeadline(findUsableTokenBySecret(deps.dataSource, deps.services, request.subjectToken, now), deps.queryTimeoutMs)) ??
    undefined;
  if (!token) throw new InvalidGrant();
  if (!(await usableFromAddress(deps, token, request.ip, 'token_exchange'))) throw new InvalidGrant();
  // RFC 8693 §2.2.1: issued_token_type is REQUIRED in the response.
  const issuedTokenType = request.requestedTokenType ?? ACCESS_TOKEN_TYPE;
  return { ...(await issueFor(deps, token, request, now)), issued_token_type: issuedTokenType };
}

/**
 * client_credentials (RFC 6749 §4.4) with the platform token as client secret. The client
 * lookup already applied every usability rule (membership, role ceiling) with the presented
 * secret in this request; its token is reused, so the exchange stays one indexed read.
 */
export async function exchangeClientCredentials(deps: ExchangeDependencies, request: ClientCredentialsRequest): Promise<TokenResponse> {
  const now = deps.clock?.() ?? new Date();
  const token =
    request.authenticatedToken?.id === request.clientId
      ? request.authenticatedToken
      : await withDeadline(
          findUsableTokenById(deps.dataSource, deps.services, request.clientId, request.clientSecret, now),
          deps.queryTimeoutMs,
        );
  if (!token) throw new InvalidClient();
  if (!(await usableFromAddress(deps, token, request.ip, 'client_credentials'))) throw new InvalidClient();
  return issueFor(deps, token, request, now);
}

/**
 * The token's network rule, checked after the read that found it usable. From outside its
 * networks the caller gets exactly the refusal an unusable token gets, so the answer says
 * nothing about whether the secret was right; the refusal is reported (audit, metric) first.
 */
export async function usableFromAddress(
  deps: Pick<ExchangeDependencies, 'onNetworkRefusal'>,
  token: UsableToken,
  address: string | undefined,
  attempt: NetworkRefusalAttempt,
): Promise<boolean> {
  if (networksAllow(token.allowedNetworks, address)) return true;
  await deps.onNetworkRefusal?.(token, address, attempt);
  return false;
}

/** Constant time: the two secrets are compared as digests. */
function sameSecret(presented: string, secret: string): boolean {
  return digestsEqual(digestPlatformToken(presented), digestPlatformToken(secret));
}

async function issueFor(
  deps: ExchangeDependencies,
  token: UsableToken,
  request: TargetRequest & { ip: string | undefined },
  now: Date,
): Promise<TokenResponse> {
  checkTarget(token.service, request);
  const scopes = grantedScopes(token.scopes, request.scope);
  const issued = await issueAccessToken({ keystore: deps.keystore, issuer: deps.issuer, token, scopes, now });
  deps.lastUsed.record(token.id, request.ip);
  deps.onUse?.({ tokenId: token.id, seenNetworks: token.seenNetworks, address: request.ip, at: now });
  return { access_token: issued.jwt, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
}
