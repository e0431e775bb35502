import { EntitySchema } from 'typeorm';

export interface User {
  id: string;
  /** Stored in canonical form (accounts' `canonicalEmail`), compared exactly (binary collation); unique. */
  email: string;
  /** scrypt hash in PHC-like form, see accounts/password.ts. */
  passwordHash: string;
  createdAt: Date;
}

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    email: { type: 'varchar', length: 254, unique: true },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 255 },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
  },
});
