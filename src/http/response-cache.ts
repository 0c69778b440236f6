import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { Counter, Gauge } from 'prom-client';
import type { Reads } from '../db/reads';
import type { Context } from '../graphql/context';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * The response cache: a query answered once is answered again from memory, for callers who see the
 * same data (no key, or a key of the same role), until a write could change it.
 *
 * - **What an answer read**: every statement of the request names the tables it reads; the answer is
 *   kept with those tables (its tags). A statement that names a table the cache is not told about
 *   (UNWATCHED) makes the answer uncacheable.
 * - **Invalidation travels with the write**: a statement trigger on every watched table (migration
 *   ResponseCacheInvalidation) sends `NOTIFY mg_cache, '<table>'`, which PostgreSQL delivers at
 *   commit, to every instance, whichever instance, command or psql session wrote. Each instance
 *   LISTENs on one connection and drops the answers tagged with that table.
 * - **Never stale**: an answer is stored only if no invalidation of its tables arrived since its
 *   request started (a write that committed while it was read). A hit first makes one round trip on
 *   the listening connection, shared by every hit that waits at the same time: PostgreSQL sends a
 *   listener the notifications of every commit before it answers the listener's next statement, so
 *   a write acknowledged before the read began has invalidated the answer by then, on every instance.
 *   While the listening connection is down nothing is served or stored, and everything is dropped.
 * - **Bounded**: by bytes of the answers' JSON (lru-cache drops the least recently used).
 *
 * Only queries; never an answer with errors; never with read replicas (they lag the notifications).
 */

export const CACHE_CHANNEL = 'mg_cache';

/** How long a hit waits for its round trip on the listening connection before it runs as a miss. */
const SYNC_TIMEOUT_MS = 500;

interface Entry {
  /** The answer's `data`, as executed (an object shared by every hit: never changed). */
  data: Record<string, unknown>;
  tags: readonly string[];
  bytes: number;
}

export interface ResponseCacheOptions {
  listenUrl: string;
  maxBytes: number;
  log: Logger;
  metrics: Metrics;
}

