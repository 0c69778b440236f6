import { GraphQLError } from 'graphql';
import { prepareDatabase } from '../app/prepare';
import { ConfigError, loadConfig, type Config } from '../config';
import { CommandError } from '../db/command';
import { EmbeddedPostgresError } from '../db/embedded';
import { isConnectionError } from '../db/failures';
import { createPool, PoolQueryable } from '../db/pool';
import { connectDatabaseServer } from '../db/server';
import { createLogger, type Logger } from '../logger';

export interface CommandContext {
  config: Config;
  log: Logger;
  db: PoolQueryable;
  /** URL of the database, for a command that needs a connection of its own. */
  url: string;
}

/**
 * Runs a command of the project against the same database as the service (DATABASE_URL, or the
 * embedded PostgreSQL of DATA_DIR: joined when running, started for the command otherwise), with the
 * schema migrated and, on the embedded one, the seeds applied (app/prepare.ts). Exits with 0 on success, 1 with a one-line reason on failure.
 */
export function runCommand(name: string, fn: (ctx: CommandContext) => Promise<number | void>): void {
  process.env.TZ = 'UTC';
  (async () => {
    const config = loadConfig();
    // Commands talk to people on stdout; their logs stay quiet unless asked for.
    const log = createLogger(process.env.LOG_LEVEL ?? 'warn', name);
    const server = await connectDatabaseServer(config, log, name);
    const pool = createPool(server.url, 4, `media-graph ${name}`);
    try {
      await prepareDatabase(server.url, { embedded: server.embedded, log });
      return (await fn({ config, log, db: new PoolQueryable(pool), url: server.url })) ?? 0;
    } finally {
      await pool.end();
      await server.release();
    }
  })().then(
    (code) => process.exit(code),
    (error) => {
      const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError || error instanceof CommandError;
      const unavailable = error instanceof GraphQLError && error.extensions.code === 'SERVICE_UNAVAILABLE';
      if (isConnectionError(error) || unavailable) {
        console.error(
          `${name} stopped: the database went away (${(error as Error).message}). Nothing of the step in progress was written; ` +
            'run the same command again to resume once the database is back (an import continues after its last completed batch).',
        );
      } else {
        console.error(known ? error.message : `${name} failed: ${(error as Error).message}`);
      }
      process.exit(1);
    },
  );
}

