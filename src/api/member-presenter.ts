import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import type { MemberChangeResult, MemberView } from '../members/index.js';

/** The answer to a member removal or role change: the member, and the tokens whose JWTs it revoked. */
export const memberChangeSchema = z.object({
  member: z.object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(ROLES).meta({ description: 'The role now; after a removal, the role they had.' }),
  }),
  tokens_revoked: z.array(z.uuid()).meta({
    description:
      'Ids of the member’s tokens this change revoked: all they held in the organization on removal (deleted), those above the new role on a lowering (kept, their earlier JWTs dead).',
  }),
});

export type PresentedMemberChange = z.infer<typeof memberChangeSchema>;

export function presentMemberChange({ member, tokensRevoked }: MemberChangeResult): PresentedMemberChange {
  return { member: { id: member.id, email: member.email, role: member.role }, tokens_revoked: tokensRevoked };
}

/** `GET /api/orgs/{org}/members`: everyone in the organization, by email. */
export const memberListSchema = z.object({
  members: z.array(z.object({ id: z.uuid(), email: z.string(), role: z.enum(ROLES), joined_at: z.iso.datetime() })),
});

export function presentMemberList(members: MemberView[]): z.infer<typeof memberListSchema> {
  return { members: members.map(({ id, email, role, joinedAt }) => ({ id, email, role, joined_at: joinedAt.toISOString() })) };
}
