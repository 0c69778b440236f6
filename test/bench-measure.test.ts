import { spawn } from 'node:child_process';
import { clusterSched, schedBetween, schedOf } from '../src/bench/cpu';
import { latencyOf, percentile } from '../src/bench/latency';

// The benchmark's measuring parts that do not need a server: latency percentiles from the times as
// measured, and the scheduler's account of a process's time (/proc), real processes only.

const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

test('percentiles keep fractions of a millisecond and use the nearest rank', () => {
  const times = Array.from({ length: 100 }, (_, i) => 100 - i + 0.5); // 100.5 ... 1.5, unsorted
  expect(latencyOf(times)).toEqual({ p50: 50.5, p99: 99.5 });
  expect(percentile([6.9], 0.99)).toBe(6.9);
  expect(latencyOf([])).toEqual({ p50: 0, p99: 0 });
});

test("a process's run time on a CPU grows while it computes, and reads zero once it is gone", () => {
  const before = schedOf(process.pid);
  busy(60);
  const after = schedOf(process.pid);
  expect(after.runMs - before.runMs).toBeGreaterThanOrEqual(40);
  expect(after.waitMs).toBeGreaterThanOrEqual(before.waitMs);
  expect(schedOf(2 ** 22 + 1)).toEqual({ runMs: 0, waitMs: 0 });
});

test("a parent's live children are summed (as PostgreSQL's backends are under the postmaster)", async () => {
  // A shell whose child computes for a while: the shell itself stays idle in `wait`.
  const parent = spawn('sh', ['-c', `"${process.execPath}" -e "const e = Date.now() + 3000; while (Date.now() < e);" & wait`], { stdio: 'ignore', detached: true });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const first = clusterSched(parent.pid!);
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
