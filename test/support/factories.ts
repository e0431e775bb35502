import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { join } from 'node:path';
import { createUser, setMembership, type Role } from '../../src/accounts/index.js';
import { packageRoot, type ServiceCatalog } from '../../src/config/index.js';
import { loadServices } from '../../src/config/services.js';
import { createPlatformToken, type CreatedPlatformToken } from '../../src/tokens/index.js';

let sequence = 0;

export interface BuiltUser {
  id: string;
  email: string;
  password: string;
  organizationId: string;
  organizationSlug: string;
  role: Role;
}

/** A user with a membership in `organization` (created when missing); unique email every call. */
export async function buildUser(
  dataSource: DataSource,
  { organization = 'acme', role = 'member' }: { organization?: string; role?: Role } = {},
): Promise<BuiltUser> {
  sequence += 1;
  const email = `user${sequence}-${randomBytes(3).toString('hex')}@example.test`;
  const password = `password-${randomBytes(6).toString('hex')}`;
  const created = await createUser(dataSource, { email, password, organization, role });
  return {
    id: created.user.id,
    email,
    password,
    organizationId: created.organization.id,
    organizationSlug: created.organization.slug,
    role,
  };
}

/** Gives an existing user a (further) membership. */
export async function addMembership(dataSource: DataSource, userId: string, organization: string, role: Role): Promise<void> {
  await setMembership(dataSource, userId, organization, role);
}

export interface BuiltToken {
  id: string;
  /** The plaintext platform token (what a script would hold). */
  secret: string;
  token: CreatedPlatformToken['token'];
}

/**
 * A platform token through the real domain function (cap, role ceiling and audit included).
 * `now` backdates it, e.g. 731 days ago for an expired token.
 */
export async function buildToken(
  dataSource: DataSource,
  owner: { id: string; organizationId: string },
  {
    service = 'strings',
    name,
    role,
    description,
    now,
    services = defaultServices(),
  }: { service?: string; name?: string; role?: Role; description?: string; now?: Date; services?: ServiceCatalog } = {},
): Promise<BuiltToken> {
  sequence += 1;
  const created = await createPlatformToken(dataSource, {
    services,
    userId: owner.id,
    organizationId: owner.organizationId,
    service,
    name: name ?? `token ${sequence}`,
    description,
    role,
    now,
  });
  return { id: created.token.id, secret: created.secret, token: created.token };
}

let catalog: ServiceCatalog | undefined;

/** The shipped `config/services.json` (strings, tms, platform). */
export function defaultServices(): ServiceCatalog {
  catalog ??= loadServices(join(packageRoot(), 'config', 'services.json'));
  return catalog;
}
