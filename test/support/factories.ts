import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { join } from 'node:path';
import { createUser, setMembership, type Role } from '../../src/accounts/index.js';
import { packageRoot, type ServiceCatalog } from '../../src/config/index.js';
import { loadServices } from '../../src/config/services.js';
import { MembershipEntity } from '../../src/db/index.js';
import { changeMemberRole } from '../../src/members/index.js';
import { createPlatformToken, deleteToken, rollToken, setTokenStatus, type CreatedPlatformToken } from '../../src/tokens/index.js';

const DAY_MS = 86_400_000;
let sequence = 0;

/** The moment `days` days ago. */
export function daysAgo(days: number): Date {
  return new Date(Date.now() - days * DAY_MS);
}

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

/** Changes the user's role in their organization (a demotion, or a promotion). */
export async function changeRole(dataSource: DataSource, user: BuiltUser, role: Role): Promise<void> {
  await setMembership(dataSource, user.id, user.organizationSlug, role);
}

/** Removes the user from an organization (their own by default), as leaving it would. */
export async function removeMembership(
  dataSource: DataSource,
  user: { id: string; organizationId: string },
  organizationId = user.organizationId,
): Promise<void> {
  const { affected } = await dataSource.getRepository(MembershipEntity).delete({ userId: user.id, organizationId });
  if (affected !== 1) throw new Error(`user ${user.id} was not a member of organization ${organizationId}`);
}

export interface BuiltToken {
  id: string;
  /** The plaintext platform token (what a script would hold). */
  secret: string;
  token: CreatedPlatformToken['token'];
}

export interface BuildTokenOptions {
  service?: string;
  name?: string;
  role?: Role;
  description?: string;
  /** The creation time (the expiry is fixed 730 days after it). */
  now?: Date;
  services?: ServiceCatalog;
}

/**
 * A platform token through the real domain function (cap, role ceiling and audit included).
 * `now` backdates it, e.g. 731 days ago for an expired token.
 */
export async function buildToken(
  dataSource: DataSource,
  owner: { id: string; organizationId: string },
  { service = 'strings', name, role, description, now, services = defaultServices() }: BuildTokenOptions = {},
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

/** A token created 731 days ago: expired, as its expiry is fixed at creation (730 days). */
export function buildExpiredToken(
  dataSource: DataSource,
  owner: { id: string; organizationId: string },
  options: Omit<BuildTokenOptions, 'now'> = {},
): Promise<BuiltToken> {
  return buildToken(dataSource, owner, { ...options, now: daysAgo(731) });
}

/** The same secret with its last checksum character changed: well-shaped, but refused unread. */
export function withWrongChecksum(secret: string): string {
  return `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
}

const noRequest = (owner: BuiltUser) => ({ actorUserId: owner.id, ip: null, userAgent: null });
const actorOf = (owner: BuiltUser) => ({ userId: owner.id, organizationId: owner.organizationId, role: owner.role });

/** Disables a token through the real lifecycle, as its owner would. */
export async function disableToken(dataSource: DataSource, owner: BuiltUser, tokenId: string): Promise<void> {
  await setTokenStatus(dataSource, actorOf(owner), tokenId, 'disabled', noRequest(owner));
}

/** Deletes a token through the real lifecycle, as its owner would. */
export async function deleteOwnToken(dataSource: DataSource, owner: BuiltUser, tokenId: string): Promise<void> {
  await deleteToken(dataSource, actorOf(owner), tokenId, noRequest(owner));
}

/**
 * Rolls a token through the real lifecycle, as its owner would; returns the new secret. `now`
 * backdates the roll, so a grace period can already be over.
 */
export async function rollOwnToken(
  dataSource: DataSource,
  owner: BuiltUser,
  tokenId: string,
  { graceSeconds, now }: { graceSeconds?: number; now?: Date } = {},
): Promise<string> {
  const { secret } = await rollToken(dataSource, actorOf(owner), tokenId, { graceSeconds, now, audit: noRequest(owner) });
  return secret;
}

let catalog: ServiceCatalog | undefined;

/** The shipped `config/services.json` (strings, tms, platform). */
export function defaultServices(): ServiceCatalog {
  catalog ??= loadServices(join(packageRoot(), 'config', 'services.json'));
  return catalog;
}

/**
 * Changes a member's role as `tollbooth member role` does (nobody of the organization acts),
 * with everything that follows from it: lowering revokes the JWTs of their tokens above it.
 */
export async function changeRoleAsOperator(dataSource: DataSource, member: BuiltUser, role: Role): Promise<void> {
  await changeMemberRole(dataSource, {
    organizationId: member.organizationId,
    userId: member.id,
    role,
    changer: null,
    audit: { actorUserId: null, ip: null, userAgent: null, via: 'cli' },
  });
}
