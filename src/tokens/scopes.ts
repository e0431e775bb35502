import type { Service } from '../config/index.js';
import { InvalidRequest, InvalidScope } from '../errors/index.js';

/**
 * The scopes a new token carries: all of its service's when none are asked for, otherwise the
 * ones asked for, which must be a non-empty subset of the service's (400 `invalid_scope`
 * naming the first that is not; repeats are dropped). Kept in the service's order, so two
 * tokens with the same choice store the same string. Fixed for the token's life: the exchange
 * never grants more than this.
 */
export function scopesForNewToken(service: Service, requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...service.scopes];
  if (requested.length === 0) {
    throw new InvalidRequest('scopes: choose at least one scope, or leave scopes out for all of them', {
      errors: [{ field: 'scopes', message: 'must contain at least one scope' }],
    });
  }
  const unknown = requested.find((scope) => !service.scopes.includes(scope));
  if (unknown !== undefined) {
    throw new InvalidScope(`${JSON.stringify(unknown)} is not a scope of the ${service.id} service (${service.scopes.join(', ')})`, {
      extra: { scope: unknown },
    });
  }
  return service.scopes.filter((scope) => requested.includes(scope));
}
