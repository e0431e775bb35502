import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as tollbooth } from '../support/cli.js';
import { MYSQL_SERVER_URL } from '../support/database.js';
import { useDatabase } from '../support/fixture.js';

// Every test here starts the command as a process, some several times: slow on a busy machine.
describe('tollbooth command', { timeout: 90_000 }, () => {
  const database = useDatabase();

  it('prints help and exits 0', () => {
    const result = tollbooth(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('user create --email E --org SLUG [--role R] [--password-stdin]');
  });

  it('refuses an unknown command with exit code 64', () => {
    const result = tollbooth(['frobnicate']);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('refuses bad configuration with one readable line and a non-zero exit', () => {
    const result = tollbooth(['migrate'], { PORT: 'abc' });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^tollbooth: Invalid configuration: PORT: /);
  });

  it('refuses user create without its required options', () => {
    const result = tollbooth(['user', 'create', '--email', 'x@example.test']);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('missing --org');
  });

  it('migrates MySQL and creates a user and organization that exist in the database', async () => {
    const env = { DATABASE_URL: database.url };
    const migrated = tollbooth(['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toContain('Applied InitialSchema');
    expect(tollbooth(['migrate'], env).stdout).toContain('Database is up to date.');

    const created = tollbooth(
      ['user', 'create', '--email', 'Ops@Example.test', '--password', 'a long enough password', '--org', 'ops-team', '--role', 'admin'],
      env,
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('as admin of ops-team (organization created)');

    const connection = await createConnection(database.url);
    try {
      const [rows] = await connection.query(
        'SELECT u.email, m.role, o.slug, u.password_hash FROM users u JOIN memberships m ON m.user_id = u.id JOIN organizations o ON o.id = m.organization_id',
      );
      expect(rows).toEqual([expect.objectContaining({ email: 'ops@example.test', role: 'admin', slug: 'ops-team' })]);
      const hash = (rows as Array<{ password_hash: string }>)[0]!.password_hash;
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain('a long enough password');
    } finally {
      await connection.end();
    }

    const duplicate = tollbooth(
      ['user', 'create', '--email', 'ops@example.test', '--password', 'a long enough password', '--org', 'ops-team'],
      env,
    );
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
  });

  it('rejects an invalid role and a short password without creating anything', () => {
    const env = { DATABASE_URL: database.url };
    const badRole = tollbooth(
      ['user', 'create', '--email', 'r@example.test', '--password', 'a long enough password', '--org', 'ops-team', '--role', 'emperor'],
      env,
    );
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain('role');
    const shortPassword = tollbooth(['user', 'create', '--email', 'r@example.test', '--password', 'short', '--org', 'ops-team'], env);
    expect(shortPassword.status).toBe(1);
    expect(shortPassword.stderr).toContain('at least 12 characters');
  });

  describe('when the MySQL database does not exist yet', () => {
    // Named like the suite's databases, so .ci/run drops one an interrupted run left behind.
    const name = `tollbooth_test_${randomBytes(6).toString('hex')}`;
    const user = `tb_test_${randomBytes(4).toString('hex')}`;
    const url = new URL(MYSQL_SERVER_URL);
    const databaseExists = async (database: string) => {
      const connection = await createConnection(MYSQL_SERVER_URL);
      try {
        const [rows] = await connection.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [database]);
        return (rows as unknown[]).length === 1;
      } finally {
        await connection.end();
      }
    };
    const withDatabase = (base: URL, database: string) => Object.assign(new URL(base), { pathname: `/${database}` }).toString();

    afterAll(async () => {
      const connection = await createConnection(MYSQL_SERVER_URL);
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await connection.query(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
      } finally {
        await connection.end();
      }
    });

    it('tells a user without the CREATE privilege what to run, and creates nothing', async () => {
      const connection = await createConnection(MYSQL_SERVER_URL);
      try {
        // SELECT on the database-to-be: enough to be told it does not exist, not to create it.
        for (const host of ['%', 'localhost']) {
          await connection.query(`CREATE USER '${user}'@'${host}' IDENTIFIED BY 'not-a-secret-1'`);
          await connection.query(`GRANT SELECT ON \`${name}\`.* TO '${user}'@'${host}'`);
        }
      } finally {
        await connection.end();
      }
      const limited = Object.assign(new URL(url), { username: user, password: 'not-a-secret-1' });
      const refused = tollbooth(['migrate'], { DATABASE_URL: withDatabase(limited, name) });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`Database "${name}" does not exist and this user cannot create it`);
      expect(refused.stderr).toContain(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
      expect(refused.stderr).not.toContain('not-a-secret-1');
      expect(await databaseExists(name)).toBe(false);
    });

    it('creates it (utf8mb4) and migrates it', async () => {
      const migrated = tollbooth(['migrate'], { DATABASE_URL: withDatabase(url, name) });
      expect(migrated.stderr).toBe('');
      expect(migrated.stdout).toContain(`Created database ${name}.`);
      expect(migrated.stdout).toContain('Applied InitialSchema');
      const connection = await createConnection(MYSQL_SERVER_URL);
      try {
        const [rows] = await connection.query(
          'SELECT default_character_set_name AS charset FROM information_schema.schemata WHERE schema_name = ?',
          [name],
        );
        expect(rows).toEqual([{ charset: 'utf8mb4' }]);
        // Every table the server uses comes from migrations, the rate limiter's too: serving needs no CREATE.
        const [tables] = await connection.query(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
          [name],
        );
        expect((tables as Array<{ name: string }>).map((table) => table.name)).toEqual(
          expect.arrayContaining([
            'audit_events',
            'memberships',
            'organizations',
            'platform_tokens',
            'rate_limits',
            'signing_keys',
            'users',
          ]),
        );
      } finally {
        await connection.end();
      }
      expect(tollbooth(['migrate'], { DATABASE_URL: withDatabase(url, name) }).stdout).toBe('Database is up to date.\n');
    });
  });
});
