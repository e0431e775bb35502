/**
 * The seam: the only file that imports oidc-provider or reaches into it. Everything
 * oidc-provider-specific Tollbooth relies on is here — configuration, the storage adapter, the
 * client secret comparison, grant registration and the error translation.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Context } from 'koa';
import type { GrantHandler, Provider } from 'oidc-provider';
import { withDeadline } from '../db/index.js';
import { asTollboothError, clientAddress, oauthErrorBody, prepareErrorAnswer } from '../http/index.js';
import type { Logger } from '../log/index.js';
import { digestPlatformToken, digestsEqual, findUsableTokenById, isWellFormedPlatformToken } from '../tokens/index.js';
import { EXCHANGE_CLIENT, platformTokenClient } from './clients.js';
import { usableFromAddress, type ExchangeDependencies, type TokenResponse } from './exchange.js';
import * as clientCredentials from './grants/client-credentials.js';
import type { GrantRequest } from './grants/parameters.js';
import * as tokenExchange from './grants/token-exchange.js';
import { tokenRequestState } from './request-state.js';
import { TOKEN_EXCHANGE_GRANT } from './token-types.js';

export interface ProviderDependencies extends ExchangeDependencies {
  logger: Logger;
}

type OidcProvider = typeof import('oidc-provider');

/**
 * The oidc-provider form of an error, which the provider writes as the body: `message` is the
 * RFC 6749 code, shown as `error`. Status, code, description and headers come from the same
 * mapping as every other error answer (http/error-response.ts).
 */
function toProviderError(oidc: OidcProvider, thrown: unknown, ctx: Context | undefined, { logger, issuer }: ProviderDependencies): Error {
  const error = ctx ? prepareErrorAnswer(ctx, thrown, { kind: 'oauth', realm: issuer }) : asTollboothError(thrown);
  if (!ctx && error.status >= 500) logger.error({ err: thrown }, 'token request failed');
  const body = oauthErrorBody(error);
  const providerError = new oidc.errors.OIDCProviderError(error.status, body.error);
  providerError.error_description = body.error_description;
  // oidc-provider hides anything it is not told to expose as server_error; a 503 is worth telling.
  providerError.expose = error.status !== 500;
  return providerError;
}

/**
 * Storage for oidc-provider's models. Only `Client` is ever looked up: a platform token as a
 * client_credentials client, read from the database on every call (never cached) with the
 * full usability rules, the presented secret and the token's network rule, so the request
 * costs one indexed read and the grant reuses the row. No model is ever written: JWT access tokens are self-contained,
 * and a write attempt is a bug we want loud rather than a silent fallback to opaque tokens.
 */
function adapterFor(oidc: OidcProvider, deps: ProviderDependencies) {
  const { dataSource, services, queryTimeoutMs } = deps;
  return class TollboothAdapter {
    constructor(readonly model: string) {}

    async find(id: string): Promise<object | undefined> {
      if (this.model !== 'Client') return undefined;
      const ctx = oidc.Provider.ctx;
      const request = tokenRequestState(ctx);
      // The provider passes only the id; the secret is the one Tollbooth read from this request.
      const client = request?.client;
      if (!ctx || !client || client.id !== id) return undefined;
      try {
        const token = await withDeadline(findUsableTokenById(dataSource, services, id, client.secret), queryTimeoutMs);
        if (!token) return undefined;
        // From outside the token's networks: no client, so the provider's own invalid_client.
        const attempt = request.grantType === TOKEN_EXCHANGE_GRANT ? 'token_exchange' : 'client_credentials';
        if (!(await usableFromAddress(deps, token, clientAddress(ctx), attempt))) return undefined;
        request.authenticatedToken = token;
        return platformTokenClient(token.id, digestPlatformToken(client.secret));
      } catch (error) {
        throw toProviderError(oidc, error, ctx, deps);
      }
    }

    async findByUid(): Promise<undefined> {
      return undefined;
    }

    async findByUserCode(): Promise<undefined> {
      return undefined;
    }

    async upsert(): Promise<never> {
      throw new Error(`Tollbooth stores no oidc-provider ${this.model} objects`);
    }

    async consume(): Promise<never> {
      throw new Error(`Tollbooth stores no oidc-provider ${this.model} objects`);
    }

    async destroy(): Promise<never> {
      throw new Error(`Tollbooth stores no oidc-provider ${this.model} objects`);
    }

    async revokeByGrantId(): Promise<never> {
      throw new Error(`Tollbooth stores no oidc-provider ${this.model} objects`);
    }
  };
}

type Grant = {
  grantType: string;
  parameters: readonly string[];
  repeatable: readonly string[];
  handler: (deps: ExchangeDependencies, request: GrantRequest) => Promise<TokenResponse>;
};

function providerGrant(oidc: OidcProvider, grant: Grant, deps: ProviderDependencies): GrantHandler {
  return async (ctx) => {
    const request = tokenRequestState(ctx);
    try {
      ctx.body = await grant.handler(deps, {
        params: ctx.oidc.params,
        clientId: ctx.oidc.client?.clientId ?? '',
        clientSecret: request?.client?.secret,
        authenticatedToken: request?.authenticatedToken,
        ip: clientAddress(ctx),
      });
    } catch (error) {
      throw toProviderError(oidc, error, ctx, deps);
    }
  };
}

/** Builds the oidc-provider instance serving `POST {issuer}/token` and nothing else. */
export async function createProvider(deps: ProviderDependencies): Promise<Provider> {
  // Loaded when a server starts, not when the CLI does: the package prints a notice on import
  // (it recommends Node 22), which one-shot commands such as `tollbooth migrate` never need.
  const oidc = await import('oidc-provider');
  const off = { enabled: false };
  const provider = new oidc.Provider(deps.issuer, {
    adapter: adapterFor(oidc, deps),
    clients: [EXCHANGE_CLIENT],
    // client_secret_jwt stays off: the secret is a platform token, only ever sent over TLS.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // Every request carries its own credential and no cookie; browsers have no business here.
    clientBasedCORS: () => false,
    // The provider signs nothing: access tokens are minted by oauth/issue.ts with keys/, and
    // there are no ID tokens. Its client schema still insists every client has an ID-token
    // algorithm backed by a key, so it gets a throwaway in-memory key that is never published
    // (its JWKS route is unreachable) and never used.
    jwks: { keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })] },
    clientDefaults: {
      grant_types: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    features: {
      devInteractions: off,
      userinfo: off,
      introspection: off,
      revocation: off,
      registration: off,
      rpInitiatedLogout: off,
      resourceIndicators: off,
      // Registered below with Tollbooth's own handler instead of the built-in one.
      clientCredentials: off,
    },
    // Errors are JSON even for callers that prefer HTML (RFC 6749 §5.2).
    renderError(ctx: Context, out: object) {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  });

  // RFC 6749 §2.3.1 client_secret_* with a platform token: compare SHA-256 digests in
  // constant time; the plaintext is stored nowhere, and a malformed secret matches nothing.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, presented: string) {
    return isWellFormedPlatformToken(presented) && digestsEqual(digestPlatformToken(presented), this.clientSecret ?? '');
  };

  for (const grant of [tokenExchange, clientCredentials] as Grant[]) {
    provider.registerGrantType(grant.grantType, providerGrant(oidc, grant, deps), grant.parameters, grant.repeatable);
  }

  provider.on('server_error', (ctx: Context, error: unknown) =>
    (ctx.state.log ?? deps.logger).error({ err: error }, 'token endpoint error'),
  );
  return provider;
}
