import { z } from 'zod';

/** A person's notification preferences, as `GET /api/me/notifications` answers and `PUT` takes them. */
export const notificationPreferencesSchema = z.strictObject({
  expiry_notices: z.boolean().meta({
    description:
      "As an org admin or owner, mails 7 days and 1 day before another member's token of the org expires. The notices about your own tokens always come.",
  }),
  new_network_alerts: z.boolean().meta({ description: 'A mail when one of your tokens is first used from a network it had not used.' }),
});

export type PresentedNotificationPreferences = z.infer<typeof notificationPreferencesSchema>;
