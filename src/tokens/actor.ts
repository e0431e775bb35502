import { canManageOrganizationTokens, type Role } from '../accounts/index.js';

/**
 * How the actor proved who they are: a signed-in browser session, or a short-lived JWT
 * exchanged from one of their platform tokens (the management API's bearer path, MCP).
 */
export type ActorCredential = 'session' | 'jwt';

/** Who acts on tokens, inside which organization, with which role there. */
export interface TokenActor {
  userId: string;
  organizationId: string;
  role: Role;
  /** Absent for a person acting directly (the command line, tests): as a session. */
  credential?: ActorCredential;
}

/** Admins and owners see and manage every token of the org; others only their own. */
export function seesWholeOrganization(actor: TokenActor): boolean {
  return canManageOrganizationTokens(actor.role);
}
