import { createHash, randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { isConnectionError, serviceUnavailable } from './failures';
import type { Reads } from './reads';

// `date` columns stay 'YYYY-MM-DD' strings: pg's default turns them into a Date at local midnight,
// which shifts the day in any zone west of UTC. numeric and bigint already stay strings (exact).
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/**
 * The lowest trigram word similarity that still makes a search match (graphql/fuzzy.ts): pg_trgm's
 * default, 0.6, misses one-letter typos in short words ("alibba" is 0.57 of "Alibaba Pictures").
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

/**
 * A pg pool whose sessions run in UTC with search's word similarity threshold, named so they can be
 * told apart in pg_stat_activity.
 * `statementTimeoutMs` makes PostgreSQL itself cancel any statement that runs longer; `waitMs` bounds
 * the wait for a free connection (and for a new one to open). Behind a transaction pooler
 * (`sessionSettings: false`) no startup options are sent, since PgBouncer refuses them: the time zone,
 * the threshold and the statement timeout are then the database's own settings (`ALTER DATABASE ... SET`).
 */
export function createPool(
  url: string,
  size: number,
  applicationName = 'media-graph',
  options: { statementTimeoutMs?: number; waitMs?: number; sessionSettings?: boolean } = {},
): pg.Pool {
  const direct = options.sessionSettings !== false;
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    application_name: applicationName,
    ...(options.sessionSettings === false
      ? {}
      : { options: `-c TimeZone=UTC -c pg_trgm.word_similarity_threshold=${WORD_SIMILARITY_THRESHOLD}${options.statementTimeoutMs ? ` -c statement_timeout=${Math.round(options.statementTimeoutMs)}` : ''}` }),
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.waitMs ?? 0,
  });
  // An idle client losing its connection (database restarted) must not crash the process; the next
  // query gets a fresh connection.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: pg's pool listens for a client's 'error' only while it is idle, and an
  // 'error' event nobody listens to ends the process (kill -9 of PostgreSQL under load did, 7 times in
  // 8). The statement in flight is rejected with the same error, which is where it is handled.
  pool.on('connect', (client) => client.on('error', ignoreClientError));
  // Behind a transaction pooler a prepared statement would be prepared on one backend and run on another.
  if (direct) preparing.add(pool);
  return pool;
}

/** A client's 'error' event is also delivered to its statement in flight, if any: nothing to do here. */
function ignoreClientError(): void {}

/**
 * A connected pg client of its own (a lock, LISTEN, a one-off admin statement), with an 'error'
 * listener from the start: without one, a database that goes away would end the process.
 */
