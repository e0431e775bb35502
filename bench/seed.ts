import type { DataSource } from 'typeorm';
import { createUser } from '../src/accounts/index.js';
import type { ServiceCatalog } from '../src/config/index.js';
import { createPlatformToken } from '../src/tokens/index.js';

/** A seeded platform token with what each kind of exchange sends. */
export interface SeededToken {
  id: string;
  secret: string;
  service: string;
  userId: string;
}

export const BENCH_ORGANIZATION = 'bench';
export const BENCH_SERVICES = ['strings', 'tms'] as const;
const USERS = 2;
const TOKENS_PER_SERVICE = 10;

/**
 * 2 users × 2 services × 10 tokens = 40 tokens (each user at the cap of 20), made through
 * the same domain functions the API and CLI use, so the rows are exactly what production
 * writes.
 */
export async function seedTokens(dataSource: DataSource, services: ServiceCatalog): Promise<SeededToken[]> {
  const tokens: SeededToken[] = [];
  for (let userIndex = 1; userIndex <= USERS; userIndex += 1) {
    const { user, organization } = await createUser(dataSource, {
      email: `bench-${userIndex}@tollbooth.local`,
      password: `bench-password-${userIndex}-not-secret`,
      organization: BENCH_ORGANIZATION,
      role: 'member',
    });
    for (const service of BENCH_SERVICES) {
      for (let index = 1; index <= TOKENS_PER_SERVICE; index += 1) {
        const { token, secret } = await createPlatformToken(dataSource, {
          services,
          userId: user.id,
          organizationId: organization.id,
          service,
          name: `bench ${service} ${index}`,
        });
        tokens.push({ id: token.id, secret, service, userId: user.id });
      }
    }
  }
  return tokens;
}
