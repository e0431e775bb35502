/**
 * Organization members: listing them, removing one and changing their role, with who may do which, and what
 * that does to their tokens (deleted on removal; the JWTs of those above a lowered role
 * revoked). Domain functions take plain values and a DataSource, for the API and the CLI alike.
 */
export { removeMember, changeMemberRole, type MemberChangeInput, type MemberChangeResult } from './change.js';
export { memberByEmail, type NamedMember } from './lookup.js';
export { listMembers, type MemberView } from './list.js';
export type { MemberChanger } from './permissions.js';
