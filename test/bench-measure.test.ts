import { spawn } from 'node:child_process';
import { clusterSched, schedOf } from '../src/bench/cpu';
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
    const children = clusterSched(parent.pid!);
    expect(children.runMs).toBeGreaterThan(50);
    expect(schedOf(parent.pid!).runMs).toBeLessThan(children.runMs);
  } finally {
    process.kill(-parent.pid!, 'SIGKILL'); // the shell and its child
    await new Promise((resolve) => (parent.exitCode !== null || parent.signalCode ? resolve(null) : parent.once('exit', resolve)));
  }
});
