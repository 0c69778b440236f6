import autocannon from 'autocannon';
import pg from 'pg';
import { clusterCpuMs, schedOf } from './cpu';
import { latencyOf } from './latency';

/**
 * The load generator of the benchmark, run as its own process so that it does not share a CPU queue
 * with the server it measures. Reads one JSON job from argv, prints one JSON result on stdout.
 *   http: POSTs a GraphQL body to a URL with autocannon.
 *   sql:  runs one SQL statement, prepared, with a pg pool of the same concurrency (the floor).
 */
export interface LoadJob {
  mode: 'http' | 'sql';
  target: string;
  /** GraphQL request body (http) or SQL text (sql). */
  payload: string;
  connections: number;
  seconds: number;
  /** sql: the postmaster's pid, to read PostgreSQL's CPU over the timed seconds only (postgresCpuMs). */
  postmaster?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /**
   * Milliseconds per second of the run that the load generator's thread was ready to run but waited
   * for a CPU (its latencies include that wait).
   */
  generatorWaitMsPerSecond: number;
  /** sql with a postmaster: the cluster's CPU milliseconds per request over the timed seconds. */
  postgresCpuMs?: number;
}

/** The load generator's own wait for a CPU over `work`, in milliseconds per second. */
async function waited<T>(seconds: number, work: () => Promise<T>): Promise<[T, number]> {
  const before = schedOf(process.pid);
  const result = await work();
  return [result, (schedOf(process.pid).waitMs - before.waitMs) / seconds];
}

async function http(job: LoadJob): Promise<LoadResult> {
  // Every successful response's time, as autocannon measured it (its histogram rounds to whole ms).
  const times: number[] = [];
  const [result, generatorWaitMsPerSecond] = await waited(
    job.seconds,
    () =>
      new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          { url: job.target, method: 'POST', headers: { 'content-type': 'application/json' }, body: job.payload, connections: job.connections, duration: job.seconds },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
        });
      }),
  );
  return {
    requests: result.requests.total,
    rps: result.requests.total / job.seconds,
    ...latencyOf(times),
    errors: result.errors + result.non2xx + result.timeouts,
    generatorWaitMsPerSecond,
  };
}

async function sql(job: LoadJob): Promise<LoadResult> {
  // The answer is taken as PostgreSQL sends it, JSON text, as a server passing it on would: parsing
  // it here would spend the load generator's CPU, which shares the cores with PostgreSQL, on work no
  // server has to do.
  pg.types.setTypeParser(pg.types.builtins.JSON, (text) => text);
  const pool = new pg.Pool({ connectionString: job.target, max: job.connections });
  // Named, so each connection plans the statement once, as both servers' statements are planned:
  // planning it on every call made Q1's floor half as slow again (pgbench, one connection: 25.9 ms a
  // statement unprepared, 17.2 prepared).
  const statement = { name: 'floor', text: job.payload };
  // Every connection is opened, and has run the statement once, before the clock starts, as a
  // server's pool has after its warm-up: otherwise the first statement of each of the new backends
  // (password exchange, cold caches, planning) was one request in forty of Q1's and its p99.
  const clients = await Promise.all(Array.from({ length: job.connections }, () => pool.connect()));
  await Promise.all(clients.map((client) => client.query(statement)));
  for (const client of clients) client.release();
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = job.postmaster ? clusterCpuMs(job.postmaster) : 0;
  const end = Date.now() + job.seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const started = process.hrtime.bigint();
      try {
        await pool.query(statement);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  const [, generatorWaitMsPerSecond] = await waited(job.seconds, () => Promise.all(Array.from({ length: job.connections }, worker)));
  const postgresCpuMs = job.postmaster ? (clusterCpuMs(job.postmaster) - cpuBefore) / Math.max(1, latencies.length) : undefined;
  await pool.end();
  return { requests: latencies.length, rps: latencies.length / job.seconds, ...latencyOf(latencies), errors, generatorWaitMsPerSecond, postgresCpuMs };
}

const job = JSON.parse(process.argv[2]) as LoadJob;
(job.mode === 'http' ? http(job) : sql(job)).then(
  (result) => {
    process.stdout.write(JSON.stringify(result));
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
