#!/usr/bin/env node
import fs from 'node:fs';
import { Command } from 'commander';
import { processCpuMs } from './cpu';
import { QUERIES } from './queries';
import { peakRss, requestBody, resolveVariables, runLoad, START_NODE_ARGS, startOurs, stopProcesses } from './servers';

/**
 * The service's peak memory per benchmark query: one service process (started as `npm start` starts
 * it, plus `--node-args`), each query in turn under `--connections` for `--seconds`, and after each
 * the process's peak RSS since the previous one (VmHWM, reset through /proc/<pid>/clear_refs) and its
 * CPU per request. Memory a query leaves behind (a grown heap) shows in the next one's figure too,
 * which is how a long-running service lives: the last column is the peak of the whole run.
 *   npm run bench:rss -- --database postgres://.../bench --connections 50
 */

const program = new Command()
  .requiredOption('--database <url>', 'a benchmark database (made by npm run bench:prepare)')
  .option('--connections <n>', 'concurrent connections', Number, 50)
  .option('--seconds <n>', 'measured seconds per query', Number, 6)
  .option('--warmup <n>', 'warm-up seconds per query (before the peak is reset)', Number, 2)
  .option('--queries <ids>', 'which queries, e.g. Q1,Q6 (default: all)', (v) => v.split(','))
  .option('--node-args <args>', 'Node flags added to those of npm start, e.g. "--heap-growing-percent=100"', '')
  .option('--env <json>', 'service settings added to the benchmark\'s, e.g. \'{"MAX_COST_IN_FLIGHT":"75000"}\'', '{}');

async function main(): Promise<void> {
  const options = program.parse().opts<{ database: string; connections: number; seconds: number; warmup: number; queries?: string[]; nodeArgs: string; env: string }>();
  const extraArgs = options.nodeArgs.split(' ').filter(Boolean);
  // As the benchmark starts it (servers.ts): npm start's flags, the response cache off, no rate limits.
  const server = await startOurs(options.database, 10, extraArgs, JSON.parse(options.env));
  const pid = server.process.pid!;
  try {
    await resolveVariables([server]);
    console.log(`Node ${[...START_NODE_ARGS, ...extraArgs].join(' ')}, ${options.connections} connections, ${options.seconds} s per query; idle peak ${await peakRss(pid)} MB.`);
    console.log('| query | peak RSS MB | requests/s | server CPU ms/request |\n|---|---:|---:|---:|');
    let overall = 0;
    for (const query of QUERIES.filter((q) => !options.queries || options.queries.includes(q.id))) {
      const job = { mode: 'http' as const, target: `${server.url}/graphql`, payload: requestBody(server, query), connections: options.connections };
      await runLoad({ ...job, seconds: options.warmup });
      fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const cpu = processCpuMs(pid);
      const result = await runLoad({ ...job, seconds: options.seconds });
      const peak = await peakRss(pid);
      overall = Math.max(overall, peak);
      if (result.errors) throw new Error(`${query.id}: ${result.errors} failed requests`);
      console.log(`| ${query.id} | ${peak} | ${Math.round(result.rps)} | ${((processCpuMs(pid) - cpu) / result.requests).toFixed(2)} |`);
    }
    console.log(`\nPeak RSS over the run: ${overall} MB.`);
  } finally {
    await stopProcesses([server.process]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
