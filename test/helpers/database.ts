import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { createPool, PoolQueryable } from '../../src/db/pool';
import { articleSeed } from '../../src/seed/article';
import { applySeed } from '../../src/seed/seed';
import { withDatabase } from '../../src/db/server';
import { createLogger } from '../../src/logger';

export const silentLog = createLogger('silent', 'test');

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  queryable: PoolQueryable;
  /** Drops the database (closing the pool first). */
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.MG_TEST_SERVER_URL;
  if (!url) throw new Error('MG_TEST_SERVER_URL is not set: run the tests through jest (its globalSetup starts PostgreSQL).');
  return url;
}

/**
 * A fresh database for one test file on the run's PostgreSQL, migrated with the committed
 * migrations, and seeded with the article unless `seed: false`.
 */
export async function createTestDatabase(options: { seed?: boolean; migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `mg_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl(), name);
  if (options.migrate !== false) await runMigrations(url, silentLog);
  const pool = createPool(url, 5, 'media-graph test');
  if (options.seed !== false && options.migrate !== false) await applySeed(pool, articleSeed);
  return {
    name,
    url,
    pool,
    queryable: new PoolQueryable(pool),
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
