// The process runs in UTC whatever the host's zone: dates never shift with the machine.
process.env.TZ = 'UTC';
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded';
import { runMigrations } from './db/migrate';
import { createPool } from './db/pool';
import { articleSeed } from './db/seed/article';
import { applySeed, isCatalogueEmpty } from './db/seed/seed';
import { connectDatabaseServer, type DatabaseServer, redactUrl } from './db/server';
import { buildAppSchema } from './graphql/schema';
import { createLogger } from './logger';
import { createHttpServer, type HttpServer } from './server';

/** config -> database -> migrations (-> first seed) -> HTTP server; signals stop it in reverse order. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);

  let database: DatabaseServer | undefined;
  let pool: ReturnType<typeof createPool> | undefined;
  let replicas: ReturnType<typeof createPool>[] = [];
  let http: HttpServer | undefined;
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
        await Promise.all([pool, ...replicas].map((p) => p?.end()));
        await database?.release();
        log.info('stopped');
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
        code = 1;
      }
      clearTimeout(timer);
      process.exit(code);
    })());

  let firstSignalAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) {
        firstSignalAt = Date.now();
        void stop(signal, 0);
        return;
      }
      // Ctrl+C under `npm start` reaches us twice at once (from the terminal and forwarded by npm):
      // only a signal sent well after the first one means "stop waiting".
      if (Date.now() - firstSignalAt < 1000) return;
      log.warn({ signal }, 'second signal: exiting without waiting for the shutdown to finish');
      process.exit(1);
    });
  }

  try {
    database = await connectDatabaseServer(config, log);
    await runMigrations(database.url, log);
    const poolOptions = { statementTimeoutMs: config.timeouts.statementMs, waitMs: config.pool.waitMs, sessionSettings: config.pooler === 'none' };
    pool = createPool(database.url, config.pool.size, 'media-graph', poolOptions);
    replicas = config.replicaUrls.map((url) => createPool(url, config.pool.size, 'media-graph replica', poolOptions));
    if (replicas.length) log.info({ replicas: config.replicaUrls.map(redactUrl) }, `reads go to ${replicas.length} read replica(s), writes to the primary`);
    if (database.embedded && (await isCatalogueEmpty(pool))) {
      const seeded = await applySeed(pool, articleSeed);
      if (seeded.applied) log.info({ seed: seeded.name, version: seeded.version }, 'empty database: seeded with the article facts');
    }
    http = await createHttpServer({ config, schema: await buildAppSchema(), pool, replicas, log });
    const url = await http.listen(config.port, config.host);
    log.info({ graphql: `${url}/graphql`, playground: `${url}/playground` }, `ready: GraphQL API and playground at ${url}/graphql`);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
    const listening = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    log.fatal(
      known || listening ? { reason: (error as Error).message } : { err: error },
      listening ? `port ${config.port} is already in use: set PORT to a free port` : 'could not start',
    );
    await stop('startup failed', 1);
  }
}

void main();
