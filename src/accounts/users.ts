import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  inTransaction,
  isUniqueViolation,
  MembershipEntity,
  OrganizationEntity,
  UserEntity,
  type Membership,
  type Organization,
  type User,
} from '../db/index.js';
import { InvalidUser, UserExists } from '../errors/index.js';
import { hashPassword } from './password.js';
import { ROLES, type Role } from './roles.js';

export const organizationSlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or dashes');

/**
 * The one form an email is stored, looked up and rate-limited under: trimmed, lower-cased and
 * in Unicode NFC (so a decomposed `ë` is the same letter as a precomposed one). The database
 * then compares it exactly (binary collation on MySQL, SQLite's default), so `LEE@…` finds
 * `lee@…` but `lée@…` is another address, and every spelling that finds an account has the
 * account's own email as its canonical form.
 */
export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}

export const newUserSchema = z.object({
  email: z.string().trim().pipe(z.email().max(254)).transform(canonicalEmail),
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
  organization: organizationSlugSchema,
  role: z.enum(ROLES).default('member'),
});

export type NewUser = z.input<typeof newUserSchema>;

export interface CreatedUser {
  user: User;
  organization: Organization;
  membership: Membership;
  organizationCreated: boolean;
}

/** Finds an organization by slug, creating it when missing. */
export async function findOrCreateOrganization(
  manager: EntityManager,
  slug: string,
): Promise<{ organization: Organization; created: boolean }> {
  const organizations = manager.getRepository(OrganizationEntity);
  const existing = await organizations.findOneBy({ slug });
  if (existing) return { organization: existing, created: false };
  const organization: Organization = { id: randomUUID(), slug, name: slug, createdAt: new Date() };
  await organizations.insert(organization);
  return { organization, created: true };
}

/**
 * Creates a user with a membership in one organization (created when missing).
 * Used by `tollbooth user create`, the demo seed and the test factories.
 */
export async function createUser(dataSource: DataSource, input: NewUser): Promise<CreatedUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidUser(`${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { email, password, organization: slug, role } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    return await inTransaction(dataSource, async (manager) => {
      const { organization, created } = await findOrCreateOrganization(manager, slug);
      const user: User = { id: randomUUID(), email, passwordHash, createdAt: new Date() };
      await manager.getRepository(UserEntity).insert(user);
      const membership: Membership = {
        id: randomUUID(),
        userId: user.id,
        organizationId: organization.id,
        role: role as Role,
        createdAt: new Date(),
      };
      await manager.getRepository(MembershipEntity).insert(membership);
      return { user, organization, membership, organizationCreated: created };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserExists(email);
    throw error;
  }
}

/** Adds (or changes) a user's role in an organization, creating the organization when missing. */
export async function setMembership(dataSource: DataSource, userId: string, slug: string, role: Role): Promise<Membership> {
  return inTransaction(dataSource, async (manager) => {
    const { organization } = await findOrCreateOrganization(manager, slug);
    const memberships = manager.getRepository(MembershipEntity);
    const existing = await memberships.findOneBy({ userId, organizationId: organization.id });
    if (existing) {
      await memberships.update({ id: existing.id }, { role });
      return { ...existing, role };
    }
    const membership: Membership = { id: randomUUID(), userId, organizationId: organization.id, role, createdAt: new Date() };
    await memberships.insert(membership);
    return membership;
  });
}
