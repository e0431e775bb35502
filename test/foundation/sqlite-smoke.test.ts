import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/index.js';
import { UserEntity } from '../../src/db/index.js';
import { DEMO_LOGIN, seedDemo } from '../../src/demo/seed.js';
import { useServer } from '../support/fixture.js';

describe('embedded SQLite default', () => {
  const server = useServer({ database: 'sqlite' });

  it('runs on SQLite with the migrations applied', async () => {
    expect(server.config.database.kind).toBe('sqlite');
    expect(await server.dataSource.showMigrations()).toBe(false);
    const response = await server.client().get('/readyz');
    expect(response.status).toBe(200);
  });

  it('seeds the demo login once', async () => {
    expect(await seedDemo(server.dataSource)).toEqual({ created: true });
    expect(await seedDemo(server.dataSource)).toEqual({ created: false });
    const users = await server.dataSource.getRepository(UserEntity).findBy({ email: DEMO_LOGIN.email });
    expect(users).toHaveLength(1);
  });

  it('refuses a second user with the same email, whatever its case', async () => {
    await createUser(server.dataSource, { email: 'same@example.test', password: 'long enough password', organization: 'acme' });
    await expect(
      createUser(server.dataSource, { email: 'SAME@example.test', password: 'long enough password', organization: 'acme' }),
    ).rejects.toMatchObject({ code: 'user_exists', status: 409 });
  });
});
