import { type ChildProcess, spawn } from 'node:child_process';
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
