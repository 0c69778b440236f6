import pg from 'pg';
import type { Queryable } from '../db/pool';
import type { Logger } from '../logger';
import type { DealKind } from './deal.enums';

/**
 * The live deal feed of one process. PostgreSQL announces every new deal on the `deal_announced`
 * channel (a trigger on the deal table, fired at commit, whichever instance or command wrote it);
 * this process LISTENs on one dedicated connection to the primary and hands each deal to its own
 * subscribers whose filters match. Nothing is shared between processes but PostgreSQL, so every
 * instance's subscribers see every deal exactly once.
 */

export const DEAL_CHANNEL = 'deal_announced';

/** A new deal, as far as the filters need it; the subscription resolves the rest per event. */
export interface DealEvent {
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

export class DealFeed {
  private readonly subscribers = new Set<Subscriber>();
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 250;
  private reconnecting: NodeJS.Timeout | undefined;
  /** Events handed to subscribers, for tests and metrics. */
  delivered = 0;

  constructor(
    private readonly listenUrl: string,
    /** Where a deal is read when it is announced: the primary (a replica may not have it yet). */
    private readonly db: Queryable,
    private readonly log: Logger,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Connects and LISTENs; resolves once listening. Later losses of the connection are retried. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.listenUrl, application_name: 'media-graph deal feed' });
    client.on('notification', (message) => {
      if (message.channel === DEAL_CHANNEL && message.payload) void this.announce(Number(message.payload));
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
        () => this.log.info('the live deal feed is listening again'),
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
    for (const subscriber of this.subscribers) subscriber.end();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Reads the announced deal once and hands it to every subscriber whose filter matches. */
  private async announce(rowId: number): Promise<void> {
    if (this.subscribers.size === 0 || !Number.isInteger(rowId)) return;
    let event: DealEvent | undefined;
    try {
      const [row] = await this.db.query<{ kind: DealKind; studio_ids: number[] }>(
        'SELECT d.kind, array_remove(array_agg(p.studio_id), NULL) AS studio_ids FROM deal d LEFT JOIN deal_party p ON p.deal_id = d.id WHERE d.id = $1 GROUP BY d.id',
        [rowId],
      );
      // Deleted again before we read it: nothing to announce.
      if (row) event = { rowId, kind: row.kind, studioIds: row.studio_ids };
    } catch (error) {
      this.log.error({ err: error, deal: rowId }, 'could not read an announced deal for the live feed');
    }
    if (!event) return;
    for (const subscriber of this.subscribers) {
      if (subscriber.matches(event)) {
        subscriber.push(event);
        this.delivered++;
      }
    }
  }

  /** The deals announced from now on that match `filter`, until the iterator is returned. */
  subscribe(filter: DealFilter): AsyncIterableIterator<DealEvent> {
    if (this.stopped) throw new Error('the live deal feed is stopped');
    const subscriber = new Subscriber(filter, () => this.subscribers.delete(subscriber));
    this.subscribers.add(subscriber);
    return subscriber;
  }
}

/** One subscription's queue of events, as an async iterator. */
class Subscriber implements AsyncIterableIterator<DealEvent> {
  private readonly pending: DealEvent[] = [];
  private waiting: ((result: IteratorResult<DealEvent>) => void) | undefined;
  private done = false;

  constructor(
    private readonly filter: DealFilter,
    private readonly onEnd: () => void,
  ) {}

  matches(event: DealEvent): boolean {
    if (this.filter.kinds && !this.filter.kinds.has(event.kind)) return false;
    if (this.filter.studioId !== undefined && !event.studioIds.includes(this.filter.studioId)) return false;
    return true;
  }

  push(event: DealEvent): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING) this.end();
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.pending.length = 0;
    this.onEnd();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  next(): Promise<IteratorResult<DealEvent>> {
    const event = this.pending.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
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
