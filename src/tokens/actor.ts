import { canManageOrganizationTokens, type Role } from '../accounts/index.js';

/** Who acts on tokens, inside which organization, with which role there. */
export interface TokenActor {
  userId: string;
  organizationId: string;
  role: Role;
}

/** Admins and owners see and manage every token of the org; others only their own. */
export function seesWholeOrganization(actor: TokenActor): boolean {
  return canManageOrganizationTokens(actor.role);
}
