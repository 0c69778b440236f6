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
  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. Retried (from
   * the start) when PostgreSQL aborts it for a serialization failure or a deadlock.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/** Runs statements on a pool. */
export class PoolQueryable implements Queryable {
  constructor(readonly pool: pg.Pool) {}

  async query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    const result = await this.pool.query<R>(text, values as unknown[]);
    return result.rows;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(new ClientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        throw error;
      } finally {
        // A client whose ROLLBACK failed has a broken connection: drop it rather than reuse it.
        client.release(broken);
      }
    }
  }
}

/** Statements on the one connection of a transaction. */
class ClientQueryable implements Queryable {
  constructor(private readonly client: pg.PoolClient) {}

  async query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    const result = await this.client.query<R>(text, values as unknown[]);
    return result.rows;
  }

  /** Already in a transaction: runs in it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
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

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      fn({
        query: (text, values) => {
          this.statements++;
          return tx.query(text, values);
        },
        transaction: (inner) => tx.transaction(inner),
      }),
    );
  }
}
