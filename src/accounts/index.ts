export { ROLES, isRole, roleRank, roleWithin, canManageOrganizationTokens, canManageMembers, type Role } from './roles.js';
export { hashPassword, verifyPassword, dummyPasswordHash } from './password.js';
export {
  canonicalEmail,
  createUser,
  setMembership,
  findOrCreateOrganization,
  newUserSchema,
  organizationSlugSchema,
  type NewUser,
  type CreatedUser,
} from './users.js';
export { membershipBySlug, type OrganizationMembership } from './memberships.js';
