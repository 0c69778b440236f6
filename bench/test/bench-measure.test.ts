import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { clusterSched, schedBetween, schedOf } from '../src/cpu';
import { latencyOf, percentile } from '../src/latency';
import { HAND_WRITTEN, handWritten } from '../src/results-file';

// The benchmark's measuring parts that do not need a server: latency percentiles from the times as
// measured, the scheduler's account of a process's time (/proc), real processes only, and the
// results file's hand-written part, which a run keeps.

/** Computes on this thread until the scheduler has run it `ms` more (or `deadlineMs` of wall time pass). */
const busyFor = (pid: number, ms: number, deadlineMs = 10_000) => {
  const start = schedOf(pid).runMs;
  const end = Date.now() + deadlineMs;
  while (schedOf(pid).runMs - start < ms && Date.now() < end);
};
test('percentiles keep fractions of a millisecond and use the nearest rank', () => {
  const times = Array.from({ length: 100 }, (_, i) => 100 - i + 0.5); // 100.5 ... 1.5, unsorted
  expect(latencyOf(times)).toEqual({ p50: 50.5, p99: 99.5 });
  expect(percentile([6.9], 0.99)).toBe(6.9);
  expect(latencyOf([])).toEqual({ p50: 0, p99: 0 });
});

test("a process's run time on a CPU grows while it computes, and reads zero once it is gone", () => {
  // Counted in CPU time, not wall time: on a loaded machine 60 ms of wall time can hold far less.
  const before = schedOf(process.pid);
  const cpuBefore = process.cpuUsage();
  busyFor(process.pid, 60);
  const cpu = process.cpuUsage(cpuBefore);
  const after = schedOf(process.pid);
  expect(after.runMs - before.runMs).toBeGreaterThanOrEqual(60);
  // The kernel's other account of the same time (getrusage, whole process) agrees, to its tick.
  expect((cpu.user + cpu.system) / 1000).toBeGreaterThanOrEqual(40);
  expect(after.waitMs).toBeGreaterThanOrEqual(before.waitMs);
  expect(schedOf(2 ** 22 + 1)).toEqual({ runMs: 0, waitMs: 0 });
});

test("a parent's live children are summed (as PostgreSQL's backends are under the postmaster)", async () => {
  // A shell whose child computes for a while: the shell itself stays idle in `wait`.
  // It computes until killed below; the test waits for CPU time it has had, not for wall time.
  const parent = spawn('sh', ['-c', `"${process.execPath}" -e "const e = Date.now() + 60000; while (Date.now() < e);" & wait`], { stdio: 'ignore', detached: true });
  try {
    let first = clusterSched(parent.pid!);
    for (const end = Date.now() + 15_000; schedBetween(new Map(), first).runMs <= 50 && Date.now() < end; first = clusterSched(parent.pid!)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...first.keys()]).toHaveLength(1);
    const children = schedBetween(new Map(), first);
    expect(children.runMs).toBeGreaterThan(50);
    expect(schedOf(parent.pid!).runMs).toBeLessThan(children.runMs);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = schedBetween(first, clusterSched(parent.pid!));
    // The child computed on, counted from the first reading: no more than the time that passed.
    expect(later.runMs).toBeGreaterThan(0);
    expect(later.runMs).toBeLessThanOrEqual(performance.now() - started + 20);
  } finally {
    process.kill(-parent.pid!, 'SIGKILL'); // the shell and its child
    await new Promise((resolve) => (parent.exitCode !== null || parent.signalCode ? resolve(null) : parent.once('exit', resolve)));
  }
});

test('a child that exits between two readings is left out of the sum, never subtracted', () => {
  const before = new Map([
    [1, { runMs: 500, waitMs: 900 }],
    [2, { runMs: 10, waitMs: 20 }],
  ]);
  // 1 exited (its 900 ms of waiting gone with it), 2 went on, 3 started in between.
  const after = new Map([
    [2, { runMs: 40, waitMs: 50 }],
    [3, { runMs: 5, waitMs: 7 }],
  ]);
  expect(schedBetween(before, after)).toEqual({ runMs: 35, waitMs: 37 });
});

test('a new report keeps what the results file holds below the hand-written line, and only that', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-results-'));
  const file = path.join(dir, 'results.md');
  expect(await handWritten(file)).toBe('');
  await fs.writeFile(file, '# Benchmark results\n\nold numbers\n');
  expect(await handWritten(file)).toBe('');
  await fs.writeFile(file, `# Benchmark results\n\nold numbers\n\n${HAND_WRITTEN}\n\n## A section by hand\n`);
  expect(await handWritten(file)).toBe(`\n${HAND_WRITTEN}\n\n## A section by hand\n`);
  await fs.rm(dir, { recursive: true });
});