export async function connectClient(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on('error', ignoreClientError);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Pools whose statements are prepared (named): PostgreSQL parses each text once per connection. */
const preparing = new WeakSet<pg.Pool>();
/** Statement texts and their names; past MAX_PREPARED distinct texts, new ones run unnamed. */
const names = new Map<string, string>();
const MAX_PREPARED = 2_000;

/**
 * The statement to send: named when the pool prepares, so each connection parses and plans a text
 * once and then only binds and executes it (what PostGraphile does too). The loaders' texts are few
 * (keys travel as one array parameter), so the set stays small; the cap bounds it anyway.
 */
function statement(pool: pg.Pool, text: string, values: readonly unknown[] | undefined): pg.QueryConfig {
  const wire = values && values.map(numbersAsArrayLiteral);
  if (!preparing.has(pool)) return { text, values: wire };
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_PREPARED) return { text, values: wire };
    name = `mg_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text, values: wire };
}

/**
 * An array of numbers (the keys of a batch: every loader sends one) as PostgreSQL's array literal,
 * `{1,2,3}`, written with one join: the text pg would write, which it builds by appending one element
 * at a time (5x slower for 100 keys). Anything else goes to pg as it is.
 */
function numbersAsArrayLiteral(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  for (const element of value) if (typeof element !== 'number') return value;
  return `{${value.join(',')}}`;
}

/**
 * Runs one statement and gives its rows, through pg's callback form. pg's promise form keeps each
 * statement's result reachable for V8's young-generation collector after it is read, so the rows are
 * copied and promoted: a loop of 5,000 statements on one connection promotes 6 MB per scavenge with
 * the promise form and nothing with this one; in the service, 21 KB per request fewer on Q3.
 */
async function rowsOf<R extends object>(client: pg.ClientBase, config: pg.QueryConfig): Promise<R[]> {
  try {
    return await new Promise<R[]>((resolve, reject) => {
      client.query<R>(config, (error, result) => (error ? reject(error) : resolve(result.rows)));
    });
  } catch (error) {
    // As pg's promise form does: the stack leads back to the statement's caller, not to the socket.
    if (error instanceof Error) Error.captureStackTrace(error);
    throw error;
  }
}

/** What loaders and services need from the database: run one statement, get rows back. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. Retried (from
   * the start) when PostgreSQL aborts it for a serialization failure or a deadlock.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Told the size of each DataLoader batch (one batch, one statement), for the metrics. */
  observeBatch?(loader: string, size: number): void;
}

const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/** What a request's guard wants to know of (and may refuse in) the statements run for it. */
export interface QueryHooks {
  /** Before waiting for a connection; throws to refuse (the deadline passed, the queue is full). */
  beforeConnect?(): void;
  /** A connection (its backend pid) now runs statements for the request. */
  acquired?(pid: number): void;
  /** The connection is done; true asks for it to be closed rather than reused. */
  released?(pid: number): boolean;
}

const pidOf = (client: pg.PoolClient) => (client as unknown as { processID: number }).processID;

/** Runs statements on a pool; `hooks` lets a request bound and cancel its own work. */
export class PoolQueryable implements Queryable {
  constructor(
    readonly pool: pg.Pool,
    private readonly hooks: QueryHooks = {},
  ) {}

  private async connect(): Promise<pg.PoolClient> {
    this.hooks.beforeConnect?.();
    try {
      const client = await this.pool.connect();
      this.hooks.acquired?.(pidOf(client));
      return client;
    } catch (error) {
      throw /timeout exceeded when trying to connect/.test((error as Error).message)
        ? serviceUnavailable('Every database connection is busy and none became free in time; retry in a moment.')
        : serviceUnavailable('The database is unavailable at the moment; retry in a few seconds.');
    }
  }

  private release(client: pg.PoolClient, failure: unknown): void {
    const close = this.hooks.released?.(pidOf(client)) ?? false;
    // A connection that failed, or whose statement may have been cancelled, is not given to anyone else.
    client.release(close || isConnectionError(failure) ? true : undefined);
  }

  async query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    const client = await this.connect();
    let failure: unknown;
    try {
      return await rowsOf<R>(client, statement(this.pool, text, values));
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.release(client, failure);
    }
  }

  /** A read-only transaction (a replica's too: no receipt, nothing to retry), committed after `fn`. */
  async readOnly<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const result = await fn(new ClientQueryable(client, this.pool));
      await client.query('COMMIT');
      this.release(client, undefined);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      this.release(client, error);
      throw error;
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      const receipt = randomUUID();
      let result: T;
      try {
        // One round trip: the transaction and its receipt, by which its fate can be learnt if the
        // connection breaks during COMMIT (below). The token is ours (a UUID): safe in the text.
        await client.query(`BEGIN; INSERT INTO commit_receipt (token) VALUES ('${receipt}')`);
        result = await fn(new ClientQueryable(client, this.pool));
      } catch (error) {
        let failure = error;
        await client.query('ROLLBACK').catch((rollbackError) => {
          failure = rollbackError;
        });
        this.release(client, failure);
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        throw error;
      }
      try {
        await client.query('COMMIT');
      } catch (error) {
        this.release(client, error);
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
        if (isConnectionError(error)) {
          if (await this.committed(receipt, pidOf(client))) return result;
          throw serviceUnavailable('The database went away before this change was saved; nothing was written. Retry in a few seconds.');
        }
        throw error;
      }
      this.release(client, undefined);
      return result;
    }
  }

  /**
   * Whether the transaction of `receipt` committed, for a COMMIT whose answer was lost with its
   * connection: the server may have written the commit and died before saying so. Asked on a new
   * connection (after crash recovery, if the server restarted) for up to COMMIT_CHECK_MS. While the
   * transaction's backend (`pid`) is still busy (only the connection broke, the commit may be under
   * way), a missing receipt is asked again; a server that stays away leaves the outcome unknown, and
   * the error says so rather than claim a failure.
   */
  private async committed(receipt: string, pid: number): Promise<boolean> {
    const deadline = Date.now() + COMMIT_CHECK_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        const { rows } = await this.pool.query<{ committed: boolean; running: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM commit_receipt WHERE token = $1) AS committed,
                  EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $2 AND state <> 'idle') AS running`,
          [receipt, pid],
        );
        if (rows[0].committed) return true;
        if (!rows[0].running) return false;
      } catch {
        // still unreachable
      }
      if (Date.now() + wait > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    throw new GraphQLError(
      `The database went away while this change was being committed and did not come back within ${COMMIT_CHECK_MS / 1000} s to tell whether it was saved. Read the data again before retrying the change.`,
      { extensions: { code: 'SERVICE_UNAVAILABLE', commitOutcome: 'UNKNOWN' } },
    );
  }
}

