import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Queryable } from '../db/pool';
import type { Metrics } from '../metrics';
import { errorBody } from './replies';

/**
 * Rate limits, by @fastify/rate-limit: a budget per API key, and per address for callers without one
 * (or with a key that is not valid: guessing keys costs the address's budget). Decided in the
 * onRequest hook, from the headers alone, so a caller over its budget is refused before its body is
 * read. HTTP 429 with Retry-After and `RATE_LIMITED`, and the library's x-ratelimit-* headers.
 *
 * The library counts fixed windows: a budget of R requests a minute with bursts of B is B requests per
 * window of B / R minutes (600 a minute, bursts of 100: 100 per 10 s). Over time a caller gets at most
 * its rate; across a window's edge it may send up to 2 x B at once.
 *
 * Stores (RATE_LIMIT_STORE): `memory`, the library's LRU of RATE_LIMIT_MAX_CALLERS callers per
 * instance, however many there are; `redis` (REDIS_URL), the library's Redis store, shared by every
 * instance; `postgres`, PostgresWindows below, shared through the database.
 */

export interface Budget {
  max: number;
  windowMs: number;
}

/** The budget of a caller: B requests per window of B / R minutes (see above). */
export function budgetOf(perMinute: number, burst: number): Budget {
  return { max: burst, windowMs: Math.max(1, Math.round((burst / perMinute) * 60_000)) };
}

/** Who is calling, as the rate limits see it (set by the authentication hook before them). */
export interface Caller {
  /** The API key's name, when a valid key came with the request. */
  keyName: string | null;
  /** The caller's address (the one the trusted proxy saw, with TRUST_PROXY). */
  address: string;
}

const keyOf = (caller: Caller) => (caller.keyName ? `key:${caller.keyName}` : `address:${caller.address}`);

/**
 * Fixed windows in PostgreSQL (the RateLimitWindows migration's UNLOGGED table): one statement per
 * request, on the primary, counting for every instance that uses the database. A database that
 * cannot be asked lets the request through: it needs the database anyway, and will get a clear error
 * there if it is down.
 */
export class PostgresWindows {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly db: Queryable) {}

  /** The @fastify/rate-limit store contract: count a request of `key`, say how many and for how long. */
  incr(key: string, cb: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    this.db
      .query<{ count: number; ttl: number }>(
        `INSERT INTO rate_limit_window AS w (key, count, window_ends) VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN w.window_ends <= clock_timestamp() THEN 1 ELSE w.count + 1 END,
           window_ends = CASE WHEN w.window_ends <= clock_timestamp() THEN clock_timestamp() + $2 * interval '1 millisecond' ELSE w.window_ends END
         RETURNING count, GREATEST(0, ceil(extract(epoch FROM w.window_ends - clock_timestamp()) * 1000))::int AS ttl`,
        [key, timeWindow],
      )
      .then(
        ([row]) => cb(null, { current: row.count, ttl: row.ttl }),
        () => cb(null, { current: 0, ttl: timeWindow }),
      );
  }

  child(): PostgresWindows {
    return this;
  }

  /** Deletes windows that have ended, every minute, so the table holds only active callers. */
  sweep(): void {
    this.sweeper ??= setInterval(() => {
      this.db.query('DELETE FROM rate_limit_window WHERE window_ends < clock_timestamp()').catch(() => undefined);
    }, 60_000);
    this.sweeper.unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }
}

/** The plugin takes a store as a class it constructs: this one hands over `store` itself. */
function storeClassOf(store: PostgresWindows): never {
  return function Store() {
    return store;
  } as never;
}

/** What a refusal says: which limit, and when to come back. */
function refusalMessage(caller: Caller, config: Config['rateLimit'], waitSeconds: number): string {
  const perMinute = caller.keyName ? config.keyPerMinute : config.anonymousPerMinute;
  return `Too many requests from ${caller.keyName ? `the key "${caller.keyName}"` : 'this address'}: at most ${perMinute} a minute (bursts of ${config.burst}). Retry in ${waitSeconds} s.`;
}

export interface RateLimiting {
  /** The same limits, asked directly (WebSocket subscriptions): undefined when allowed, else the refusal. */
  check(caller: Caller): Promise<{ message: string; waitSeconds: number; kind: 'key' | 'anonymous' } | undefined>;
  stop(): void;
}

/**
 * Registers the plugin on `app` with the configured store, for /graphql (every method, and the
 * WebSocket subscriptions through `check`: one budget per caller for all of them; the store's
 * per-route copies would count each route apart). Register it before the routes; requests to
 * /graphql must carry `request.caller` (the authentication hook sets it).
 */
export async function registerRateLimits(
  app: FastifyInstance,
  config: Config,
  stores: { db: Queryable; redis?: Redis },
  metrics: Metrics,
): Promise<RateLimiting> {
  const limits = config.rateLimit;
  const anonymous = budgetOf(limits.anonymousPerMinute, limits.burst);
  const keyed = budgetOf(limits.keyPerMinute, limits.burst);
  const budget = (caller: Caller) => (caller.keyName ? keyed : anonymous);
  const off = (caller: Caller) => (caller.keyName ? limits.keyPerMinute : limits.anonymousPerMinute) <= 0;
  const callerOf = (request: FastifyRequest) => (request as FastifyRequest & { caller: Caller }).caller;
  const postgres = limits.store === 'postgres' ? new PostgresWindows(stores.db) : undefined;
  postgres?.sweep();

  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    // Only GraphQL is limited: health checks, metrics and the playground's files are not.
    allowList: (request) => typeof request.url === 'string' && !request.url.startsWith('/graphql'),
    ...(postgres
      ? { store: storeClassOf(postgres) }
      : limits.store === 'redis' && stores.redis
        ? { redis: stores.redis, nameSpace: 'media-graph-rate-limit:' }
        : { cache: limits.maxCallers }),
    // A store that cannot be asked lets the request through (see PostgresWindows).
    skipOnError: true,
    // The plugin asks for the key before the allow list: routes other than /graphql have no caller.
    keyGenerator: (request) => (callerOf(request) ? keyOf(callerOf(request)) : 'unlimited'),
    max: (request) => (off(callerOf(request)) ? Number.MAX_SAFE_INTEGER : budget(callerOf(request)).max),
    timeWindow: (request) => budget(callerOf(request)).windowMs,
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (request, context) => {
      const caller = callerOf(request);
      const waitSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      metrics.rateLimited.inc({ caller: caller.keyName ? 'key' : 'anonymous' });
      metrics.errors.inc({ code: 'RATE_LIMITED' });
      return Object.assign(new Error('rate limited'), {
        statusCode: 429,
        body: errorBody(refusalMessage(caller, limits, waitSeconds), 'RATE_LIMITED', { retryAfterSeconds: waitSeconds }),
        // The body is not read: close the connection rather than read past it.
        closeConnection: true,
      });
    },
  });

  const direct = app.createRateLimit();
  return {
    async check(caller) {
      if (off(caller)) return undefined;
      // What the plugin reads of a request: the caller (through keyGenerator), the URL, the route's options.
      const result = await direct({ caller, url: '/graphql', routeOptions: { config: {} } } as never);
      if (result.isAllowed || !result.isExceeded) return undefined;
      const waitSeconds = Math.max(1, Math.ceil(result.ttl / 1000));
      return { message: refusalMessage(caller, limits, waitSeconds), waitSeconds, kind: caller.keyName ? 'key' : 'anonymous' };
    },
    stop: () => postgres?.stop(),
  };
}
