import pg from 'pg';

// `date` columns stay 'YYYY-MM-DD' strings: pg's default turns them into a Date at local midnight,
// which shifts the day in any zone west of UTC. numeric and bigint already stay strings (exact).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** A pg pool whose sessions run in UTC, named so they can be told apart in pg_stat_activity. */
export function createPool(url: string, size: number, applicationName = 'media-graph'): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    application_name: applicationName,
    options: '-c TimeZone=UTC',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restarted) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => undefined);
  return pool;
}

/** What loaders and services need from the database: run one statement, get rows back. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Runs statements on a pool. */
export class PoolQueryable implements Queryable {
  constructor(readonly pool: pg.Pool) {}

  async query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    const result = await this.pool.query<R>(text, values as unknown[]);
    return result.rows;
  }
}

/**
 * Counts the statements sent on behalf of one request; tests assert the count, and it is how N+1
 * shows up before it reaches production.
 */
export class CountingQueryable implements Queryable {
  statements = 0;

  constructor(private readonly inner: Queryable) {}

  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    this.statements++;
    return this.inner.query<R>(text, values);
  }
}
