import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { withDatabase } from '../../src/db/server';

// `npm run bench:prepare` then `npm run bench:plans` on what it made, as a user runs them: real
// processes on the run's PostgreSQL (the scripts compiled by this suite's global setup).

const run = promisify(execFile);
const DIST = path.join(__dirname, '..', 'dist', 'bench', 'src');
const server = () => process.env.MG_TEST_SERVER_URL!;
const name = `mg_bench_plans_${process.env.JEST_WORKER_ID ?? '0'}`;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: server() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
});

test('bench:prepare makes a loaded benchmark database, and bench:plans explains every statement of a query on it', async () => {
  const prepared = await run(process.execPath, [path.join(DIST, 'prepare-cli.js'), '--server', server(), '--name', name, '--scale', '0.02', '--seed', '7'], { timeout: 120_000 });
  expect(prepared.stdout).toMatch(/Ready: .* \(40 studios, 100 producers, 1000 films, 400 deals\)\./);
  const db = new pg.Client({ connectionString: withDatabase(server(), name) });
  await db.connect();
  try {
    const { rows } = await db.query<{ films: number }>('SELECT count(*)::int AS films FROM film');
    expect(rows[0].films).toBe(1000);
  } finally {
    await db.end();
  }

  const plans = await run(process.execPath, [path.join(DIST, 'plans.js'), '--database', withDatabase(server(), name), '--queries', 'Q8', '--runs', '1', '--plans'], { timeout: 120_000 });
  // Q8 is three statements: the producer, its latest films, their studios; each one explained.
  expect(plans.stdout).toContain("### Q8: a producer's page");
  expect(plans.stdout).toMatch(/\| all \| 3 statements \|/);
  expect(plans.stdout.match(/^-- statement \d/gm)).toEqual(['-- statement 1', '-- statement 2', '-- statement 3']);
  expect(plans.stdout).toMatch(/Index Only Scan using film_producer_producer_latest_idx/);
}, 240_000);

test('bench:prepare refuses a database name it would have to quote, naming the option', async () => {
  await expect(run(process.execPath, [path.join(DIST, 'prepare-cli.js'), '--server', server(), '--name', 'bench; DROP', '--scale', '0.02'])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('--name must be a plain lower-case identifier'),
  });
});
