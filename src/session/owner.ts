import type { DataSource } from 'typeorm';
import { UserEntity } from '../db/index.js';
import { organizationsOf, type SessionOrganization } from './organizations.js';

/** Who a session belongs to: the user and the organizations they are in, with their role in each. */
export interface SessionOwner {
  user: { id: string; email: string };
  organizations: SessionOrganization[];
}

export async function sessionOwner(dataSource: DataSource, userId: string): Promise<SessionOwner> {
  const user = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
  return { user: { id: user.id, email: user.email }, organizations: await organizationsOf(dataSource, userId) };
}
