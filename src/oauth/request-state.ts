import type { UsableToken } from '../tokens/index.js';

/** The client a token request authenticates as: a platform token's id and the secret presented for it. */
export interface PresentedClient {
  id: string;
  secret: string;
}

/**
 * Everything the token endpoint learns about one request, from reading the form to the grant:
 * one typed object rather than loose `ctx.state` keys. Written by `tokenRequest` (what was
 * asked and by whom) and by the provider's client lookup (the token it found usable); read by
 * the limits, the metrics, the adapter and the grants.
 */
export interface TokenRequestState {
  grantType: string;
  /** Undefined for the public exchange, whose only credential is the subject token. */
  client: PresentedClient | undefined;
  /** The token the client lookup found usable with `client.secret`, for the grant to reuse. */
  authenticatedToken?: UsableToken;
}

const states = new WeakMap<object, TokenRequestState>();

/** Starts the state of the request `ctx` (the Koa context the provider also sees). */
export function beginTokenRequest(ctx: object, state: TokenRequestState): TokenRequestState {
  states.set(ctx, state);
  return state;
}

/** The state of the request `ctx`; undefined before `tokenRequest` has read the form. */
export function tokenRequestState(ctx: object | undefined): TokenRequestState | undefined {
  return ctx ? states.get(ctx) : undefined;
}
