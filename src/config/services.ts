import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError } from './env.js';

const serviceSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/, 'must be a lowercase identifier'),
  name: z.string().min(1).max(100),
  audience: z.url(),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an RFC 6749 scope token')).min(1),
});

const servicesFileSchema = z.object({
  services: z.array(serviceSchema).min(1),
});

/** A product API a platform token can be bound to: its id, display name, audience and scopes. */
export type Service = z.infer<typeof serviceSchema>;

/** The id of Tollbooth's own management API as a service: its JWTs authenticate `/api`. */
export const PLATFORM_SERVICE_ID = 'platform';

export class ServiceCatalog {
  readonly #byId: Map<string, Service>;

  constructor(readonly all: readonly Service[]) {
    this.#byId = new Map(all.map((service) => [service.id, service]));
  }

  get(id: string): Service | undefined {
    return this.#byId.get(id);
  }

  byAudience(audience: string): Service | undefined {
    return this.all.find((service) => service.audience === audience);
  }
}

export function loadServices(path: string): ServiceCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`Invalid configuration: cannot read services from ${path}: ${(error as Error).message}`);
  }
  const result = servicesFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${path}: ${problems.join('; ')}`);
  }
  const ids = new Set<string>();
  for (const service of result.data.services) {
    if (ids.has(service.id)) throw new ConfigurationError(`Invalid configuration: ${path}: duplicate service id ${service.id}`);
    ids.add(service.id);
  }
  if (!ids.has(PLATFORM_SERVICE_ID)) {
    throw new ConfigurationError(`Invalid configuration: ${path}: the "${PLATFORM_SERVICE_ID}" service is required`);
  }
  return new ServiceCatalog(result.data.services);
}
