import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The table rate-limiter-flexible keeps shared counters in when RATE_LIMIT_STORE=database, in
 * the shape its RateLimiterMySQL expects. Created here, like every other table, so the server
 * never needs the CREATE privilege at run time (the limiter is told the table exists).
 * `IF NOT EXISTS`: before this migration the limiter created the table itself.
 */
export class RateLimits1764100000000 implements MigrationInterface {
  name = 'RateLimits1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'points', type: 'int', default: 0 },
          { name: 'expire', type: 'bigint', unsigned: true, isNullable: true },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limits', true);
  }
}
