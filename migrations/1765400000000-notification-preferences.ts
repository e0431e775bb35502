import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which mails a person wants: expiry notices and new-network alerts, both on unless they say
 * otherwise, so the table holds only people who changed something. Expiry notices also go to
 * an organization's admins and owners now, so a notice is claimed once per recipient: the
 * claim's unique key gains the recipient, and the claims made so far (all to the token's
 * owner) are given the owner.
 */
export class NotificationPreferences1765400000000 implements MigrationInterface {
  name = 'NotificationPreferences1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'expiry_notices', type: 'boolean', default: 1 },
          { name: 'new_network_alerts', type: 'boolean', default: 1 },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.addColumn(
      'expiry_notices',
      new TableColumn({ name: 'recipient_user_id', type: 'varchar', length: '36', default: "''" }),
    );
    await queryRunner.query(
      `UPDATE expiry_notices
          SET recipient_user_id = COALESCE((SELECT t.user_id FROM platform_tokens t WHERE t.id = expiry_notices.token_id), '')`,
    );
    await queryRunner.dropIndex('expiry_notices', 'expiry_notices_token_kind');
    await queryRunner.createIndex(
      'expiry_notices',
      new TableIndex({
        name: 'expiry_notices_token_kind_recipient',
        columnNames: ['token_id', 'kind', 'recipient_user_id'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('expiry_notices', 'expiry_notices_token_kind_recipient');
    // Only the owner's claims fit the old key.
    await queryRunner.query(
      `DELETE FROM expiry_notices
        WHERE recipient_user_id <> COALESCE((SELECT t.user_id FROM platform_tokens t WHERE t.id = expiry_notices.token_id), '')`,
    );
    await queryRunner.createIndex(
      'expiry_notices',
      new TableIndex({ name: 'expiry_notices_token_kind', columnNames: ['token_id', 'kind'], isUnique: true }),
    );
    await queryRunner.dropColumn('expiry_notices', 'recipient_user_id');
    await queryRunner.dropTable('notification_preferences');
  }
}
