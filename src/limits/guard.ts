import type pg from 'pg';
import type { QueryHooks } from '../db/pool';
import { serviceUnavailable, timeout } from '../db/failures';

/**
 * The time and resource bounds of one request, over every pool it reads or writes through (the
 * primary's, a replica's). Waiting for a connection is refused at once when `maxQueue` requests
 * already wait on that pool. When the deadline passes, the request's running statements are cancelled
 * in PostgreSQL (pg_cancel_backend, through each server's separate small control pool that is never
 * exhausted) and its further statements refused; the connections involved are closed rather than
 * reused, so a late cancel can never hit another request's statement.
 *
 * Behind a transaction pooler (PgBouncer) a backend pid does not belong to one client, so `cancel`
 * is false there: the deadline still refuses further statements, and the server's own
 * statement_timeout bounds the running one.
 */
export class RequestGuard {
  private readonly active = new Map<string, { pid: number; control: pg.Pool }>();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(
    private readonly deadlineMs: number,
    private readonly maxQueue: number,
    private readonly cancel = true,
  ) {}

  start(): void {
    this.timer = setTimeout(() => this.expire(), this.deadlineMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The hooks for statements run on `pool`, whose server `control` can cancel them. */
  on(pool: pg.Pool, control: pg.Pool, server: string): QueryHooks {
    return {
      beforeConnect: () => {
        if (this.expired) throw timeout(`The request took longer than its deadline of ${this.deadlineMs} ms and was stopped. Ask for less, or retry later.`);
        if (pool.waitingCount >= this.maxQueue) {
          throw serviceUnavailable('The service is busy: too many requests are waiting for the database. Retry in a moment.');
        }
      },
      acquired: (pid) => {
        this.active.set(`${server}:${pid}`, { pid, control });
      },
      released: (pid) => {
        this.active.delete(`${server}:${pid}`);
        return this.expired;
      },
    };
  }

  private expire(): void {
    this.expired = true;
    if (!this.cancel) return;
    for (const { pid, control } of this.active.values()) {
      control.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    }
  }
}
