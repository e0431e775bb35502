import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The networks a token may be used from: canonical CIDRs separated by spaces (at most 20, 43
 * characters each at most), read by the exchange's one query. Empty, the default, is anywhere.
 */
export class AllowedNetworks1765300100000 implements MigrationInterface {
  name = 'AllowedNetworks1765300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'platform_tokens',
      new TableColumn({ name: 'allowed_ips', type: 'varchar', length: '1000', isNullable: false, default: "''" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('platform_tokens', 'allowed_ips');
  }
}
