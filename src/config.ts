import path from 'node:path';
import { z } from 'zod';
import type { Limits } from './graphql/limits';
import type { QueryLimits } from './limits/query-limits';

/**
 * Everything the service and its commands read from the environment, validated once at the edge
 * (see the configuration table in the README). Nothing deeper in the code reads `process.env`.
 */
export interface Config {
  /** `development`, `production` or `test`. */
  env: 'development' | 'production' | 'test';
  /** HTTP port of the API. */
  port: number;
  /** Address the HTTP server binds to. */
  host: string;
  /** External PostgreSQL; when set, no embedded server is started. */
  databaseUrl: string | undefined;
  /** Read replicas of the primary: reads go to one of them, writes (and the rest of a request that wrote) to the primary. */
  replicaUrls: string[];
  /**
   * A direct session to the primary, for what a transaction pooler cannot carry: LISTEN (the live deal
   * feed) and the migrations' advisory lock. Defaults to databaseUrl; required with pooler `pgbouncer`.
   */
  listenUrl: string | undefined;
  /**
   * `pgbouncer`: the URLs lead to a transaction pooler, so no session startup options are sent and no
   * backend is cancelled by pid (a pid is shared there); `none`: direct connections.
   */
  pooler: 'none' | 'pgbouncer';
  /** HTTP worker processes sharing the port (node:cluster); 1 runs the server in this process. */
  workers: number;
  /** Where the embedded PostgreSQL keeps its data, absolute. */
  dataDir: string;
  /** Port of the embedded PostgreSQL; undefined picks a free one at first start. */
  embeddedPgPort: number | undefined;
  pool: {
    /** Connections in the service's pool. */
    size: number;
    /** Requests that may wait for a connection at once; more get SERVICE_UNAVAILABLE at once. */
    queue: number;
    /** How long a request waits for a connection before SERVICE_UNAVAILABLE. */
    waitMs: number;
  };
  /** pino log level. */
  logLevel: string;
  /** How long a shutdown waits for in-flight requests before closing them. */
  shutdownGraceMs: number;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** Operations in one batched request; 0 turns batching off. */
  maxBatchOperations: number;
  /** Bounds on the work of one request. */
  limits: Limits;
  /** Bounds on the shape of one operation. */
  queryLimits: QueryLimits;
  /** Estimated cost of the operations running at once (the same units as MAX_QUERY_COST); more wait their turn. */
  maxCostInFlight: number;
  /** Time bounds: per SQL statement (cancelled by PostgreSQL) and per request (cancelled by us). */
  timeouts: { statementMs: number; requestMs: number };
  /** Whether reads need an API key too (mutations always do). */
  readsRequireKey: boolean;
  /** "Did you mean ...?" hints in validation errors. */
  suggestions: boolean;
  /** Who may introspect the schema. */
  introspection: 'on' | 'off' | 'authenticated';
  /** Only the operations of the committed manifest are executed. */
  trustedDocuments: boolean;
  /** Token buckets: requests per minute and burst, per API key or, for anonymous callers, per address. */
  rateLimit: {
    anonymousPerMinute: number;
    keyPerMinute: number;
    burst: number;
    /** `memory`: each process counts its own callers; `postgres` or `redis`: every instance shares the counts. */
    store: 'memory' | 'postgres' | 'redis';
    /** Callers the memory store remembers per kind (keys, addresses); the least recently seen are forgotten past it. */
    maxCallers: number;
  };
  /** Behind a proxy or load balancer: the caller's address is the last X-Forwarded-For entry. */
  trustProxy: boolean;
  /** Origins a browser may call from: `*` (any, never with credentials) or a list. */
  corsOrigins: '*' | string[];
  /** Request headers a browser may send; undefined allows whatever a preflight asks for. */
  corsAllowedHeaders: string[] | undefined;
  /** Redis, for rate limits shared by several instances (RATE_LIMIT_STORE=redis, the default when set). */
  redisUrl: string | undefined;
  /** How long answers may be cached when nothing they read has a shorter `@cacheControl` hint; 0: not kept. */
  cacheMaxAgeSeconds: number;
  /** The response cache (http/response-cache.ts): off with RESPONSE_CACHE=off, and with read replicas. */
  responseCache: { enabled: boolean; maxBytes: number };
  /** The live deal feed: how long announcements are kept for `dealAnnounced(after:)` to replay. */
  dealFeed: { retentionDays: number };
  /** WebSocket connections and running subscriptions one caller (API key, or address without one) may hold on one instance. */
  webSocketLimits: { connectionsPerCaller: number; subscriptionsPerCaller: number };
  /** Serve Prometheus metrics at /metrics. */
  metrics: boolean;
  /** How operations run (src/execution): compiled by graphql-jit or on graphql-js; direct resolvers on or off. */
  execution: { mode: 'compiled' | 'standard'; direct: boolean };
}

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const postgresUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), `${name} must start with postgres:// or postgresql://`);

const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => v === 'true' || v === '1' || v === 'on');

