import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The first schema. Written with TypeORM's schema builder rather than raw SQL so the same
 * migration runs on MySQL 8 / MariaDB and on the embedded SQLite.
 */
const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true } as const;
const increment = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' } as const;
const timestamp = (name: string, isNullable = false) => ({ name, type: 'datetime', precision: 3, isNullable });
const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
const foreignKey = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'organizations',
        columns: [id, text('slug', 64), text('name', 200), timestamp('created_at')],
        indices: [new TableIndex({ name: 'organizations_slug', columnNames: ['slug'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [id, text('email', 254), text('password_hash', 255), timestamp('created_at')],
        indices: [new TableIndex({ name: 'users_email', columnNames: ['email'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [id, text('user_id', 36), text('organization_id', 36), text('role', 16), timestamp('created_at')],
        indices: [
          new TableIndex({ name: 'memberships_user_org', columnNames: ['user_id', 'organization_id'], isUnique: true }),
          new TableIndex({ name: 'memberships_org', columnNames: ['organization_id'] }),
        ],
        foreignKeys: [foreignKey('user_id', 'users'), foreignKey('organization_id', 'organizations')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'platform_tokens',
        columns: [
          id,
          text('user_id', 36),
          text('organization_id', 36),
          text('service_id', 40),
          text('role', 16),
          text('scopes', 1000),
          text('name', 100),
          { ...text('description', 500), default: "''" },
          { name: 'digest', type: 'varchar', length: '64' },
          text('prefix', 10),
          text('status', 16),
          timestamp('created_at'),
          timestamp('expires_at'),
          timestamp('last_used_at', true),
          text('last_used_ip', 45, true),
          timestamp('deleted_at', true),
        ],
        indices: [
          // The exchange looks a token up by digest: one unique index read.
          new TableIndex({ name: 'platform_tokens_digest', columnNames: ['digest'], isUnique: true }),
          // The cap counts a user's live tokens; "my tokens" lists them.
          new TableIndex({ name: 'platform_tokens_user_status', columnNames: ['user_id', 'status'] }),
          new TableIndex({ name: 'platform_tokens_org', columnNames: ['organization_id', 'created_at'] }),
          // Expiry notices scan by expiry.
          new TableIndex({ name: 'platform_tokens_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [foreignKey('user_id', 'users'), foreignKey('organization_id', 'organizations')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { ...id, length: '64' },
          text('algorithm', 16),
          text('state', 16),
          { name: 'public_jwk', type: 'text' },
          { name: 'encrypted_private_jwk', type: 'text' },
          timestamp('created_at'),
          timestamp('activated_at', true),
          timestamp('retired_at', true),
        ],
        indices: [new TableIndex({ name: 'signing_keys_state', columnNames: ['state'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          increment,
          timestamp('created_at'),
          text('action', 64),
          text('actor_user_id', 36, true),
          text('organization_id', 36, true),
          text('token_id', 36, true),
          text('ip', 45, true),
          text('user_agent', 512, true),
          { name: 'details', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'audit_events_org_time', columnNames: ['organization_id', 'created_at'] }),
          new TableIndex({ name: 'audit_events_token', columnNames: ['token_id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          text('user_id', 36),
          text('csrf_token', 64),
          timestamp('created_at'),
          timestamp('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'sessions_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'sessions_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [foreignKey('user_id', 'users')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'expiry_notices',
        columns: [increment, text('token_id', 36), text('kind', 8), timestamp('claimed_at'), timestamp('sent_at', true)],
        indices: [new TableIndex({ name: 'expiry_notices_token_kind', columnNames: ['token_id', 'kind'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          increment,
          timestamp('created_at'),
          text('recipient', 254),
          text('subject', 255),
          { name: 'body', type: 'text' },
          timestamp('sent_at', true),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'expiry_notices',
      'sessions',
      'audit_events',
      'signing_keys',
      'platform_tokens',
      'memberships',
      'users',
      'organizations',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
