import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Who deleted a platform token and why. Both nullable: rows deleted before this migration have
 * neither, and a leak report deletes a token with no signed-in person behind it.
 * `deletion_reason` is a short code (`deleted`, `leaked`, `member_removed`, …), not free text.
 */
export class TokenDeletionDetails1765200000000 implements MigrationInterface {
  name = 'TokenDeletionDetails1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('platform_tokens', [
      new TableColumn({ name: 'deleted_by_user_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'deletion_reason', type: 'varchar', length: '32', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('platform_tokens', 'deletion_reason');
    await queryRunner.dropColumn('platform_tokens', 'deleted_by_user_id');
  }
}
