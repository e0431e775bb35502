import { EntitySchema } from 'typeorm';
import type { Role } from '../../accounts/index.js';

export interface Membership {
  id: string;
  userId: string;
  organizationId: string;
  role: Role;
  createdAt: Date;
}

export const MembershipEntity = new EntitySchema<Membership>({
  name: 'Membership',
  tableName: 'memberships',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 36 },
    organizationId: { name: 'organization_id', type: 'varchar', length: 36 },
    role: { type: 'varchar', length: 16 },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
