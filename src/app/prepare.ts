import type { Logger } from '../logger';
import { runMigrations } from '../db/migrate';
import { createPool } from '../db/pool';
import { articleSeed } from '../seed/article';
import { applySeed, type SeedResult } from '../seed/seed';

/** The seeds every embedded database gets: the article's facts. */
export const SEEDS = [articleSeed];

/**
 * Makes a database ready for the service or a command: the migrations, and on the embedded
 * PostgreSQL every seed not yet applied at its version (the seed history records them), whatever the
 * catalogue already holds. So `npm run import -- movies` on a fresh DATA_DIR keeps the article's
 * facts, and the import finds them to match against. With DATABASE_URL the seeds are the operator's:
 * `npm run db:seed`.
 */
export async function prepareDatabase(url: string, options: { embedded: boolean; log: Logger; migrationsUrl?: string }): Promise<SeedResult[]> {
  await runMigrations(options.migrationsUrl ?? url, options.log);
  if (!options.embedded) return [];
  const pool = createPool(url, 2, 'media-graph seed');
  try {
    const results: SeedResult[] = [];
    for (const seed of SEEDS) {
      const result = await applySeed(pool, seed);
      if (result.applied) options.log.info({ seed: result.name, version: result.version, previousVersion: result.previousVersion }, `applied the ${result.name} seed, version ${result.version}, which this database had not had`);
      results.push(result);
    }
    return results;
  } finally {
    await pool.end();
  }
}
