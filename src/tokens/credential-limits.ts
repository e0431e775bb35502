import { PLATFORM_SERVICE_ID } from '../config/index.js';
import { PlatformTokenRequiresSession } from '../errors/index.js';
import type { ActorCredential } from './actor.js';

/**
 * A JWT lives hours; a platform-service token lives 730 days and can itself be exchanged for
 * JWTs that manage tokens. Minting one from a JWT would turn a stolen JWT into a credential
 * that outlives it by two years, so creating or rolling a platform-service token takes a
 * session. Tokens for product services stay creatable and rollable with a JWT: they cannot
 * reach this API.
 */
export function refuseLongLivedPlatformSecret(credential: ActorCredential | undefined, serviceId: string, action: 'create' | 'roll'): void {
  if (credential === 'jwt' && serviceId === PLATFORM_SERVICE_ID) throw new PlatformTokenRequiresSession(action);
}
