import type http from 'node:http';
import type { Queryable } from '../db/pool';

/**
 * Token buckets, one per caller: each holds up to `capacity` requests and refills at `perMinute`.
 * A request takes a token or is refused with the time until the next one. rate-limiter-flexible
 * (the usual choice) counts fixed windows, which let a caller double its rate across a window edge;
 * a token bucket does not, so this one is ours. In memory: each instance limits what it serves (see
 * PostgresBuckets for limits shared by several instances).
 *
 * At most `maxCallers` buckets are kept, however many callers there are (a million addresses in a
 * minute, say): the Map is kept in order of last use, and past the bound the least recently seen
 * caller is forgotten (it starts again with a full bucket, as a new caller would).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    perMinute: number,
    readonly maxCallers = DEFAULT_MAX_CALLERS,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Callers remembered now (at most maxCallers). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes a token for `caller`: 0 when the request may go ahead, otherwise the seconds to wait. */
  take(caller: string, now = Date.now()): number {
    let bucket = this.buckets.get(caller);
    if (bucket) {
      // Deleted and set again below: the Map's order becomes the order of last use.
      this.buckets.delete(caller);
    } else {
      if (this.buckets.size >= this.maxCallers) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.capacity, at: now };
    }
    this.buckets.set(caller, bucket);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }
}

/** Callers remembered per kind of caller (keys, addresses) by default: some 10 MB each at most. */
export const DEFAULT_MAX_CALLERS = 100_000;

/** A refusal by the rate limits: how long to wait, and a message that says which limit. */
export interface RateLimitRefusal {
  waitSeconds: number;
  message: string;
  caller: 'key' | 'anonymous';
}

/** Where the buckets live: in this process, or in PostgreSQL for every instance at once. */
export interface BucketStore {
  /** Takes a token for `caller`: 0 when it may go ahead, otherwise the seconds to wait. */
  take(caller: string, capacity: number, perMinute: number): Promise<number>;
}

/** Buckets in this process's memory: right for one instance. */
export class MemoryBuckets implements BucketStore {
  private readonly buckets = new Map<string, TokenBuckets>();

  constructor(private readonly maxCallers = DEFAULT_MAX_CALLERS) {}

  async take(caller: string, capacity: number, perMinute: number): Promise<number> {
    const key = `${capacity}/${perMinute}`;
    let buckets = this.buckets.get(key);
    if (!buckets) this.buckets.set(key, (buckets = new TokenBuckets(capacity, perMinute, this.maxCallers)));
    return buckets.take(caller);
  }
}

/**
 * Buckets in PostgreSQL (the rate_limit_bucket table and rate_limit_take function of the
 * RateLimits migration), shared by every instance that uses the same database: a caller cannot get
 * N times its limit by being spread over N instances. One short statement per request, on the
 * primary. If the database cannot be asked, the request goes ahead: it needs the database anyway,
 * and will fail there with a clear error if it is down.
 */
export class PostgresBuckets implements BucketStore {
  private readonly sweeper: NodeJS.Timeout;
  /** Checks that could not reach the database (and let the request through). */
  failures = 0;

  constructor(
    private readonly db: Queryable,
    sweepEveryMs = 5 * 60_000,
  ) {
    // Full buckets are the same as no bucket: forget them, so the table holds only active callers.
    this.sweeper = setInterval(() => {
      db.query('DELETE FROM rate_limit_bucket WHERE tokens + extract(epoch FROM clock_timestamp() - at) * per_second >= capacity').catch(() => undefined);
    }, sweepEveryMs);
    this.sweeper.unref();
  }

  async take(caller: string, capacity: number, perMinute: number): Promise<number> {
    try {
      const [row] = await this.db.query<{ wait: number }>('SELECT rate_limit_take($1, $2, $3) AS wait', [caller, capacity, perMinute / 60]);
      return row.wait;
    } catch {
      this.failures++;
      return 0;
    }
  }

  stop(): void {
    clearInterval(this.sweeper);
  }
}

/** The service's rate limits: one bucket per API key, or per address for callers without one. */
export class RateLimits {
  constructor(
    private readonly config: { anonymousPerMinute: number; keyPerMinute: number; burst: number },
    private readonly store: BucketStore = new MemoryBuckets(),
  ) {}

  /** Takes a token for a request (or a subscription) of `keyName`, or of `address` without a key. */
  async take(keyName: string | null, address: string | undefined): Promise<RateLimitRefusal | undefined> {
    const perMinute = keyName ? this.config.keyPerMinute : this.config.anonymousPerMinute;
    if (perMinute <= 0) return undefined;
    const wait = await this.store.take(keyName ? `key:${keyName}` : `address:${address ?? 'unknown'}`, this.config.burst, perMinute);
    if (wait === 0) return undefined;
    return {
      waitSeconds: wait,
      caller: keyName ? 'key' : 'anonymous',
      message: `Too many requests from ${keyName ? `the key "${keyName}"` : 'this address'}: at most ${perMinute} a minute (bursts of ${this.config.burst}). Retry in ${wait} s.`,
    };
  }
}

/**
 * The caller's address: the connection's, or behind a trusted proxy the last X-Forwarded-For entry
 * (the address the proxy saw; entries before it come from the client and prove nothing).
 */
export function callerAddress(req: http.IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress;
}
