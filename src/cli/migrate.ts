import { openAndMigrate } from '../db/index.js';
import type { Config } from '../config/index.js';

/** `tollbooth migrate`: creates a missing MySQL database, applies pending migrations and lists what ran. */
export async function migrateCommand(config: Config): Promise<void> {
  const { dataSource, createdDatabase, applied } = await openAndMigrate(config.database, { migrate: true });
  await dataSource.destroy();
  if (createdDatabase) console.log(`Created database ${createdDatabase}.`);
  if (applied.length === 0) console.log('Database is up to date.');
  for (const name of applied) console.log(`Applied ${name}`);
}
