import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * When a platform token was disabled and by whom, while it stays disabled (both cleared when it
 * is enabled again). Nullable: tokens disabled before this migration have neither. Who disabled
 * it decides who may enable it again: a token someone else disabled (an organization admin or
 * owner) is re-enabled only by an admin or owner.
 */
export class TokenDisabledBy1765700000000 implements MigrationInterface {
  name = 'TokenDisabledBy1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('platform_tokens', [
      new TableColumn({ name: 'disabled_at', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'disabled_by_user_id', type: 'varchar', length: '36', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('platform_tokens', 'disabled_by_user_id');
    await queryRunner.dropColumn('platform_tokens', 'disabled_at');
  }
}
