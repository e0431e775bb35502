import { z } from 'zod';
import { ROLES } from '../accounts/index.js';
import type { SessionOwner } from '../session/index.js';

/** `POST /api/session` and `GET /api/session`: who is logged in, and the CSRF token. */
export const sessionBodySchema = z.object({
  user: z.object({ id: z.uuid(), email: z.string() }),
  organizations: z.array(z.object({ id: z.uuid(), slug: z.string(), role: z.enum(ROLES) })),
  csrf_token: z.string().meta({ description: 'Send as X-CSRF-Token on every cookie-authenticated state change.' }),
});

export type SessionBody = z.infer<typeof sessionBodySchema>;

export function presentSession({ user, organizations }: SessionOwner, csrfToken: string): SessionBody {
  return {
    user: { id: user.id, email: user.email },
    organizations: organizations.map(({ id, slug, role }) => ({ id, slug, role })),
    csrf_token: csrfToken,
  };
}
