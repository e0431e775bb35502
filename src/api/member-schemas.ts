import { z } from 'zod';
import { ROLES } from '../accounts/index.js';

/** `PATCH /api/orgs/{org}/members/{user}`: the member's new role. */
export const memberRoleChangeSchema = z.strictObject({
  role: z.enum(ROLES).describe('The new role. Lowering it revokes the JWTs of the member’s tokens above it.'),
});
