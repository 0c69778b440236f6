import type { Config } from '../config';
import type { Logger } from '../logger';
import { acquireEmbeddedPostgres, type EmbeddedServer } from './embedded';

/** The PostgreSQL server this process works with, embedded or external. */
export interface DatabaseServer {
  /** URL of the application database. */
  url: string;
  /** URL of a maintenance database on the same server, for creating and dropping databases. */
  adminUrl: string;
  /** True for the embedded server of DATA_DIR. */
  embedded: boolean;
  /** True when this process started the server (an embedded one, on an empty or stopped DATA_DIR). */
  started: boolean;
  /** Ends this process's use of the server (stops the embedded one if nobody else uses it). */
  release(): Promise<void>;
  /** The embedded server, for the service to supervise; undefined for DATABASE_URL. */
  server?: EmbeddedServer;
}

/**
 * The one way every command reaches PostgreSQL: DATABASE_URL when set, otherwise the embedded server
 * of DATA_DIR, joined if the service (or another command) already runs it, started if not.
 */
export async function connectDatabaseServer(config: Config, log: Logger, command = 'media-graph'): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    log.info({ database: redactUrl(config.databaseUrl) }, 'using the external PostgreSQL of DATABASE_URL');
    return {
      url: config.databaseUrl,
      adminUrl: withDatabase(config.databaseUrl, 'postgres'),
      embedded: false,
      started: false,
      release: async () => undefined,
    };
  }
  const embedded = await acquireEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log, command });
  return { ...embedded, embedded: true };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A URL safe to log: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable URL]';
  }
}