/** How long a write whose COMMIT lost its connection waits to learn whether it committed. */
export const COMMIT_CHECK_MS = 20_000;

/** Deletes receipts past any COMMIT_CHECK_MS: run every minute by the service. */
export function sweepCommitReceipts(pool: pg.Pool): NodeJS.Timeout {
  const timer = setInterval(() => {
    pool.query(`DELETE FROM commit_receipt WHERE at < now() - interval '5 minutes'`).catch(() => undefined);
  }, 60_000);
  timer.unref();
  return timer;
}

/** A WAL position as PostgreSQL writes it (`pg_lsn`): two hexadecimal numbers, such as 0/3000148. */
export const WAL_POSITION = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

/**
 * Reads on a replica, writes on the primary. Every write goes through `transaction`; from the first
 * one on, the rest of the request reads from the primary too, so it sees its own writes (a replica
 * may lag by a moment), and `writtenAt` is the primary's WAL position after it.
 *
 * A request that carries such a position (`readAfter`, from an earlier write's answer, whichever
 * instance gave it) reads from a replica only if that replica has replayed it: its reads run in one
 * read-only transaction on one replica connection (through PgBouncer and HAProxy, one replica),
 * whose first statement asks `pg_last_wal_replay_lsn()`; a replica behind sends the request's reads
 * to the primary. So a client sees its own writes on every instance.
 */
export class RoutedQueryable implements Queryable {
  /** Statements sent to the replica, for tests and metrics. */
  replicaStatements = 0;
  /** The primary's WAL position after this request's last write. */
  writtenAt: string | undefined;
  /** Whether `readAfter` sent the reads to the primary (no replica connection had replayed it). */
  replicaBehind = false;
  private wrote = false;
  private pinned: Promise<Queryable> | undefined;
  private unpin: (() => void) | undefined;

  constructor(
    private readonly primary: Queryable,
    private readonly replica: PoolQueryable,
    private readonly readAfter?: string,
  ) {}

  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    if (this.wrote) return this.primary.query<R>(text, values);
    if (this.readAfter) {
      return this.readSession().then((db) => {
        if (db !== this.primary) this.replicaStatements++;
        return db.query<R>(text, values);
      });
    }
    this.replicaStatements++;
    return this.replica.query<R>(text, values);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.wrote = true;
    const result = await this.primary.transaction(fn);
    const [row] = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    this.writtenAt = row?.lsn;
    return result;
  }

  /** Ends the replica transaction that `readAfter` holds, if any (the request is answered). */
  release(): void {
    this.unpin?.();
  }

  private readSession(): Promise<Queryable> {
    this.pinned ??= new Promise<Queryable>((resolve, reject) => {
      const done = new Promise<void>((end) => (this.unpin = end));
      this.replica
        .readOnly(async (tx) => {
          const [row] = await tx.query<{ caught_up: boolean | null }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up', [this.readAfter]);
          if (!row?.caught_up) {
            this.replicaBehind = true;
            resolve(this.primary);
            return;
          }
          resolve(tx);
          await done;
        })
        .catch(reject);
    });
    return this.pinned;
  }
}

/**
 * Statements on the one connection of a transaction, one at a time: the loaders of one level of a
 * query ask at once (an X-Read-After request's reads share one replica transaction), and pg's own
 * queue for a busy client is deprecated (gone in pg 9).
 */
class ClientQueryable implements Queryable {
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pool: pg.Pool,
  ) {}

  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    const rows = this.last.then(() => rowsOf<R>(this.client, statement(this.pool, text, values)));
    this.last = rows.catch(() => undefined);
    return rows;
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

  constructor(
    private readonly inner: Queryable,
    private readonly onBatch?: (loader: string, size: number) => void,
    /** Told after each committed transaction: what was read before it may be stale now. */
    private readonly afterWrite?: () => void,
    /** Told of each statement outside transactions: the tables it reads (for the response cache). */
    private readonly reads?: Reads,
  ) {}

  observeBatch(loader: string, size: number): void {
    this.onBatch?.(loader, size);
  }

  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]> {
    this.statements++;
    this.reads?.statement(text);
    return this.inner.query<R>(text, values);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await this.inner.transaction((tx) =>
      fn({
        query: (text, values) => {
          this.statements++;
          return tx.query(text, values);
        },
        transaction: (inner) => tx.transaction(inner),
      }),
    );
    this.afterWrite?.();
    return result;
  }
}
