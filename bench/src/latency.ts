/**
 * Latency percentiles from every response time of a run, in fractional milliseconds. autocannon's own
 * histogram keeps whole milliseconds, which on a query answered in 6 ms moves p99/p50 by a sixth
 * (6.9 ms reads as 6); the benchmark's tail goal is a ratio, so it is computed from the times as
 * measured.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  // Nearest rank: the smallest time at or below which a fraction q of the times lie.
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50 and p99 of unsorted times (the array is sorted in place). */
export function latencyOf(times: number[]): { p50: number; p99: number } {
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}
