import pg from 'pg';
import type { Queryable } from '../db/pool';
import type { Logger } from '../logger';
import type { DealKind } from './deal.enums';

/**
 * The live deal feed of one process. Every new deal is numbered in `deal_announcement` (the outbox)
 * when its transaction commits, in commit order (migration DealAnnouncements), and PostgreSQL NOTIFYs
 * the `deal_announced` channel, whichever instance or command wrote it. This process LISTENs on one
 * dedicated connection to the primary; a notification only wakes it, and it reads the announcements
 * after the last number it delivered, in order, and hands each to its own subscribers whose filters
 * match. Nothing is shared between processes but PostgreSQL, so every instance's subscribers see every
 * deal exactly once; an instance whose LISTEN connection dropped reads what it missed when it is back.
 *
 * A subscriber may start `after` a number it was given (a deal's `feedCursor`): the announcements
 * between it and what this process delivered last are replayed from the outbox first, then the live
 * ones follow, with no gap and no repeat. Announcements are kept `retentionDays`.
 */

export const DEAL_CHANNEL = 'deal_announced';

/** A new deal, as far as the filters need it; the subscription resolves the rest per event. */
export interface DealEvent {
  /** Its number in the feed (deal_announcement.seq). */
  seq: number;
  rowId: number;
  kind: DealKind;
  studioIds: number[];
}

export interface DealFilter {
  kinds?: ReadonlySet<DealKind>;
  studioId?: number;
}

/** A subscriber that falls this far behind is disconnected rather than buffered without bound. */
const MAX_PENDING = 1_000;
/** Announcements read per statement, when catching up or replaying. */
const PAGE = 200;

const ANNOUNCEMENTS_AFTER = `
  SELECT a.seq, a.deal_id, d.kind, array_remove(array_agg(p.studio_id), NULL) AS studio_ids
    FROM deal_announcement a
    JOIN deal d ON d.id = a.deal_id
    LEFT JOIN deal_party p ON p.deal_id = a.deal_id
   WHERE a.seq > $1 AND ($2::bigint IS NULL OR a.seq <= $2)
   GROUP BY a.seq, a.deal_id, d.kind
   ORDER BY a.seq
   LIMIT ${PAGE}`;

/** A cursor of the feed: where a client resumes (`dealAnnounced(after:)`). Opaque to clients. */
export function feedCursor(seq: number): string {
  return Buffer.from(`deal-feed:${seq}`).toString('base64url');
}

