import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger';
import type { EmbeddedServer } from './embedded';
import { withDataDirLock } from './leases';

/**
 * Keeps the embedded PostgreSQL running under the service: a postmaster that dies (kill -9, the OOM
 * killer, a stop from outside) is started again, which runs PostgreSQL's crash recovery, so every
 * committed transaction is there afterwards. Requests meanwhile get SERVICE_UNAVAILABLE.
 *
 * At most `maxRestartsPerMinute` starts in any 60 seconds: a server that keeps dying (a full disk, a
 * corrupt cluster) is not started in a loop. Past that the supervisor stops trying and says why
 * (`state().stoppedBecause`, shown by /ready and the log).
 */

export interface SupervisorOptions {
  log: Logger;
  /** Starts allowed in any 60 seconds before giving up. */
  maxRestartsPerMinute?: number;
  /** How often the postmaster is looked for. */
  checkEveryMs?: number;
  /** Told of each restart, and once when the supervisor gives up. */
  onEvent?(event: SupervisorEvent): void;
}

export type SupervisorEvent = { kind: 'restarted'; downMs: number } | { kind: 'gave-up'; reason: string };

export interface SupervisorState {
  /** Restarts so far. */
  restarts: number;
  /** Set once the supervisor gave up: why. */
  stoppedBecause?: string;
}

export interface Supervisor {
  state(): SupervisorState;
  /** Stops watching (before the service releases the server itself). */
  stop(): Promise<void>;
}

export const MAX_RESTARTS_PER_MINUTE = 5;

export function superviseEmbedded(server: EmbeddedServer, options: SupervisorOptions): Supervisor {
  const { log } = options;
  const max = options.maxRestartsPerMinute ?? MAX_RESTARTS_PER_MINUTE;
  const state: SupervisorState = { restarts: 0 };
  const starts: number[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = check().finally(() => schedule(options.checkEveryMs ?? 500));
    }, ms);
    timer.unref();
  };

  const giveUp = (reason: string) => {
    state.stoppedBecause = reason;
    stopped = true;
    log.fatal({ reason }, 'the embedded PostgreSQL keeps failing: not starting it again; the service answers 503 until it is restarted');
    options.onEvent?.({ kind: 'gave-up', reason });
  };

  async function check(): Promise<void> {
    if (stopped || (await server.postmasterPid()) !== undefined) return;
    const downSince = Date.now();
    log.error({ dataDir: server.dataDir }, 'the embedded PostgreSQL is not running (its postmaster is gone); starting it again');
    for (let attempt = 1; !stopped; attempt++) {
      const now = Date.now();
      while (starts.length && starts[0] < now - 60_000) starts.shift();
      if (starts.length >= max) {
        giveUp(`it had to be started ${starts.length} times within a minute; its log ends with:\n${await server.logTail()}`);
        return;
      }
      starts.push(now);
      try {
        await withDataDirLock(server.dataDir, async () => {
          // Another process on this DATA_DIR may have started it meanwhile.
          if ((await server.postmasterPid()) !== undefined) return;
          // Backends of the dead postmaster keep its shared memory until they notice and exit; the
          // new postmaster refuses to start while they hold it. They are doomed anyway.
          await killOrphans(server.pgData);
          // A postmaster killed outright may linger as a zombie (a container's init need not reap
          // it): PostgreSQL then takes its pid file for a running server's. It is neither.
          await fs.rm(path.join(server.pgData, 'postmaster.pid'), { force: true });
          await server.start();
        });
        state.restarts++;
        const downMs = Date.now() - downSince;
        log.warn({ restarts: state.restarts, downMs, attempt }, 'the embedded PostgreSQL is running again (after crash recovery)');
        options.onEvent?.({ kind: 'restarted', downMs });
        return;
      } catch (error) {
        log.error({ err: error, attempt }, 'could not start the embedded PostgreSQL again yet');
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** (attempt - 1), 5_000)));
      }
    }
  }

  schedule(options.checkEveryMs ?? 500);
  return {
    state: () => ({ ...state }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Processes left by a dead postmaster on `pgData`: PostgreSQL's processes run in the data directory,
 * so /proc/<pid>/cwd tells them from those of any other cluster on the machine. Killed, and waited for.
 */
export async function killOrphans(pgData: string): Promise<number> {
  const target = await fs.realpath(pgData).catch(() => pgData);
  const orphans: number[] = [];
  for (const name of await fs.readdir('/proc').catch(() => [] as string[])) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd !== target) continue;
    const comm = (await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    if (comm !== 'postgres' && !comm.startsWith('postgres')) continue;
    try {
      process.kill(pid, 'SIGKILL');
      orphans.push(pid);
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 10_000;
  for (const pid of orphans) {
    while (Date.now() < deadline) {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
      if (stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return orphans.length;
}
