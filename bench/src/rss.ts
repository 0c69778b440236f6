#!/usr/bin/env node
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { processCpuMs } from './cpu';
import { ROOT } from './paths';
import { QUERIES } from './queries';
import { requestBody, resolveVariables, START_NODE_ARGS } from './servers';

/**
 * The service's peak memory per benchmark query: one service process (started as `npm start` starts
 * it, plus `--node-args`), each query in turn under `--connections` for `--seconds`, and after each
 * the process's peak RSS since the previous one (VmHWM, reset through /proc/<pid>/clear_refs) and its
 * CPU per request. Memory a query leaves behind (a grown heap) shows in the next one's figure too,
 * which is how a long-running service lives: the last column is the peak of the whole run.
 *   npm run bench:rss -- --database postgres://.../bench --connections 50
 */

const program = new Command()
  .requiredOption('--database <url>', 'a benchmark database (prepared by npm run bench or bench/src/prepare.ts)')
  .option('--connections <n>', 'concurrent connections', Number, 50)
  .option('--seconds <n>', 'measured seconds per query', Number, 6)
  .option('--warmup <n>', 'warm-up seconds per query (before the peak is reset)', Number, 2)
  .option('--queries <ids>', 'which queries, e.g. Q1,Q6 (default: all)', (v) => v.split(','))
  .option('--node-args <args>', 'Node flags added to those of npm start, e.g. "--heap-growing-percent=100"', '')
  .option('--env <json>', 'service settings added to the benchmark\'s, e.g. \'{"MAX_COST_IN_FLIGHT":"75000"}\'', '{}');

const peakMb = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

function load(url: string, body: string, connections: number, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds }, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function main(): Promise<void> {
  const options = program.parse().opts<{ database: string; connections: number; seconds: number; warmup: number; queries?: string[]; nodeArgs: string; env: string }>();
  const port = 24_950;
  const nodeArgs = [...START_NODE_ARGS, ...options.nodeArgs.split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist', 'index.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: options.database,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      RATE_LIMIT_KEY_PER_MINUTE: '0',
      RESPONSE_CACHE: 'off',
      ...JSON.parse(options.env),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const server = { name: 'ours' as const, url: `http://127.0.0.1:${port}` };
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${server.url}/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300 || child.exitCode !== null) throw new Error('the service did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await resolveVariables([server]);
    console.log(`Node ${nodeArgs.join(' ')}, ${options.connections} connections, ${options.seconds} s per query; idle peak ${peakMb(child.pid!)} MB.`);
    console.log('| query | peak RSS MB | requests/s | server CPU ms/request |\n|---|---:|---:|---:|');
    let overall = 0;
    for (const query of QUERIES.filter((q) => !options.queries || options.queries.includes(q.id))) {
      const body = requestBody(server, query);
      await load(`${server.url}/graphql`, body, options.connections, options.warmup);
      fs.writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
      const cpu = processCpuMs(child.pid!);
      const result = await load(`${server.url}/graphql`, body, options.connections, options.seconds);
      const peak = peakMb(child.pid!);
      overall = Math.max(overall, peak);
      if (result.errors || result.non2xx) throw new Error(`${query.id}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      console.log(`| ${query.id} | ${peak} | ${Math.round(result.requests.average)} | ${((processCpuMs(child.pid!) - cpu) / result.requests.total).toFixed(2)} |`);
    }
    console.log(`\nPeak RSS over the run: ${overall} MB.`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
