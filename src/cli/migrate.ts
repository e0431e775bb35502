import { createDataSource } from '../db/index.js';
import type { Config } from '../config/index.js';

/** `tollbooth migrate`: applies pending migrations and lists what ran. */
export async function migrateCommand(config: Config): Promise<void> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length === 0) {
      console.log('Database is up to date.');
    } else {
      for (const migration of applied) console.log(`Applied ${migration.name}`);
    }
  } finally {
    await dataSource.destroy();
  }
}
