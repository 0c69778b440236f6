// The process runs in UTC whatever the host's zone: dates never shift with the machine.
process.env.TZ = 'UTC';
// Before anything loads http or pg: OpenTelemetry's instrumentations patch them as they load.
import { tracing } from './tracing-start';
import 'reflect-metadata';
import cluster, { type Worker } from 'node:cluster';
import { type Config, ConfigError, loadConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded';
import { isConnectionError } from './db/failures';
import { prepareDatabase as prepareSchemaAndSeeds } from './app/prepare';
import { createPool, PoolQueryable, sweepCommitReceipts } from './db/pool';
import { connectDatabaseServer, type DatabaseServer, redactUrl } from './db/server';
import { type Supervisor, type SupervisorEvent, type SupervisorState, superviseEmbedded } from './db/supervisor';
import { DealFeed } from './deal/deal-feed';
import { buildAppSchema } from './app/schema';
import { createLogger, type Logger } from './logger';
import { Redis } from 'ioredis';
import { createHttpServer, type HttpServer } from './http/server';

/**
 * The process: config -> database -> migrations (-> first seed) -> HTTP server; signals stop it in
 * reverse order. With WORKERS=N the primary process does the database part once (starting the
 * embedded PostgreSQL, if that is the one) and runs N worker processes that share the port
 * (node:cluster); each worker is a whole, stateless server.
 */

/** Set by the primary for its workers: the database it prepared (workers neither migrate nor seed). */
const WORKER_DATABASE_URL = 'MG_WORKER_DATABASE_URL';

/** What the primary tells its workers of the embedded PostgreSQL it supervises. */
interface SupervisorMessage {
  type: 'mg-embedded-postgres';
  event: SupervisorEvent;
}

function start(): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  survivesDatabaseErrors(log);
  if (cluster.isWorker) void serve(config, log.child({ worker: cluster.worker!.id }), process.env[WORKER_DATABASE_URL]);
  else if (config.workers > 1) void supervise(config, log);
  else void serve(config, log);
}

/**
 * The last line of defence: every pg client and pool has an 'error' listener (db/pool.ts), but should
 * one be missed, a connection error raised as an uncaught exception must not end the service because
 * the database went away: it is logged and the service carries on (the client is already useless,
 * and its statement was failed). Anything else still ends the process, as it should.
 */
function survivesDatabaseErrors(log: Logger): void {
  process.on('uncaughtException', (error, origin) => {
    if (isConnectionError(error)) {
      log.error({ err: error, origin }, 'a database connection failed outside any statement; carrying on');
      return;
    }
    log.fatal({ err: error, origin }, 'uncaught exception; exiting');
    process.exit(1);
  });
}

/** Stops on SIGINT/SIGTERM; a second signal well after the first exits without waiting. */
function onSignals(log: Logger, stop: (reason: string) => Promise<void>, stopping: () => boolean): void {
  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping()) {
        firstSignalAt = Date.now();
        void stop(signal);
        return;
      }
      // Ctrl+C under `npm start` reaches us twice at once (from the terminal and forwarded by npm):
      // only a signal sent well after the first one means "stop waiting".
      if (Date.now() - firstSignalAt < 1000) return;
      log.warn({ signal }, 'second signal: exiting without waiting for the shutdown to finish');
      process.exit(1);
    });
  }
}

function startupFailure(log: Logger, config: Config, error: unknown): void {
  const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
  const listening = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  log.fatal(
    known || listening ? { reason: (error as Error).message } : { err: error },
    listening ? `port ${config.port} is already in use: set PORT to a free port` : 'could not start',
  );
}

/**
 * Connects to (or starts) PostgreSQL and supervises an embedded one, then applies the migrations and
 * applies to an embedded one every seed it has not had (whatever else it holds). A database that cannot be reached (not up yet, restarting) is
 * waited for, with backoff, rather than taken as a reason to exit.
 */
async function prepareDatabase(config: Config, log: Logger, onEvent?: (event: SupervisorEvent) => void): Promise<{ database: DatabaseServer; supervisor?: Supervisor }> {
  const database = await connectDatabaseServer(config, log, 'service');
  const supervisor = database.server && superviseEmbedded(database.server, { log, onEvent });
  try {
    await untilReachable(log, 'applying the migrations', async () => {
      // Migrations through a direct session: their advisory lock would not survive transaction pooling.
      // The embedded database also gets every seed it has not had (app/prepare.ts).
      await prepareSchemaAndSeeds(database.url, { embedded: database.embedded, log, migrationsUrl: config.listenUrl ?? database.url });
    });
    return { database, supervisor };
  } catch (error) {
    await supervisor?.stop();
    await database.release().catch(() => undefined);
    throw error;
  }
}

