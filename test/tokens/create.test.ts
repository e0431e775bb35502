import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { TollboothError } from '../../src/errors/index.js';
import {
  createPlatformToken,
  deleteToken,
  digestPlatformToken,
  isWellFormedPlatformToken,
  setTokenStatus,
  TOKEN_CAP,
} from '../../src/tokens/index.js';
import { addMembership, buildExpiredToken, buildToken, buildUser, defaultServices } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const noRequest = { actorUserId: null, ip: null, userAgent: null };

async function failure(promise: Promise<unknown>): Promise<TollboothError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TollboothError);
  return error as TollboothError;
}

describe('creating platform tokens (domain)', () => {
  const database = useDatabase({ migrate: true });
  let dataSource: DataSource;

  beforeAll(() => {
    dataSource = database.dataSource;
  });

  it('returns a well-formed secret once and stores only its digest and first 10 characters', async () => {
    const user = await buildUser(dataSource);
    const { id, secret } = await buildToken(dataSource, user);
    expect(isWellFormedPlatformToken(secret)).toBe(true);
    const row = await dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id });
    expect(row.digest).toBe(digestPlatformToken(secret));
    expect(row.prefix).toBe(secret.slice(0, 10));
    const columns = await dataSource.query('SELECT * FROM platform_tokens WHERE id = ?', [id]);
    expect(JSON.stringify(columns)).not.toContain(secret.slice(10));
  });

  it('expires exactly 730 days after creation and carries every scope of its service', async () => {
    const user = await buildUser(dataSource);
    const now = new Date('2026-01-15T10:00:00.000Z');
    const { token } = await buildToken(dataSource, user, { service: 'tms', now });
    expect(token.createdAt.toISOString()).toBe(now.toISOString());
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBe(730 * DAY_MS);
    expect(token.scopes).toBe('tms.read tms.write');
  });

  it("defaults the role to the creator's and refuses a higher one", async () => {
    const manager = await buildUser(dataSource, { role: 'manager' });
    expect((await buildToken(dataSource, manager)).token.role).toBe('manager');
    expect((await buildToken(dataSource, manager, { role: 'viewer' })).token.role).toBe('viewer');
    const error = await failure(buildToken(dataSource, manager, { role: 'admin' }));
    expect([error.code, error.status]).toEqual(['role_exceeds_membership', 403]);
  });

  it('uses the role the creator holds in the organization the token is for', async () => {
    const user = await buildUser(dataSource, { organization: 'first-org', role: 'viewer' });
    await addMembership(dataSource, user.id, 'second-org', 'owner');
    const second = await dataSource.query("SELECT id FROM organizations WHERE slug = 'second-org'");
    const { token } = await buildToken(dataSource, { id: user.id, organizationId: second[0].id });
    expect(token.role).toBe('owner');
    const error = await failure(buildToken(dataSource, user, { role: 'owner' }));
    expect(error.code).toBe('role_exceeds_membership');
  });

  it('refuses an unknown service', async () => {
    const user = await buildUser(dataSource);
    const unknown = await failure(buildToken(dataSource, user, { service: 'nope' }));
    expect([unknown.code, unknown.status]).toEqual(['unknown_service', 400]);
  });

  it.each([
    ['a blank name', '   '],
    ['a 101-character name', 'x'.repeat(101)],
    ['a tab in the name', 'tab\there'],
    ['a bidirectional override in the name', 'bidi\u202Eevil'],
  ])('refuses %s with 400 invalid_request', async (_case, name) => {
    const user = await buildUser(dataSource);
    const error = await failure(buildToken(dataSource, user, { name }));
    expect([error.code, error.status]).toEqual(['invalid_request', 400]);
  });

  it('trims the name and accepts 100 characters', async () => {
    const user = await buildUser(dataSource);
    const trimmed = await buildToken(dataSource, user, { name: `  ${'é'.repeat(100)}  ` });
    expect(trimmed.token.name).toBe('é'.repeat(100));
  });

  it('refuses a user outside the organization', async () => {
    const user = await buildUser(dataSource, { organization: 'inside' });
    const other = await buildUser(dataSource, { organization: 'outside' });
    const error = await failure(buildToken(dataSource, { id: user.id, organizationId: other.organizationId }));
    expect([error.code, error.status]).toEqual(['organization_not_found', 404]);
  });

  it('caps live tokens at 20 per user across organizations; disabled ones count, expired and deleted ones do not', async () => {
    const user = await buildUser(dataSource, { organization: 'cap-one' });
    await addMembership(dataSource, user.id, 'cap-two', 'member');
    const [two] = await dataSource.query("SELECT id FROM organizations WHERE slug = 'cap-two'");
    const actor = { userId: user.id, organizationId: user.organizationId, role: user.role };
    await buildExpiredToken(dataSource, user);
    const created = [];
    for (let index = 0; index < TOKEN_CAP; index += 1) {
      created.push(await buildToken(dataSource, index % 2 ? user : { id: user.id, organizationId: two.id }));
    }
    await setTokenStatus(dataSource, actor, created[1]!.id, 'disabled', noRequest);
    const full = await failure(buildToken(dataSource, user));
    expect([full.code, full.status, full.extra]).toEqual(['token_limit_reached', 409, { limit: 20 }]);
    await deleteToken(dataSource, actor, created[3]!.id, noRequest);
    await expect(buildToken(dataSource, user)).resolves.toMatchObject({ secret: expect.stringMatching(/^tbp_/) });
    await expect(failure(buildToken(dataSource, user))).resolves.toMatchObject({ code: 'token_limit_reached' });
  });

  it('is reachable without HTTP, as the CLI and benchmarks use it', async () => {
    const user = await buildUser(dataSource);
    const created = await createPlatformToken(dataSource, {
      services: defaultServices(),
      userId: user.id,
      organizationId: user.organizationId,
      service: 'platform',
      name: 'ci',
    });
    expect(created.token).toMatchObject({
      serviceId: 'platform',
      scopes: 'tokens.read tokens.write',
      status: 'active',
      ownerEmail: user.email,
    });
  });
});
