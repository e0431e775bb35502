import { EntitySchema } from 'typeorm';
import type { Role } from '../../accounts/index.js';

/** Stored status; `expired` is derived from `expiresAt` and never stored. */
export type StoredTokenStatus = 'active' | 'disabled';

export interface PlatformToken {
  id: string;
  userId: string;
  organizationId: string;
  serviceId: string;
  role: Role;
  /** Space-separated, fixed at creation. */
  scopes: string;
  name: string;
  description: string;
  /** Hex SHA-256 of the full token; the plaintext is never stored. */
  digest: string;
  /** First 10 characters, for display. */
  prefix: string;
  /** The digest of the secret the last roll replaced, while it may still be used; else null. */
  previousDigest: string | null;
  previousPrefix: string | null;
  /** When the previous secret stops working (the end of the roll's grace period). */
  previousValidUntil: Date | null;
  rolledAt: Date | null;
  /** Canonical CIDRs separated by spaces that the token may be used from; empty for anywhere. */
  allowedIps: string;
  /** Networks it was exchanged from (`networkOfUse` keys separated by spaces, oldest first). */
  seenNetworks: string;
  status: StoredTokenStatus;
  /** When it was disabled, while it is; null when active, and for tokens disabled before this was kept. */
  disabledAt: Date | null;
  /** Who disabled it, while it is disabled. Someone other than the owner means an admin or owner did. */
  disabledByUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  /** Set when deleted; a deleted token never comes back. */
  deletedAt: Date | null;
  /** Who deleted it; null before deletion, for a leak report, and for rows deleted before this was kept. */
  deletedByUserId: string | null;
  /** Why it was deleted (`deleted`, `leaked`, `member_removed`); null while it is not deleted. */
  deletionReason: string | null;
}

export const PlatformTokenEntity = new EntitySchema<PlatformToken>({
  name: 'PlatformToken',
  tableName: 'platform_tokens',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 36 },
    organizationId: { name: 'organization_id', type: 'varchar', length: 36 },
    serviceId: { name: 'service_id', type: 'varchar', length: 40 },
    role: { type: 'varchar', length: 16 },
    scopes: { type: 'varchar', length: 1000 },
    name: { type: 'varchar', length: 100 },
    description: { type: 'varchar', length: 500, default: '' },
    digest: { type: 'varchar', length: 64, unique: true },
    prefix: { type: 'varchar', length: 10 },
    previousDigest: { name: 'previous_digest', type: 'varchar', length: 64, nullable: true, unique: true },
    previousPrefix: { name: 'previous_prefix', type: 'varchar', length: 10, nullable: true },
    previousValidUntil: { name: 'previous_valid_until', type: 'datetime', precision: 3, nullable: true },
    rolledAt: { name: 'rolled_at', type: 'datetime', precision: 3, nullable: true },
    allowedIps: { name: 'allowed_ips', type: 'varchar', length: 1000, default: '' },
    seenNetworks: { name: 'seen_networks', type: 'varchar', length: 1000, default: '' },
    status: { type: 'varchar', length: 16 },
    disabledAt: { name: 'disabled_at', type: 'datetime', precision: 3, nullable: true },
    disabledByUserId: { name: 'disabled_by_user_id', type: 'varchar', length: 36, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
    lastUsedAt: { name: 'last_used_at', type: 'datetime', precision: 3, nullable: true },
    lastUsedIp: { name: 'last_used_ip', type: 'varchar', length: 45, nullable: true },
    deletedAt: { name: 'deleted_at', type: 'datetime', precision: 3, nullable: true },
    deletedByUserId: { name: 'deleted_by_user_id', type: 'varchar', length: 36, nullable: true },
    deletionReason: { name: 'deletion_reason', type: 'varchar', length: 32, nullable: true },
  },
});
