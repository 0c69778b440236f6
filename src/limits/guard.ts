import type pg from 'pg';
import type { QueryHooks } from '../db/pool';
import { serviceUnavailable, timeout } from '../db/failures';

/**
 * The time and resource bounds of one request. Waiting for a connection is refused at once when
 * `maxQueue` requests already wait. When the deadline passes, the request's running statements are
 * cancelled in PostgreSQL (pg_cancel_backend, through a separate small pool that is never exhausted)
 * and its further statements refused; the connections involved are closed rather than reused, so
 * a late cancel can never hit another request's statement.
 */
export class RequestGuard implements QueryHooks {
  private readonly active = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly control: pg.Pool,
    private readonly deadlineMs: number,
    private readonly maxQueue: number,
  ) {}

  start(): void {
    this.timer = setTimeout(() => this.expire(), this.deadlineMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  beforeConnect(): void {
    if (this.expired) throw timeout(`The request took longer than its deadline of ${this.deadlineMs} ms and was stopped. Ask for less, or retry later.`);
    if (this.pool.waitingCount >= this.maxQueue) {
      throw serviceUnavailable('The service is busy: too many requests are waiting for the database. Retry in a moment.');
    }
  }

  acquired(pid: number): void {
    this.active.add(pid);
  }

  released(pid: number): boolean {
    this.active.delete(pid);
    return this.expired;
  }

  private expire(): void {
    this.expired = true;
    for (const pid of this.active) {
      this.control.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    }
  }
}
