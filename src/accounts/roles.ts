/** Membership roles, lowest first; each grants everything the ones before it do. */
export const ROLES = ['viewer', 'member', 'manager', 'admin', 'owner'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `role` grants no more than `ceiling`. */
export function roleWithin(role: Role, ceiling: Role): boolean {
  return roleRank(role) <= roleRank(ceiling);
}

/** Admins and owners see and manage every token of their organization. */
export function canManageOrganizationTokens(role: Role): boolean {
  return roleRank(role) >= roleRank('admin');
}

/** Admins and owners remove members and change their roles (an owner's only by an owner). */
export function canManageMembers(role: Role): boolean {
  return roleRank(role) >= roleRank('admin');
}
