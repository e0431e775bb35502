import type { Service, ServiceCatalog } from '../config/index.js';
import { UnknownService } from '../errors/index.js';

/** The configured service with this id, or 400 `unknown_service` naming it. */
export function knownService(services: ServiceCatalog, id: string): Service {
  const service = services.get(id);
  if (!service) throw new UnknownService(id);
  return service;
}
