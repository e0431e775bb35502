import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The networks a token has been exchanged from (IPv4 /24, IPv6 /48), compact keys separated by
 * spaces, oldest first, at most 60. Read by the exchange's one query; written only when a
 * network is new, so the owner can be told once per network.
 */
export class SeenNetworks1765300200000 implements MigrationInterface {
  name = 'SeenNetworks1765300200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'platform_tokens',
      new TableColumn({ name: 'seen_networks', type: 'varchar', length: '1000', isNullable: false, default: "''" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('platform_tokens', 'seen_networks');
  }
}