/** Every setting, as the environment gives it: docs/configuration.md is checked against it by a test. */
export const settingsSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer('PORT', 1, 65535).default(4000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
  DATABASE_REPLICA_URLS: z
    .string()
    .trim()
    .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
    .refine((urls) => urls.every((url) => /^postgres(ql)?:\/\//.test(url)), 'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// URLs')
    .optional(),
  DATABASE_LISTEN_URL: postgresUrl('DATABASE_LISTEN_URL').optional(),
  DATABASE_POOLER: z.enum(['none', 'pgbouncer']).default('none'),
  WORKERS: integer('WORKERS', 1, 64).default(1),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  EMBEDDED_PG_PORT: integer('EMBEDDED_PG_PORT', 1, 65535).optional(),
  DATABASE_POOL_SIZE: integer('DATABASE_POOL_SIZE', 1, 200).default(10),
  DATABASE_POOL_QUEUE: integer('DATABASE_POOL_QUEUE', 0, 100_000).default(100),
  DATABASE_POOL_WAIT_MS: integer('DATABASE_POOL_WAIT_MS', 10, 600_000).default(2_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: integer('SHUTDOWN_GRACE_MS', 0, 600_000).default(10_000),
  MAX_BODY_BYTES: integer('MAX_BODY_BYTES', 1024, 100 * 1024 * 1024).default(1024 * 1024),
  MAX_BATCH_OPERATIONS: integer('MAX_BATCH_OPERATIONS', 0, 1000).default(0),
  MAX_QUERY_DEPTH: integer('MAX_QUERY_DEPTH', 1, 1000).default(12),
  MAX_QUERY_COST: integer('MAX_QUERY_COST', 1, 100_000_000).default(50_000),
  MAX_ALIASES: integer('MAX_ALIASES', 0, 10_000).default(30),
  MAX_TOKENS: integer('MAX_TOKENS', 10, 1_000_000).default(5_000),
  MAX_COST_IN_FLIGHT: integer('MAX_COST_IN_FLIGHT', 1, 1_000_000_000).default(200_000),
  MAX_DIRECTIVES_PER_FIELD: integer('MAX_DIRECTIVES_PER_FIELD', 0, 1000).default(5),
  SQL_STATEMENT_TIMEOUT_MS: integer('SQL_STATEMENT_TIMEOUT_MS', 1, 3_600_000).default(5_000),
  REQUEST_DEADLINE_MS: integer('REQUEST_DEADLINE_MS', 1, 3_600_000).default(15_000),
  READS_REQUIRE_KEY: flag.default(false),
  GRAPHQL_SUGGESTIONS: z.enum(['auto', 'true', 'false', 'on', 'off']).default('auto'),
  GRAPHQL_INTROSPECTION: z.enum(['auto', 'on', 'off', 'authenticated']).default('auto'),
  TRUSTED_DOCUMENTS: flag.default(false),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: integer('RATE_LIMIT_ANONYMOUS_PER_MINUTE', 0, 10_000_000).default(600),
  RATE_LIMIT_KEY_PER_MINUTE: integer('RATE_LIMIT_KEY_PER_MINUTE', 0, 10_000_000).default(3_000),
  RATE_LIMIT_BURST: integer('RATE_LIMIT_BURST', 1, 1_000_000).default(100),
  RATE_LIMIT_STORE: z.enum(['auto', 'memory', 'postgres', 'redis']).default('auto'),
  RATE_LIMIT_MAX_CALLERS: integer('RATE_LIMIT_MAX_CALLERS', 1, 10_000_000).default(100_000),
  METRICS: flag.default(true),
  DEAL_FEED_RETENTION_DAYS: integer('DEAL_FEED_RETENTION_DAYS', 1, 3_650).default(7),
  WS_MAX_CONNECTIONS_PER_CALLER: integer('WS_MAX_CONNECTIONS_PER_CALLER', 1, 1_000_000).default(20),
  WS_MAX_SUBSCRIPTIONS_PER_CALLER: integer('WS_MAX_SUBSCRIPTIONS_PER_CALLER', 1, 1_000_000).default(100),
  TRUST_PROXY: flag.default(false),
  NETWORK_MAX_PAIRS: integer('NETWORK_MAX_PAIRS', 1, 10_000_000).default(20_000),
  GRAPHQL_EXECUTION: z.enum(['compiled', 'standard']).default('compiled'),
  CORS_ORIGINS: z
    .string()
    .trim()
    .transform((list) => (list === '*' ? '*' : list.split(',').map((origin) => origin.trim()).filter(Boolean)))
    .refine((origins) => origins === '*' || origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), 'CORS_ORIGINS must be * or a comma-separated list of origins such as https://app.example.org')
    .default('*'),
  CORS_ALLOWED_HEADERS: z
    .string()
    .trim()
    .transform((list) => list.split(',').map((header) => header.trim().toLowerCase()).filter(Boolean))
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((url) => /^rediss?:\/\//.test(url), 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  GRAPHQL_DIRECT_RESOLVERS: flag.default(true),
  CACHE_MAX_AGE_SECONDS: integer('CACHE_MAX_AGE_SECONDS', 0, 86_400).default(60),
  RESPONSE_CACHE: flag.default(true),
  RESPONSE_CACHE_MAX_MB: z
    .string()
    .trim()
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n > 0 && n <= 65_536, 'RESPONSE_CACHE_MAX_MB must be a number of megabytes above 0 (such as 64 or 0.5)')
    .default(64),
});

/** Thrown when the environment does not describe a usable configuration; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration. Empty variables count as unset, so `PORT=` in a shell or a
 * compose file falls back to the default instead of failing.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.join('.');
        return `${variable}: ${issue.message} (got ${JSON.stringify(present[variable] ?? null)})`;
      }),
    );
  }
  const c = parsed.data;
  if (c.DATABASE_POOLER === 'pgbouncer' && !c.DATABASE_LISTEN_URL) {
    throw new ConfigError([
      'DATABASE_LISTEN_URL: with DATABASE_POOLER=pgbouncer, set it to a direct connection to the primary (LISTEN and the migrations\' lock need a session of their own, which transaction pooling does not give)',
    ]);
  }
  if (c.RATE_LIMIT_STORE === 'redis' && !c.REDIS_URL) {
    throw new ConfigError(['RATE_LIMIT_STORE: redis needs REDIS_URL (such as redis://127.0.0.1:6379)']);
  }
  if (c.DATABASE_REPLICA_URLS?.length && !c.DATABASE_URL) {
    throw new ConfigError(['DATABASE_REPLICA_URLS: replicas need an external primary: set DATABASE_URL too (the embedded PostgreSQL has no replicas)']);
  }
  const production = c.NODE_ENV === 'production';
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    replicaUrls: c.DATABASE_REPLICA_URLS ?? [],
    listenUrl: c.DATABASE_LISTEN_URL,
    pooler: c.DATABASE_POOLER,
    workers: c.WORKERS,
    dataDir: path.resolve(cwd, c.DATA_DIR),
    embeddedPgPort: c.EMBEDDED_PG_PORT,
    pool: { size: c.DATABASE_POOL_SIZE, queue: c.DATABASE_POOL_QUEUE, waitMs: c.DATABASE_POOL_WAIT_MS },
    logLevel: c.LOG_LEVEL,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    maxBodyBytes: c.MAX_BODY_BYTES,
    maxBatchOperations: c.MAX_BATCH_OPERATIONS,
    limits: { networkMaxPairs: c.NETWORK_MAX_PAIRS },
    queryLimits: {
      maxDepth: c.MAX_QUERY_DEPTH,
      maxCost: c.MAX_QUERY_COST,
      maxAliases: c.MAX_ALIASES,
      maxTokens: c.MAX_TOKENS,
      maxDirectivesPerField: c.MAX_DIRECTIVES_PER_FIELD,
    },
    maxCostInFlight: c.MAX_COST_IN_FLIGHT,
    timeouts: { statementMs: c.SQL_STATEMENT_TIMEOUT_MS, requestMs: c.REQUEST_DEADLINE_MS },
    readsRequireKey: c.READS_REQUIRE_KEY,
    suggestions: c.GRAPHQL_SUGGESTIONS === 'auto' ? !production : c.GRAPHQL_SUGGESTIONS === 'true' || c.GRAPHQL_SUGGESTIONS === 'on',
    introspection: c.GRAPHQL_INTROSPECTION === 'auto' ? (production ? 'authenticated' : 'on') : c.GRAPHQL_INTROSPECTION,
    trustedDocuments: c.TRUSTED_DOCUMENTS,
    rateLimit: {
      anonymousPerMinute: c.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      keyPerMinute: c.RATE_LIMIT_KEY_PER_MINUTE,
      burst: c.RATE_LIMIT_BURST,
      // Redis when there is one; several workers on one host always share (the load is spread over
      // them connection by connection).
      store: c.RATE_LIMIT_STORE === 'auto' ? (c.REDIS_URL ? 'redis' : c.WORKERS > 1 ? 'postgres' : 'memory') : c.RATE_LIMIT_STORE,
      maxCallers: c.RATE_LIMIT_MAX_CALLERS,
    },
    metrics: c.METRICS,
    dealFeed: { retentionDays: c.DEAL_FEED_RETENTION_DAYS },
    webSocketLimits: { connectionsPerCaller: c.WS_MAX_CONNECTIONS_PER_CALLER, subscriptionsPerCaller: c.WS_MAX_SUBSCRIPTIONS_PER_CALLER },
    trustProxy: c.TRUST_PROXY,
    cacheMaxAgeSeconds: c.CACHE_MAX_AGE_SECONDS,
    // Read replicas lag the primary's notifications: an answer read from one could be kept stale.
    responseCache: { enabled: c.RESPONSE_CACHE && !(c.DATABASE_REPLICA_URLS?.length ?? 0), maxBytes: Math.round(c.RESPONSE_CACHE_MAX_MB * 1024 * 1024) },
    corsOrigins: c.CORS_ORIGINS,
    corsAllowedHeaders: c.CORS_ALLOWED_HEADERS,
    redisUrl: c.REDIS_URL,
    execution: { mode: c.GRAPHQL_EXECUTION, direct: c.GRAPHQL_DIRECT_RESOLVERS },
  };
}
