import type { DataSource } from 'typeorm';
import { canonicalEmail, dummyPasswordHash, verifyPassword } from '../accounts/index.js';
import { UserEntity, type User } from '../db/index.js';

/**
 * Checks an email and password. The email is looked up in its canonical form, compared exactly. Unknown emails are verified against a dummy hash, so the
 * answer takes the same time whether or not the account exists (no user enumeration).
 */
export async function verifyCredentials(dataSource: DataSource, email: string, password: string): Promise<User | null> {
  const user = await dataSource.getRepository(UserEntity).findOneBy({ email: canonicalEmail(email) });
  const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  return user && matches ? user : null;
}
