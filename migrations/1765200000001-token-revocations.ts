import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Per-token "not before" times: a JWT of the token issued before `not_before` is dead. One row
 * per token (a later revocation moves the time forward). The revocation feed reads the rows of
 * the last hours by `not_before`, hence the index.
 */
export class TokenRevocations1765200000001 implements MigrationInterface {
  name = 'TokenRevocations1765200000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'token_revocations',
        columns: [
          { name: 'token_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'not_before', type: 'datetime', precision: 3 },
          { name: 'reason', type: 'varchar', length: '32' },
        ],
        indices: [new TableIndex({ name: 'token_revocations_not_before', columnNames: ['not_before'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('token_revocations');
  }
}
