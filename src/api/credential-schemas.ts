import { z } from 'zod';
import { LEAK_REPORT_MAX_CREDENTIALS } from '../tokens/index.js';

/**
 * `POST /api/credentials/revoke`: strings a secret scanner found that look like Tollbooth
 * platform tokens, in the shape of GitHub's credential-revocation API, and where it found them.
 */
export const credentialReportSchema = z.strictObject({
  credentials: z
    .array(z.string().max(256, 'a platform token is 42 characters'))
    .min(1)
    .max(LEAK_REPORT_MAX_CREDENTIALS)
    .describe(`1–${LEAK_REPORT_MAX_CREDENTIALS} strings found exposed; each real live platform token among them is revoked`),
  source: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional()
    .describe('Where the strings were found (an http or https URL); kept in the audit trail and told to the owner'),
});

/** The one answer to every accepted report, whatever it contained. */
export const credentialReportAcceptedSchema = z.strictObject({
  status: z.literal('accepted'),
});
