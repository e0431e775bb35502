import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The same form as accounts' `canonicalEmail`; a migration keeps its own copy, as it never changes once landed. */
function canonical(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}

/**
 * Emails are compared exactly. MySQL's default collations fold case and accents, so `lée@…`
 * found (and could not coexist with) `lee@…`, while the login limits counted the two apart.
 * Stored emails are rewritten to the canonical form first (trimmed, lower-case, NFC), then the
 * column gets the binary collation. SQLite already compares text byte by byte.
 */
export class ExactEmailComparison1765100000000 implements MigrationInterface {
  name = 'ExactEmailComparison1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const users = (await queryRunner.query('SELECT id, email FROM users')) as Array<{ id: string; email: string }>;
    for (const user of users) {
      const email = canonical(user.email);
      if (email !== user.email) await queryRunner.query('UPDATE users SET email = ? WHERE id = ?', [email, user.id]);
    }
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE users MODIFY email varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql') {
      await queryRunner.query('ALTER TABLE users MODIFY email varchar(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    }
  }
}
