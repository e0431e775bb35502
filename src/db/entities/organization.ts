import { EntitySchema } from 'typeorm';

export interface Organization {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

export const OrganizationEntity = new EntitySchema<Organization>({
  name: 'Organization',
  tableName: 'organizations',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    slug: { type: 'varchar', length: 64, unique: true },
    name: { type: 'varchar', length: 200 },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
