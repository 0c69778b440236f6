import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * CPU time (user + system) spent by a server process and by the PostgreSQL cluster, read from /proc.
 * On a machine where the load generator, both servers and PostgreSQL share a few cores, throughput
 * moves with whatever else runs, but the CPU one request costs stays put: it is what the benchmark
 * divides by the requests served, next to requests/s.
 */

let msPerTick: number | undefined;

function tickMs(): number {
  if (msPerTick === undefined) {
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    msPerTick = 1000 / (Number.isFinite(hz) && hz > 0 ? hz : 100);
  }
  return msPerTick;
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, ...]; utime and stime are 11 and 12. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU milliseconds a process has used so far (0 once it is gone). */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) * tickMs() : 0;
}

/** The postmaster's pid, from the first line of `postmaster.pid` in the cluster's data directory. */
export function postmasterPid(pgData: string): number {
  return Number(fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * CPU milliseconds used so far by the postmaster and its children (backends, background workers): the
 * live ones' own time, and the postmaster's cutime + cstime, which holds the time of the children it
 * has reaped (a backend that exits between two readings, as the floor's connections do, still counts).
 */
export function clusterCpuMs(postmaster: number): number {
  const own = statFields(postmaster);
  if (!own) return 0;
  return (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * tickMs() + childrenOf(postmaster).reduce((sum, pid) => sum + processCpuMs(pid), 0);
}

/** The live processes whose parent is `parent` (from the ppid field of /proc/<pid>/stat). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === parent) children.push(Number(entry));
  }
  return children;
}

export interface CpuReading {
  server: number;
  postgres: number;
}

/** Reads the server's and the cluster's CPU now; `since` turns two readings into milliseconds per request. */
export function readCpu(serverPid: number, postmaster: number): CpuReading {
  return { server: processCpuMs(serverPid), postgres: clusterCpuMs(postmaster) };
}

export function cpuPerRequest(before: CpuReading, after: CpuReading, requests: number): CpuReading {
  const n = Math.max(1, requests);
  return { server: (after.server - before.server) / n, postgres: (after.postgres - before.postgres) / n };
}

/**
 * Scheduler time of a process's main thread so far (/proc/<pid>/schedstat, nanoseconds there): `runMs`
 * on a CPU, `waitMs` ready to run but waiting for one. On a machine where the load generator, the
 * server and PostgreSQL's backends share a few cores, the wait is where latency goes that no profile of
 * the server shows: a request whose process waits is late by that much. Zeros once the process is gone.
 */
export function schedOf(pid: number): { runMs: number; waitMs: number } {
  try {
    const [run, wait] = fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return { runMs: 0, waitMs: 0 };
  }
}

export type SchedReading = Map<number, { runMs: number; waitMs: number }>;

/** The same for each of the postmaster's live children (the backends serving the servers' pools), by pid. */
export function clusterSched(postmaster: number): SchedReading {
  return new Map(childrenOf(postmaster).map((pid) => [pid, schedOf(pid)]));
}

/**
 * What the children of two readings spent between them, summed: a backend started in between counts
 * from zero; one that exited in between is left out, its account gone with it (a pool that closes an
 * idle connection during a run makes the sum an undercount, never a negative).
 */
export function schedBetween(before: SchedReading, after: SchedReading): { runMs: number; waitMs: number } {
  const total = { runMs: 0, waitMs: 0 };
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { runMs: 0, waitMs: 0 };
    total.runMs += now.runMs - then.runMs;
    total.waitMs += now.waitMs - then.waitMs;
  }
  return total;
}
