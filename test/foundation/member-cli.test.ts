import { beforeAll, describe, expect, it } from 'vitest';
import { AuditEventEntity, MembershipEntity, PlatformTokenEntity, TokenRevocationEntity } from '../../src/db/index.js';
import { runCli as tollbooth } from '../support/cli.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';

// Every test here starts the command as a process, some several times: slow on a busy machine.
describe('tollbooth member', { timeout: 90_000 }, () => {
  const database = useDatabase({ migrate: true });
  const env = () => ({ DATABASE_URL: database.url });
  const roleOf = async (userId: string, organizationId: string) =>
    (await database.dataSource.getRepository(MembershipEntity).findOneBy({ userId, organizationId }))?.role;

  it('prints the usage of both commands', () => {
    expect(tollbooth(['--help']).stdout).toContain('member role --org SLUG --email E --role R');
    const help = tollbooth(['member', 'remove', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: tollbooth member remove --org SLUG --email E');
  });

  it('lowers a role, revoking the tokens above it, then removes the member, deleting their tokens', async () => {
    const { dataSource } = database;
    const member = await buildUser(dataSource, { organization: 'cli-members', role: 'manager' });
    await buildUser(dataSource, { organization: 'cli-members', role: 'owner' });
    const above = await buildToken(dataSource, member, { role: 'manager' });
    const within = await buildToken(dataSource, member, { role: 'viewer' });

    const lowered = tollbooth(['member', 'role', '--org', 'cli-members', '--email', member.email.toUpperCase(), '--role', 'member'], env());
    expect(lowered.stderr).toBe('');
    expect(lowered.status).toBe(0);
    expect(lowered.stdout).toBe(`${member.email} is now member of cli-members. 1 token(s) revoked: ${above.id}.\n`);
    expect(await roleOf(member.id, member.organizationId)).toBe('member');
    expect(await dataSource.getRepository(TokenRevocationEntity).findOneBy({ tokenId: above.id })).toMatchObject({
      reason: 'role_lowered',
    });
    expect(await dataSource.getRepository(TokenRevocationEntity).findOneBy({ tokenId: within.id })).toBeNull();

    const removed = tollbooth(['member', 'remove', '--org', 'cli-members', '--email', member.email], env());
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain(`Removed ${member.email} (member) from cli-members. 2 token(s) deleted`);
    expect(await roleOf(member.id, member.organizationId)).toBeUndefined();
    const tokens = await dataSource.getRepository(PlatformTokenEntity).findBy({ userId: member.id });
    expect(tokens.map((token) => token.deletionReason)).toEqual(['member_removed', 'member_removed']);
    const event = await dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ action: 'member.removed', organizationId: member.organizationId });
    expect(event.actorUserId).toBeNull();
    expect(JSON.parse(event.details)).toMatchObject({ user: member.id, via: 'cli' });
  });

  let sole: BuiltUser;
  beforeAll(async () => {
    sole = await buildUser(database.dataSource, { organization: 'cli-sole', role: 'owner' });
  });

  it.each<[string, string[], number, string]>([
    ['the last owner', ['member', 'remove', '--org', 'cli-sole', '--email', 'OWNER'], 1, 'only owner'],
    ['demoting the last owner', ['member', 'role', '--org', 'cli-sole', '--email', 'OWNER', '--role', 'admin'], 1, 'only owner'],
    ['an unknown email', ['member', 'remove', '--org', 'cli-sole', '--email', 'nobody@example.test'], 1, 'is not a member of cli-sole'],
    ['an unknown organization', ['member', 'remove', '--org', 'no-such-org', '--email', 'OWNER'], 1, "No organization 'no-such-org'"],
    [
      'a role that does not exist',
      ['member', 'role', '--org', 'cli-sole', '--email', 'OWNER', '--role', 'emperor'],
      64,
      '--role must be one of',
    ],
    ['a missing --email', ['member', 'remove', '--org', 'cli-sole'], 64, 'missing --email'],
    ['a missing --role', ['member', 'role', '--org', 'cli-sole', '--email', 'OWNER'], 64, 'missing --role'],
  ])('refuses %s, changing nothing', async (_case, args, status, message) => {
    const result = tollbooth(
      args.map((arg) => (arg === 'OWNER' ? sole.email : arg)),
      env(),
    );
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(message);
    expect(await roleOf(sole.id, sole.organizationId)).toBe('owner');
  });
});
