import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Who uses the embedded PostgreSQL of a DATA_DIR: one lease file per process (the service, a
 * command, the test run), named by its pid and holding the process's start time, in
 * `DATA_DIR/leases/`. The last process to release its lease stops the server.
 *
 * Files, not connections: a lease that was a connection to PostgreSQL broke whenever PostgreSQL
 * restarted, and a command run afterwards found nobody else using the server and stopped it under
 * the running service. A file outlives the server; a lease whose process is gone (killed, crashed)
 * is recognised by its pid and start time, and ignored.
 *
 * Deciding to start, join or stop happens under a lock (`leases/lock`, a directory: mkdir is atomic),
 * so a process that joins cannot see the server stopped under it by one that was leaving.
 */

const LOCK_WAIT_MS = 120_000;
/** A lock directory without its owner file for this long was left by a process that died making it. */
const OWNERLESS_LOCK_MS = 10_000;

export interface Lease {
  file: string;
  pid: number;
}

interface LeaseRecord {
  pid: number;
  /** The process's start time (Linux: clock ticks since boot), so a reused pid is not mistaken for it. */
  startTime: string | null;
  command: string;
}

const leasesDir = (dataDir: string) => path.join(dataDir, 'leases');

/** A process's start time as the kernel tells it; null where /proc is not available. */
export async function processStartTime(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which may hold spaces and parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** True while the process `pid` runs (and is not a zombie waiting to be reaped). */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function alive(record: LeaseRecord): Promise<boolean> {
  if (!(await processAlive(record.pid))) return false;
  if (record.startTime === null) return true;
  const now = await processStartTime(record.pid);
  return now === null || now === record.startTime;
}

/** Runs `fn` holding the DATA_DIR's lock; a lock whose owner died is broken. */
export async function withDataDirLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const dir = leasesDir(dataDir);
  const lock = path.join(dir, 'lock');
  await fs.mkdir(dir, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await lockAbandoned(lock)) {
      await fs.rm(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${lock} has been held by another process for ${LOCK_WAIT_MS / 1000} s; if no media-graph process is running, remove it.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
  }
  const owner = path.join(lock, 'owner');
  await fs.writeFile(owner, JSON.stringify({ pid: process.pid, startTime: await processStartTime(process.pid) }));
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

async function lockAbandoned(lock: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await fs.readFile(path.join(lock, 'owner'), 'utf8')) as LeaseRecord;
    return !(await alive(owner));
  } catch {
    // No owner file yet: being made right now, or left by a process that died in between.
    const stat = await fs.stat(lock).catch(() => undefined);
    return stat !== undefined && Date.now() - stat.mtimeMs > OWNERLESS_LOCK_MS;
  }
}

/** Records this process as a user of the server. Call under the lock. */
export async function takeLease(dataDir: string, command: string): Promise<Lease> {
  const dir = leasesDir(dataDir);
  await fs.mkdir(dir, { recursive: true });
  // The pid and a random suffix: two acquisitions by one process (tests do that) are two leases.
  const file = path.join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.json`);
  const record: LeaseRecord = { pid: process.pid, startTime: await processStartTime(process.pid), command };
  await fs.writeFile(file, JSON.stringify(record));
  return { file, pid: process.pid };
}

/** Removes a lease. Call under the lock. */
export async function dropLease(lease: Lease): Promise<void> {
  await fs.rm(lease.file, { force: true });
}

/** The commands of the live leases other than `except`; leases of processes that are gone are removed. */
export async function otherLeases(dataDir: string, except?: Lease): Promise<string[]> {
  const dir = leasesDir(dataDir);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const others: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    if (file === except?.file) continue;
    let record: LeaseRecord;
    try {
      record = JSON.parse(await fs.readFile(file, 'utf8')) as LeaseRecord;
    } catch {
      continue;
    }
    if (await alive(record)) others.push(`${record.command} (pid ${record.pid})`);
    else await fs.rm(file, { force: true });
  }
  return others;
}
