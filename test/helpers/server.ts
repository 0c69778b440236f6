import net from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { loadConfig, type Config } from '../../src/config';
import { DealFeed } from '../../src/deal/deal-feed';
import { buildAppSchema } from '../../src/app/schema';
import type { Logger } from '../../src/logger';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { silentLog, type TestDatabase } from './database';
import { executionSettings } from './settings';

export { until } from './until';

/**
 * A free port below 32768 (the kernel hands out 32768 and up to outgoing connections, which could
 * take a port between our check and our listen). Each jest worker scans its own range.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  // fetch keeps connections alive per origin for the whole process: a port used by a server that has
  // since closed is not handed out again, or a stale kept-alive socket could be reused ("other side
  // closed").
  const used = ((globalThis as Record<string, unknown>).__mgUsedPorts ??= new Set<number>()) as Set<number>;
  const start = 20000 + ((worker * 1500 + Math.floor(Math.random() * 1200)) % 11000);
  for (let port = start; port < start + 400; port++) {
    if (used.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) {
      used.add(port);
      return port;
    }
  }
  throw new Error('no free port for the test server');
}

export interface TestServer {
  url: string;
  http: HttpServer;
  config: Config;
  /** Every SQL statement the server sent for resolvers since it started. */
  statements: { readonly statements: number };
  close(): Promise<void>;
}

export interface TestServerOptions {
  log?: Logger;
  /** Settings, as environment variables (MAX_QUERY_DEPTH: '3', ...). */
  env?: Record<string, string>;
  /** A pool other than the test database's (a dead one, a small one). */
  pool?: pg.Pool;
  /** Serve subscriptions: a live deal feed listening on the test database. */
  feed?: boolean;
  /** A schema other than the service's (one with a field of the test's own). */
  schema?: GraphQLSchema;
  /** A Redis client, for RATE_LIMIT_STORE=redis. */
  redis?: Redis;
}

/** The real HTTP server over a test database. Rate limits are off unless `env` sets them. */
export async function startTestServer(db: TestDatabase, options: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: 'test',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    RATE_LIMIT_KEY_PER_MINUTE: '0',
    ...executionSettings(),
    ...options.env,
  });
  const feed = options.feed ? new DealFeed(db.url, db.queryable, options.log ?? silentLog, { retentionDays: config.dealFeed.retentionDays }) : undefined;
  await feed?.start();
  const http = await createHttpServer({ config, schema: options.schema ?? (await buildAppSchema({ direct: config.execution.direct })), pool: options.pool ?? db.pool, feed, log: options.log ?? silentLog, redis: options.redis });
  const url = await http.listen(await freePort(), '127.0.0.1');
  return {
    url,
    http,
    config,
    statements: {
      get statements() {
        return http.stats.statements;
      },
    },
    close: async () => {
      await http.close(1000);
      await feed?.stop();
    },
  };
}

export interface GraphQLResult {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> };
  headers: Headers;
}

/** How a test request is sent: an operation name, an API key (sent as a bearer token), other headers. */
export interface RequestOptions {
  operationName?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

/** POSTs an operation to /graphql over real HTTP. */
export async function gql(url: string, query: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<GraphQLResult> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...options.headers },
    body: JSON.stringify({ query, variables, operationName: options.operationName }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResult['body'], headers: response.headers };
}

/** Runs an operation, fails on any error, returns `data`. */
export async function query<T = Record<string, any>>(url: string, document: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
  const result = await gql(url, document, variables, options);
  if (result.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.body.errors, null, 2)}`);
  return result.body.data as T;
}


/** Active dealAnnounced subscriptions on a server, from its metrics. */
export async function feedSubscribers(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^mediagraph_deal_feed_subscribers (\d+)/m.exec(text)?.[1] ?? NaN);
}
