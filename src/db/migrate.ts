import type { Logger } from '../logger';
import { createDataSource } from './data-source';
import { connectClient } from './pool';

/** Arbitrary but fixed: the advisory lock that serialises migrations between processes. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies the committed migrations that are not yet applied, each in its own transaction. Processes
 * starting together (several replicas, the service and `npm run db:migrate`) take turns.
 */
export async function runMigrations(url: string, log: Logger): Promise<string[]> {
  const lock = await connectClient({ connectionString: url, application_name: 'media-graph migration lock' });
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) log.info({ migration: migration.name }, 'migration applied');
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/**
 * The SQL that would bring the database in line with the entities; empty when the migrations and the
 * entities agree. What `npm run db:generate` writes, and what the drift test expects to be empty.
 */
export async function pendingSchemaChanges(url: string, entities: Function[]): Promise<{ up: string[]; down: string[] }> {
  const dataSource = createDataSource(url, entities);
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((q) => q.query),
      down: sql.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await dataSource.destroy();
  }
}
