import type { Service } from '../config/index.js';
import { InvalidScope, InvalidTarget } from '../errors/index.js';

export interface TargetRequest {
  /** RFC 8693 §2.1 `audience` values: a logical name (the service id) or its audience URI. */
  audiences: string[];
  /** RFC 8707 / RFC 8693 §2.1 `resource` values: absolute URIs. */
  resources: string[];
  /** RFC 6749 §3.3 space-delimited scope, or undefined for "everything the token has". */
  scope: string | undefined;
}

/**
 * A platform token is bound to exactly one service, so the JWT's `aud` is always that
 * service's audience. A caller may name the target (`audience` by id or URI, `resource` by
 * URI) but only to confirm it: naming anything else is `invalid_target` (RFC 8693 §2.2.2).
 */
export function checkTarget(service: Service, { audiences, resources }: Pick<TargetRequest, 'audiences' | 'resources'>): void {
  const foreignAudience = audiences.find((value) => value !== service.id && value !== service.audience);
  const foreignResource = resources.find((value) => value !== service.audience);
  if (foreignAudience !== undefined || foreignResource !== undefined) {
    throw new InvalidTarget(`this token can only be exchanged for the ${service.id} service (${service.audience})`);
  }
}

/**
 * RFC 6749 §3.3: the granted scope is the requested one when it is a subset of the token's,
 * all of the token's when none is requested, and `invalid_scope` otherwise. The result keeps
 * the token's order and drops repeats.
 */
export function grantedScopes(tokenScopes: readonly string[], requested: string | undefined): string[] {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  if (asked.length === 0) return [...tokenScopes];
  const unknown = asked.filter((scope) => !tokenScopes.includes(scope));
  if (unknown.length > 0) {
    throw new InvalidScope(`the token does not grant: ${[...new Set(unknown)].join(' ')}`);
  }
  return tokenScopes.filter((scope) => asked.includes(scope));
}
