import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { RateLimits1764100000000 } from './1764100000000-rate-limits.js';
import { Locks1765000000000 } from './1765000000000-locks.js';
import { ExactEmailComparison1765100000000 } from './1765100000000-exact-email-comparison.js';
import { TokenDeletionDetails1765200000000 } from './1765200000000-token-deletion-details.js';
import { TokenRevocations1765200000001 } from './1765200000001-token-revocations.js';
import { TokenRoll1765300000000 } from './1765300000000-token-roll.js';
import { AllowedNetworks1765300100000 } from './1765300100000-allowed-networks.js';
import { SeenNetworks1765300200000 } from './1765300200000-seen-networks.js';
import { NotificationPreferences1765400000000 } from './1765400000000-notification-preferences.js';
import { TokenDisabledBy1765700000000 } from './1765700000000-token-disabled-by.js';
import { MaskStoredCredentials1765750000000 } from './1765750000000-mask-stored-credentials.js';

/** Every migration, oldest first. A landed migration is never edited: add a new one. */
export const migrations = [
  InitialSchema1764000000000,
  RateLimits1764100000000,
  Locks1765000000000,
  ExactEmailComparison1765100000000,
  TokenDeletionDetails1765200000000,
  TokenRevocations1765200000001,
  TokenRoll1765300000000,
  AllowedNetworks1765300100000,
  SeenNetworks1765300200000,
  NotificationPreferences1765400000000,
  TokenDisabledBy1765700000000,
  MaskStoredCredentials1765750000000,
];
