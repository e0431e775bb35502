import type { TollboothClaims } from './claims.js';
import { InsufficientScopeError } from './errors.js';
import { resolveScopes } from './options.js';

/**
 * Throws InsufficientScopeError unless the claims carry every one of `scopes`. For APIs on a
 * framework other than Koa; Koa routes use `requireScope()`.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(token);
 * assertScopes(claims, ['strings.write']); // throws InsufficientScopeError for a read-only token
 * ```
 */
export function assertScopes(claims: TollboothClaims, scopes: readonly string[]): void {
  const required = resolveScopes(scopes, 'scopes');
  if (required.some((scope) => !claims.scope.has(scope))) throw new InsufficientScopeError(required);
}
