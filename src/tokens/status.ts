import type { PlatformToken } from '../db/index.js';

export const TOKEN_STATUSES = ['active', 'disabled', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** What a list can ask for: the statuses, and `deleted` (an organization's admins and owners only). */
export const LISTED_STATUSES = [...TOKEN_STATUSES, 'deleted'] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];

/** `expired` is derived from the clock and wins over the stored status: nothing revives it. */
export function tokenStatus(token: Pick<PlatformToken, 'status' | 'expiresAt'>, now: Date): TokenStatus {
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return token.status;
}
