import { z } from 'zod';
import type { Service } from '../config/index.js';

/** `GET /api/services`: what a token can be bound to, with the scopes it would carry. */
export const serviceListSchema = z.object({
  services: z.array(z.object({ id: z.string(), name: z.string(), audience: z.url(), scopes: z.array(z.string()) })),
});

export function presentServices(services: readonly Service[]): z.infer<typeof serviceListSchema> {
  return { services: services.map(({ id, name, audience, scopes }) => ({ id, name, audience, scopes })) };
}
