import type { DataSource } from 'typeorm';
import { createUser } from '../accounts/index.js';
import { UserEntity } from '../db/index.js';

/** The demo login `npm start` prints; only ever created on request (`serve --demo`). */
export const DEMO_LOGIN = { email: 'demo@tollbooth.local', password: 'tollbooth-demo', organization: 'demo' } as const;

/** Creates the demo organization and its owner once; later starts leave them alone. */
export async function seedDemo(dataSource: DataSource): Promise<{ created: boolean }> {
  const existing = await dataSource.getRepository(UserEntity).findOneBy({ email: DEMO_LOGIN.email });
  if (existing) return { created: false };
  await createUser(dataSource, { ...DEMO_LOGIN, role: 'owner' });
  return { created: true };
}
