import autocannon from 'autocannon';
import pg from 'pg';

/**
 * The load generator of the benchmark, run as its own process so that it does not share a CPU queue
 * with the server it measures. Reads one JSON job from argv, prints one JSON result on stdout.
 *   http: POSTs a GraphQL body to a URL with autocannon.
 *   sql:  runs one SQL statement with a pg pool of the same concurrency (the floor).
 */
export interface LoadJob {
  mode: 'http' | 'sql';
  target: string;
  /** GraphQL request body (http) or SQL text (sql). */
  payload: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function http(job: LoadJob): Promise<LoadResult> {
  const result = await autocannon({
    url: job.target,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: job.payload,
    connections: job.connections,
    duration: job.seconds,
  });
  return {
    requests: result.requests.total,
    rps: result.requests.total / job.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

async function sql(job: LoadJob): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: job.target, max: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (Date.now() < end) {
        const started = process.hrtime.bigint();
        try {
          await pool.query(job.payload);
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        } catch {
          errors++;
        }
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, rps: latencies.length / job.seconds, p50: at(0.5), p99: at(0.99), errors };
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
