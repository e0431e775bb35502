import { EntitySchema } from 'typeorm';

export interface AuditEvent {
  id: number;
  createdAt: Date;
  /** e.g. `token.created`, `session.login_failed`. */
  action: string;
  actorUserId: string | null;
  organizationId: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Small JSON object of extra facts; never a secret. */
  details: string;
}

export const AuditEventEntity = new EntitySchema<AuditEvent>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    action: { type: 'varchar', length: 64 },
    actorUserId: { name: 'actor_user_id', type: 'varchar', length: 36, nullable: true },
    organizationId: { name: 'organization_id', type: 'varchar', length: 36, nullable: true },
    tokenId: { name: 'token_id', type: 'varchar', length: 36, nullable: true },
    ip: { type: 'varchar', length: 45, nullable: true },
    userAgent: { name: 'user_agent', type: 'varchar', length: 512, nullable: true },
    details: { type: 'text' },
  },
});
