/**
 * Polls `check` until it holds; fails naming `what` after `timeoutMs`. The suite's one way to wait:
 * tests wait for conditions, never for a fixed time. `what` may be a function, to describe the state
 * at the moment of failure (a process's output, say).
 */
export async function until(check: () => Promise<boolean> | boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