/** The number in a feed cursor, or undefined when it is not one. */
export function parseFeedCursor(cursor: string): number | undefined {
  const match = /^deal-feed:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Why a cursor cannot be resumed from (undefined: it can). */
export type CursorProblem = 'too-old' | 'ahead';

export interface DealFeedOptions {
  /** Days announcements are kept for replay (DEAL_FEED_RETENTION_DAYS). */
  retentionDays?: number;
}

export class DealFeed {
  private readonly subscribers = new Set<Subscriber>();
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 250;
  private reconnecting: NodeJS.Timeout | undefined;
  private pruning: NodeJS.Timeout | undefined;
  private retrying: NodeJS.Timeout | undefined;
  /** The last number delivered (undefined until started). */
  private lastSeq: number | undefined;
  private catchingUp = false;
  private wokenAgain = false;
  readonly retentionDays: number;
  /** Events handed to subscribers, for tests and metrics. */
  delivered = 0;

  constructor(
    private readonly listenUrl: string,
    /** Where announcements are read: the primary (a replica may not have them yet). */
    private readonly db: Queryable,
    private readonly log: Logger,
    options: DealFeedOptions = {},
  ) {
    this.retentionDays = options.retentionDays ?? 7;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Connects and LISTENs, then starts from the last announcement; later losses of the connection are retried. */
  async start(): Promise<void> {
    await this.connect();
    const [row] = await this.db.query<{ last: string | null }>('SELECT max(seq) AS last FROM deal_announcement');
    this.lastSeq = Number(row?.last ?? 0);
    this.wake();
    void this.prune();
    this.pruning = setInterval(() => void this.prune(), 3_600_000);
    this.pruning.unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.listenUrl, application_name: 'media-graph deal feed' });
    client.on('notification', (message) => {
      if (message.channel === DEAL_CHANNEL) this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${DEAL_CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.log.warn({ err: error, retryInMs: this.retryMs }, 'the live deal feed lost its PostgreSQL connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnecting = setTimeout(() => {
      this.connect().then(
        () => {
          this.log.info({ after: this.lastSeq }, 'the live deal feed is listening again; reading the deals announced meanwhile');
          this.wake();
        },
        (error) => {
          this.log.warn({ err: error, retryInMs: this.retryMs }, 'the live deal feed could not reconnect yet');
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.reconnecting.unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnecting);
    clearTimeout(this.retrying);
    clearInterval(this.pruning);
    for (const subscriber of this.subscribers) subscriber.end();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * Reads and delivers the announcements after the last one delivered. One reader at a time: a
   * wake-up during a read makes it read again when it is done. A failed read is retried in a second.
   */
  private wake(): void {
    if (this.lastSeq === undefined || this.stopped) return;
    if (this.catchingUp) {
      this.wokenAgain = true;
      return;
    }
    this.catchingUp = true;
    void (async () => {
      try {
        do {
          this.wokenAgain = false;
          await this.catchUp();
        } while (this.wokenAgain && !this.stopped);
      } catch (error) {
        this.log.error({ err: error, after: this.lastSeq }, 'could not read the announced deals for the live feed; retrying in 1 s');
        clearTimeout(this.retrying);
        this.retrying = setTimeout(() => this.wake(), 1_000);
        this.retrying.unref();
      } finally {
        this.catchingUp = false;
      }
    })();
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const events = await this.announcements(this.lastSeq!, null);
      for (const event of events) {
        this.lastSeq = event.seq;
        for (const subscriber of this.subscribers) {
          if (subscriber.matches(event) && subscriber.push(event, false)) this.delivered++;
        }
      }
      if (events.length < PAGE) return;
    }
  }

  /** Up to PAGE announcements after `after` (and at most `upTo`), in order. */
  private async announcements(after: number, upTo: number | null): Promise<DealEvent[]> {
    const rows = await this.db.query<{ seq: string; deal_id: number; kind: DealKind; studio_ids: number[] }>(ANNOUNCEMENTS_AFTER, [after, upTo]);
    return rows.map((r) => ({ seq: Number(r.seq), rowId: r.deal_id, kind: r.kind, studioIds: r.studio_ids }));
  }

  /** Removes the announcements older than the retention, and remembers the last number removed. */
  private async prune(): Promise<void> {
    try {
      await this.db.query(
        `WITH cut AS (SELECT max(seq) AS seq FROM deal_announcement WHERE announced_at < now() - make_interval(days => $1::int)),
              gone AS (DELETE FROM deal_announcement WHERE seq <= (SELECT seq FROM cut) RETURNING seq)
         UPDATE deal_feed_state SET pruned_through = GREATEST(pruned_through, (SELECT seq FROM cut)) WHERE (SELECT seq FROM cut) IS NOT NULL`,
        [this.retentionDays],
      );
    } catch (error) {
      this.log.warn({ err: error }, 'could not remove the deal feed\'s old announcements; trying again in an hour');
    }
  }

  /** Whether a client can resume after `seq`: not before what retention removed, nor past the last number given. */
  async cursorProblem(seq: number): Promise<CursorProblem | undefined> {
    const [row] = await this.db.query<{ pruned_through: string; last: string | null }>(
      `SELECT s.pruned_through, (SELECT CASE WHEN is_called THEN last_value END FROM deal_announcement_seq_seq) AS last FROM deal_feed_state s`,
    );
    if (seq < Number(row?.pruned_through ?? 0)) return 'too-old';
    if (seq > Number(row?.last ?? 0)) return 'ahead';
    return undefined;
  }

  /**
   * The deals announced from now on that match `filter`, until the iterator is returned; with
   * `after`, first those announced after that number (replayed from the outbox), then the live ones.
   */
  subscribe(filter: DealFilter, after?: number): AsyncIterableIterator<DealEvent> {
    if (this.stopped) throw new Error('the live deal feed is stopped');
    const subscriber = new Subscriber(filter, after ?? 0, () => this.subscribers.delete(subscriber));
    this.subscribers.add(subscriber);
    // Every live event from now on is past what was delivered so far: the replay stops there.
    if (after !== undefined) void this.replay(subscriber, after, this.lastSeq ?? 0);
    return subscriber;
  }

  private async replay(subscriber: Subscriber, after: number, upTo: number): Promise<void> {
    subscriber.hold();
    try {
      let from = after;
      while (from < upTo && !subscriber.ended) {
        const events = await this.announcements(from, upTo);
        for (const event of events) {
          if (subscriber.matches(event) && subscriber.push(event, true)) this.delivered++;
        }
        if (events.length < PAGE) break;
        from = events[events.length - 1].seq;
        await subscriber.room(MAX_PENDING - PAGE);
      }
      subscriber.release();
    } catch (error) {
      this.log.error({ err: error, after }, 'could not replay the deal feed for a subscriber');
      subscriber.fail(new Error('The deal feed could not replay the deals announced after your cursor; subscribe again in a moment.'));
    }
  }
}

/**
 * One subscription's queue of events, as an async iterator. It never hands out an event twice nor
 * one at or before where it started: events are numbered, and the last one handed out is kept.
 * While a replay runs, live events are held back and follow it.
 */
class Subscriber implements AsyncIterableIterator<DealEvent> {
  private readonly pending: DealEvent[] = [];
  private held: DealEvent[] | undefined;
  private waiting: { resolve: (result: IteratorResult<DealEvent>) => void; reject: (error: Error) => void } | undefined;
  private roomWaiter: { below: number; resolve: () => void } | undefined;
  private done = false;
  private failure: Error | undefined;

  constructor(
    private readonly filter: DealFilter,
    /** The number of the last event handed out (or where the subscription started). */
    private last: number,
    private readonly onEnd: () => void,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  matches(event: DealEvent): boolean {
    if (this.filter.kinds && !this.filter.kinds.has(event.kind)) return false;
    if (this.filter.studioId !== undefined && !event.studioIds.includes(this.filter.studioId)) return false;
    return true;
  }

  /** Queues an event (a replayed one, or a live one unless a replay holds them back); false if dropped. */
  push(event: DealEvent, replayed: boolean): boolean {
    if (this.done) return false;
    if (!replayed && this.held) {
      this.held.push(event);
      if (this.held.length > MAX_PENDING) this.end();
      return false;
    }
    if (event.seq <= this.last) return false;
    this.last = event.seq;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return true;
    }
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING) this.end();
    return true;
  }

  /** Live events wait until release(). */
  hold(): void {
    this.held = [];
  }

  /** Hands out the live events held back during a replay (those it did not already give). */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.push(event, false);
  }

  /** Resolves once fewer than `below` events wait to be taken (a replay's back-pressure). */
  room(below: number): Promise<void> {
    if (this.done || this.pending.length < below) return Promise.resolve();
    return new Promise((resolve) => (this.roomWaiter = { below, resolve }));
  }

  /** Ends the subscription with an error for the client. */
  fail(error: Error): void {
    if (this.done) return;
    this.failure = error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = undefined;
      reject(error);
    }
    this.end();
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.pending.length = 0;
    this.held = undefined;
    this.onEnd();
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
    this.roomWaiter?.resolve();
    this.roomWaiter = undefined;
  }

  next(): Promise<IteratorResult<DealEvent>> {
    const event = this.pending.shift();
    if (this.roomWaiter && this.pending.length < this.roomWaiter.below) {
      this.roomWaiter.resolve();
      this.roomWaiter = undefined;
    }
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<DealEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<DealEvent> {
    return this;
  }
}

declare module '../graphql/context' {
  interface Context {
    /** The live deal feed, on WebSocket connections only. */
    feed?: DealFeed;
  }
}
