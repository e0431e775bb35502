import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/index.js';
import { UserEntity } from '../../src/db/index.js';
import { UserExists } from '../../src/errors/index.js';
import { POLICIES } from '../../src/limits/index.js';
import { expectProblem } from '../support/api.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';

const PASSWORD = 'correct-horse-battery';

/** A fresh local part for each test, so accounts and their limits never meet. */
const unique = (stem: string) => `${stem}-${randomBytes(3).toString('hex')}`;

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('email spellings on %s', (database) => {
  const server = useServer({ database });

  async function account(email: string) {
    return createUser(server.dataSource, { email, password: PASSWORD, organization: 'spellings' });
  }

  async function failUntilBlocked(email: string) {
    const client = server.client();
    for (let attempt = 0; attempt <= POLICIES.loginByAccount.failures; attempt += 1) {
      expect((await client.post('/api/session', { email, password: `wrong-${attempt}-password` })).status).toBe(401);
    }
  }

  it.each([
    ['upper case', (local: string) => `${local.toUpperCase()}@EXAMPLE.TEST`],
    ['mixed case and spaces', (local: string) => `  ${local[0]!.toUpperCase()}${local.slice(1)}@Example.Test `],
  ])('signs in with the email in %s', async (_case, spell) => {
    const local = unique('sam');
    await account(`${local}@example.test`);
    expect((await server.client().post('/api/session', { email: spell(local), password: PASSWORD })).status).toBe(200);
  });

  it('keeps a locked account locked for every spelling that finds it', async () => {
    const local = unique('lee');
    await account(`${local}@example.test`);
    await failUntilBlocked(`${local}@example.test`);
    for (const email of [`${local.toUpperCase()}@example.test`, `${local}@Example.Test`, ` ${local}@example.test `]) {
      expectProblem(await server.client().post('/api/session', { email, password: PASSWORD }), 429, 'rate_limited');
    }
  }, 120_000);

  it('treats an accented spelling as another address: it neither signs in nor escapes the lockout', async () => {
    const local = unique('lee');
    await account(`${local}@example.test`);
    await failUntilBlocked(`${local}@example.test`);
    const accented = `${local.replace('e', 'é')}@example.test`;
    expectProblem(await server.client().post('/api/session', { email: accented, password: PASSWORD }), 401, 'invalid_credentials');
  }, 120_000);

  it('refuses a second account whose email differs only in case or surrounding spaces', async () => {
    const local = unique('kim');
    await account(`${local}@example.test`);
    await expect(account(`${local.toUpperCase()}@example.test`)).rejects.toBeInstanceOf(UserExists);
    await expect(account(` ${local}@Example.Test`)).rejects.toBeInstanceOf(UserExists);
  });

  it('compares stored emails exactly, as the login does: an accented address is another row', async () => {
    const local = unique('kim');
    const plain = await account(`${local}@example.test`);
    const users = server.dataSource.getRepository(UserEntity);
    const accented = `${local.replace('i', 'í')}@example.test`;
    await users.insert({ id: randomUUID(), email: accented, passwordHash: plain.user.passwordHash, createdAt: new Date() });
    expect((await users.findOneBy({ email: `${local}@example.test` }))?.id).toBe(plain.user.id);
    expect((await users.findOneBy({ email: accented }))?.id).not.toBe(plain.user.id);
  });
});