export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  /** Keys by table, to drop exactly the answers a write could change. */
  private readonly byTag = new Map<string, Set<string>>();
  /** Counts invalidations; `invalidatedAt` holds the count at each table's last one. */
  private epoch = 0;
  private readonly invalidatedAt = new Map<string, number>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private reconnecting: NodeJS.Timeout | undefined;
  private sync: Promise<void> | undefined;
  /** Settles when the round trip out on the listening connection now (if one is) is back. */
  private roundTrip: Promise<void> | undefined;
  private readonly hits: Counter;
  private readonly misses: Counter;
  private readonly invalidations: Counter;

  constructor(private readonly options: ResponseCacheOptions) {
    this.entries = new LRUCache<string, Entry>({
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => entry.bytes,
      dispose: (entry, key) => this.untag(key, entry.tags),
    });
    const registers = [options.metrics.registry];
    this.hits = new Counter({ name: 'mediagraph_response_cache_hits_total', help: 'Queries answered from the response cache.', registers });
    this.misses = new Counter({ name: 'mediagraph_response_cache_misses_total', help: 'Cacheable queries executed (not in the response cache).', registers });
    this.invalidations = new Counter({
      name: 'mediagraph_response_cache_invalidations_total',
      help: 'Answers dropped from the response cache because a committed write could change them.',
      registers,
    });
    const entries = this.entries;
    new Gauge({ name: 'mediagraph_response_cache_bytes', help: 'Bytes of JSON held by the response cache.', registers, collect: function () { this.set(entries.calculatedSize); } });
    new Gauge({ name: 'mediagraph_response_cache_entries', help: 'Answers held by the response cache.', registers, collect: function () { this.set(entries.size); } });
    new Gauge({
      name: 'mediagraph_response_cache_max_bytes',
      help: 'The response cache\'s bound (RESPONSE_CACHE_MAX_MB).',
      registers,
      collect: function () {
        this.set(options.maxBytes);
      },
    });
  }

  /** Connects and LISTENs; resolves once listening. A lost connection is retried; meanwhile the cache is bypassed. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      // The service still answers, uncached, and listens as soon as it can.
      this.options.log.warn({ err: error }, 'the response cache could not LISTEN yet: answering without it until it can');
      this.scheduleReconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnecting);
    this.listening = false;
    await this.client?.end().catch(() => undefined);
  }

  get size(): number {
    return this.entries.size;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.listenUrl, application_name: 'media-graph response cache' });
    client.on('notification', (message) => {
      if (message.channel === CACHE_CHANNEL && message.payload) this.invalidate(message.payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    // Whatever was written while no one listened is unknown: start empty.
    this.clear();
    this.client = client;
    this.listening = true;
  }

  private lost(client: pg.Client, error: Error): void {
    if (client !== this.client || this.stopped) return;
    this.client = undefined;
    this.listening = false;
    this.sync = undefined;
    this.roundTrip = undefined;
    this.clear();
    this.options.log.warn({ err: error }, 'the response cache lost its PostgreSQL connection: answering without it until it reconnects');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnecting = setTimeout(() => {
      this.connect().catch((error) => {
        this.options.log.warn({ err: error }, 'the response cache could not reconnect yet');
        this.scheduleReconnect();
      });
    }, 250);
    this.reconnecting.unref();
  }

  /** Drops every answer that read `table`. */
  invalidate(table: string): void {
    this.epoch++;
    this.invalidatedAt.set(table, this.epoch);
    const keys = this.byTag.get(table);
    if (!keys) return;
    this.byTag.delete(table);
    for (const key of keys) {
      if (this.entries.delete(key)) this.invalidations.inc();
    }
  }

  private clear(): void {
    this.epoch++;
    this.clearedAt = this.epoch;
    this.entries.clear();
    this.byTag.clear();
  }

  private clearedAt = 0;

  private untag(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }

  /** Where invalidations stand now: given back to `store`, which refuses an answer read across a later one. */
  mark(): number {
    return this.epoch;
  }

  /**
   * One round trip on the listening connection, shared by every caller of the same tick: once it is
   * back, every notification of a commit before it was sent has been handled. One at a time on the
   * connection (pg does not pipeline; queueing a query behind another is deprecated): callers that
   * come while one is out share the next, sent when it is back, never the one already out, which may
   * have left before their read began.
   */
  private caughtUp(): Promise<void> {
    if (!this.sync) {
      const client = this.client;
      if (!client) return Promise.reject(new Error('not listening'));
      const previous = this.roundTrip ?? new Promise<void>((resolve) => setImmediate(resolve));
      const next: Promise<void> = previous.then(() => {
        if (this.sync === next) this.sync = undefined;
        const trip = client.query('SELECT 1').then(() => undefined);
        // Settles when the trip is back, either way (never rejects: only the callers see its failure).
        const back: Promise<void> = trip.then(
          () => undefined,
          () => undefined,
        ).then(() => {
          if (this.roundTrip === back) this.roundTrip = undefined;
        });
        this.roundTrip = back;
        return trip;
      });
      this.sync = next;
    }
    return this.sync;
  }

  /** The answer kept for `key`, checked against every write committed before now; undefined when none. */
  async lookup(key: string): Promise<Record<string, unknown> | undefined> {
    if (!this.listening || !this.entries.has(key)) return undefined;
    // A listening connection that stopped answering (a network that dropped it silently) makes a
    // miss after SYNC_TIMEOUT_MS, never a hit: only a completed round trip vouches for an answer.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), SYNC_TIMEOUT_MS)));
    try {
      const synced = await Promise.race([this.caughtUp().then(() => true), timedOut]);
      if (!synced) return undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
    // Read (and moved up) only once the round trip says it is fresh.
    return this.entries.get(key)?.data;
  }

  /** Keeps an answer that read `reads`, unless a write to one of its tables arrived since `mark`. */
  store(key: string, data: Record<string, unknown>, reads: Reads, mark: number): boolean {
    if (!this.listening || !reads.cacheable || this.clearedAt > mark) return false;
    const tags = [...reads.tables];
    if (tags.some((tag) => (this.invalidatedAt.get(tag) ?? 0) > mark)) return false;
    const bytes = JSON.stringify(data).length * 2 + key.length * 2 + 200;
    if (bytes > this.options.maxBytes) return false;
    this.entries.set(key, { data, tags, bytes });
    if (!this.entries.has(key)) return false;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  counted(hit: boolean): void {
    (hit ? this.hits : this.misses).inc();
  }
}

/** What the plugin keeps about a request between its hooks. */
interface Pending {
  key: string;
  mark: number;
}

/**
 * The Apollo plugin: answers a query from the cache before it runs (after validation, the cost limit
 * and the rest of the pipeline, so a hit is refused whatever a miss would be), and keeps the answer
 * of a miss once it is sent. The key: the caller's role, the operation's name, the document's hash
 * and the variables.
 */
export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let pending: Pending | undefined;
      return {
        async responseForOperation(requestContext: GraphQLRequestContext<Context>) {
          const { operation, contextValue, request, queryHash } = requestContext;
          if (operation?.operation !== 'query' || !queryHash || !contextValue.reads) return null;
          const key = `${contextValue.auth.role ?? 'ANONYMOUS'}\u0000${request.operationName ?? ''}\u0000${queryHash}\u0000${JSON.stringify(request.variables ?? {})}`;
          const mark = cache.mark();
          const data = await cache.lookup(key);
          cache.counted(data !== undefined);
          if (data === undefined) {
            pending = { key, mark };
            return null;
          }
          return { http: { status: undefined, headers: new HeaderMap([['x-response-cache', 'hit']]) }, body: { kind: 'single', singleResult: { data } } };
        },
        async willSendResponse({ response, contextValue }) {
          if (!pending || response.body.kind !== 'single' || !contextValue.reads) return;
          const { data, errors } = response.body.singleResult;
          if (errors?.length || !data) return;
          cache.store(pending.key, data as Record<string, unknown>, contextValue.reads, pending.mark);
        },
      };
    },
  };
}
