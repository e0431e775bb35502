import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Locks that hold across a cluster: a transaction takes one by writing its row (bumping
 * `version`), so on a Galera cluster certification orders the holders, where a node-local
 * GET_LOCK or SELECT … FOR UPDATE would not. Rows appear on first use, one per lock name
 * (`signing-keys`, one per user for the token cap).
 */
export class Locks1765000000000 implements MigrationInterface {
  name = 'Locks1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'locks',
        columns: [
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'version', type: 'bigint', default: 0 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('locks');
  }
}
