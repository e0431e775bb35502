import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rolling a token: the secret it replaced keeps working for a grace period. Its digest sits
 * beside the current one, unique like it, so the exchange still finds a token by either
 * secret in its one indexed read; at most one previous secret per token.
 */
export class TokenRoll1765300000000 implements MigrationInterface {
  name = 'TokenRoll1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('platform_tokens', [
      new TableColumn({ name: 'previous_digest', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'previous_prefix', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'previous_valid_until', type: 'datetime', precision: 3, isNullable: true }),
      new TableColumn({ name: 'rolled_at', type: 'datetime', precision: 3, isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'platform_tokens',
      new TableIndex({ name: 'platform_tokens_previous_digest', columnNames: ['previous_digest'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('platform_tokens', 'platform_tokens_previous_digest');
    for (const column of ['rolled_at', 'previous_valid_until', 'previous_prefix', 'previous_digest']) {
      await queryRunner.dropColumn('platform_tokens', column);
    }
  }
}
