import { EntitySchema } from 'typeorm';

export interface Session {
  /** SHA-256 of the cookie value; the cookie itself is never stored. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export const SessionEntity = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 36 },
    csrfToken: { name: 'csrf_token', type: 'varchar', length: 64 },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    expiresAt: { name: 'expires_at', type: 'datetime', precision: 3 },
  },
});