/** Runs `step` until it does not fail for want of the database, waiting 0.5 s doubling to 10 s between tries. */
async function untilReachable(log: Logger, what: string, step: () => Promise<void>): Promise<void> {
  for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      return await step();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      log.warn({ reason: (error as Error).message, retryInMs: wait }, `the database is not reachable while ${what}; waiting for it`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** One server: the whole service in this process (or one worker of the cluster). */
async function serve(config: Config, log: Logger, preparedUrl?: string): Promise<void> {
  let database: DatabaseServer | undefined;
  let supervisor: Supervisor | undefined;
  let pool: ReturnType<typeof createPool> | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let replicas: ReturnType<typeof createPool>[] = [];
  let http: HttpServer | undefined;
  let redis: Redis | undefined;
  let feed: DealFeed | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (reason: string, code: number) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        log.error('shutdown took too long; exiting anyway');
        process.exit(1);
      }, config.shutdownGraceMs + 30_000).unref();
      try {
        await http?.close(config.shutdownGraceMs);
        redis?.disconnect();
        clearInterval(sweeper);
        await feed?.stop();
        await Promise.all([pool, ...replicas].map((p) => p?.end()));
        await supervisor?.stop();
        await database?.release();
        // The last spans, the shutdown's own requests included.
        await tracing?.shutdown();
        log.info('stopped');
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
        code = 1;
      }
      clearTimeout(timer);
      process.exit(code);
    })());
  onSignals(log, (signal) => stop(signal, 0), () => stopping !== undefined);

  // A worker hears of the embedded PostgreSQL from the primary, which supervises it.
  const embeddedState: SupervisorState = { restarts: 0 };
  if (cluster.isWorker) {
    process.on('message', (message: SupervisorMessage) => {
      if (message?.type !== 'mg-embedded-postgres') return;
      if (message.event.kind === 'restarted') embeddedState.restarts++;
      else embeddedState.stoppedBecause = message.event.reason;
    });
  }

  try {
    if (preparedUrl) {
      database = { url: preparedUrl, adminUrl: preparedUrl, embedded: false, started: false, release: async () => undefined };
    } else {
      ({ database, supervisor } = await prepareDatabase(config, log));
    }
    const poolOptions = { statementTimeoutMs: config.timeouts.statementMs, waitMs: config.pool.waitMs, sessionSettings: config.pooler === 'none' };
    pool = createPool(database.url, config.pool.size, 'media-graph', poolOptions);
    sweeper = sweepCommitReceipts(pool);
    replicas = config.replicaUrls.map((url) => createPool(url, config.pool.size, 'media-graph replica', poolOptions));
    if (replicas.length) log.info({ replicas: config.replicaUrls.map(redactUrl) }, `reads go to ${replicas.length} read replica(s), writes to the primary`);
    feed = new DealFeed(config.listenUrl ?? database.url, new PoolQueryable(pool), log, { retentionDays: config.dealFeed.retentionDays });
    await feed.start();
    const supervised = supervisor;
    const embedded = supervised ? () => supervised.state() : cluster.isWorker && config.databaseUrl === undefined ? () => ({ ...embeddedState }) : undefined;
    // Shared rate limits: a failure to reach Redis lets requests through (the limits' skipOnError),
    // and the client reconnects by itself.
    redis = config.rateLimit.store === 'redis' && config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }) : undefined;
    redis?.on('error', (error) => log.warn({ reason: error.message }, 'Redis (shared rate limits) is not reachable; requests go through unlimited meanwhile'));
    http = await createHttpServer({ config, schema: await buildAppSchema({ direct: config.execution.direct }), pool, replicas, feed, log, embedded, redis });
    const url = await http.listen(config.port, config.host);
    log.info({ graphql: `${url}/graphql`, playground: `${url}/playground` }, `ready: GraphQL API and playground at ${url}/graphql`);
  } catch (error) {
    startupFailure(log, config, error);
    await stop('startup failed', 1);
  }
}

/**
 * The primary of WORKERS=N: prepares the database once, runs the workers, replaces one that dies,
 * and on a signal stops them all (each drains its requests) before releasing the database.
 */
async function supervise(config: Config, log: Logger): Promise<void> {
  let database: DatabaseServer | undefined;
  let supervisor: Supervisor | undefined;
  let stopping: Promise<void> | undefined;
  const workers = new Set<Worker>();
  const crashes: number[] = [];

  const stop = (reason: string, code: number) =>
    (stopping ??= (async () => {
      log.info({ reason, workers: workers.size }, 'shutting down the workers');
      const timer = setTimeout(() => {
        log.error('the workers took too long to stop; killing them');
        for (const worker of workers) worker.process.kill('SIGKILL');
      }, config.shutdownGraceMs + 30_000).unref();
      await Promise.all(
        [...workers].map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
      clearTimeout(timer);
      try {
        await supervisor?.stop();
        await database?.release();
        log.info('stopped');
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
        code = 1;
      }
      process.exit(code);
    })());
  onSignals(log, (signal) => stop(signal, 0), () => stopping !== undefined);

  try {
    // Each worker counts the restarts in its own /metrics and says in /ready when supervision gave up.
    const tell = (event: SupervisorEvent) => {
      for (const worker of workers) worker.send({ type: 'mg-embedded-postgres', event } satisfies SupervisorMessage);
    };
    ({ database, supervisor } = await prepareDatabase(config, log, tell));
  } catch (error) {
    startupFailure(log, config, error);
    await stop('startup failed', 1);
    return;
  }

  const fork = () => {
    const worker = cluster.fork({ [WORKER_DATABASE_URL]: database!.url });
    workers.add(worker);
    let listening = false;
    worker.once('listening', () => (listening = true));
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      if (!listening) {
        // A worker that cannot start (port taken, database gone) will not do better when forked again.
        log.fatal({ worker: worker.id, code, signal }, 'a worker could not start; stopping');
        void stop('worker failed to start', 1);
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - 60_000) crashes.shift();
      if (crashes.length > 5) {
        log.fatal({ crashes: crashes.length }, 'workers keep dying (more than 5 in a minute); stopping');
        void stop('workers keep dying', 1);
        return;
      }
      log.error({ worker: worker.id, code, signal }, 'a worker died; starting a new one');
      fork();
    });
  };
  for (let i = 0; i < config.workers; i++) fork();
  let ready = 0;
  cluster.on('listening', () => {
    if (++ready === config.workers) log.info({ workers: config.workers, port: config.port }, `ready: ${config.workers} workers share port ${config.port}`);
  });
}

start();
