import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { run } from './helpers/processes';
import { query, startTestServer } from './helpers/server';

// The import command, run as a process against a real PostgreSQL: vega-datasets' 3,201 real films,
// twice (same rows), killed and resumed (same final counts), and malformed records (a rejects file).

const movies = require(path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'movies.json')) as Record<string, unknown>[];

let workDir: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-import-'));
});

afterAll(async () => {
  for (const db of databases) await db.drop();
  await fs.rm(workDir, { recursive: true, force: true });
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase({ seed: false });
  databases.push(db);
  return db;
}

async function importInto(db: TestDatabase, args: string[]) {
  const child = run('cli/import.js', args, { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, workDir);
  const code = await child.exited;
  return { code, output: child.output() };
}

/** Everything the import writes, without ids and timestamps: equal when two databases hold the same catalogue. */
async function content(db: TestDatabase): Promise<Record<string, string>> {
  const queries: Record<string, string> = {
    film: `SELECT slug, title, status, release_date, genres, budget_amount, budget_currency, worldwide_gross_amount, worldwide_gross_currency, version FROM film`,
    studio: 'SELECT slug, name, kind, version FROM studio',
    producer: 'SELECT slug, name, kind, version FROM producer',
    film_studio: 'SELECT f.slug AS film, s.slug AS studio, fs.role FROM film_studio fs JOIN film f ON f.id = fs.film_id JOIN studio s ON s.id = fs.studio_id',
    film_producer: 'SELECT f.slug AS film, p.slug AS producer, fp.role FROM film_producer fp JOIN film f ON f.id = fp.film_id JOIN producer p ON p.id = fp.producer_id',
  };
  const result: Record<string, string> = {};
  for (const [table, sql] of Object.entries(queries)) {
    const { rows } = await db.pool.query(`SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM (${sql}) t`);
    result[table] = rows[0].digest;
  }
  return result;
}

/** Whole rows (timestamps included): equal when a second run changed nothing at all. */
async function rows(db: TestDatabase): Promise<string> {
  const { rows: [row] } = await db.pool.query(
    `SELECT md5((SELECT string_agg(f::text, '|' ORDER BY f.id) FROM film f) || (SELECT string_agg(s::text, '|' ORDER BY s.id) FROM studio s)
              || (SELECT string_agg(p::text, '|' ORDER BY p.id) FROM producer p)) AS digest`,
  );
  return row.digest;
}

const SUMMARY = /Done: (\d+) records: (\d+) inserted, (\d+) updated, (\d+) unchanged, (\d+) rejected\./;

function counts(output: string) {
  const match = SUMMARY.exec(output);
  if (!match) throw new Error(`no summary in:\n${output}`);
  const [, total, inserted, updated, unchanged, rejected] = match.map(Number);
  return { total, inserted, updated, unchanged, rejected };
}

let reference: TestDatabase;

test('the movies import loads the real catalogue, and a second run leaves exactly the same rows', async () => {
  reference = await database();
  const first = await importInto(reference, ['movies']);
  expect(first.code).toBe(0);
  const untitled = movies.filter((m) => m.Title === null).length;
  expect(counts(first.output)).toEqual({ total: movies.length, inserted: movies.length - untitled, updated: 0, unchanged: 0, rejected: untitled });
  const before = await rows(reference);

  const second = await importInto(reference, ['movies']);
  expect(second.code).toBe(0);
  expect(counts(second.output)).toEqual({ total: movies.length, inserted: 0, updated: 0, unchanged: movies.length - untitled, rejected: untitled });
  expect(await rows(reference)).toBe(before);
}, 120_000);

test('imported films answer over the API as the data says: distributors, directors, USD money, dates, numeric titles', async () => {
  const server = await startTestServer(reference);
  try {
    const land = movies.find((m) => m.Title === 'The Land Girls')!;
    const numeric = movies.find((m) => m.Title === 1776)!;
    const data = await query(
      server.url,
      `{ land: film(slug: "the-land-girls-1998") { title status releaseDate budget { amount currency } worldwideGross { amount currency }
                                                   studios { edges { role node { name kind } } } }
         numeric: films(filter: { title: { eq: "1776" } }) { nodes { title slug releaseDate producers { edges { role node { name } } } } }
         gramercy: studio(slug: "gramercy") { kind films(role: DISTRIBUTION) { totalCount } } }`,
    );
    expect(data.land).toEqual({
      title: 'The Land Girls',
      status: 'RELEASED',
      releaseDate: '1998-06-12',
      budget: { amount: String(land['Production Budget']), currency: 'USD' },
      worldwideGross: { amount: String(land['Worldwide Gross']), currency: 'USD' },
      studios: { edges: [{ role: 'DISTRIBUTION', node: { name: 'Gramercy', kind: 'DISTRIBUTOR' } }] },
    });
    expect(data.numeric.nodes).toEqual([
      {
        title: '1776',
        slug: `1776-${String(numeric['Release Date']).slice(-4)}`,
        releaseDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        producers: { edges: numeric.Director ? [{ role: 'DIRECTOR', node: { name: numeric.Director } }] : [] },
      },
    ]);
    expect(data.gramercy.films.totalCount).toBe(movies.filter((m) => m.Distributor === 'Gramercy' && m.Title !== null).length);
  } finally {
    await server.close();
  }
  const { rows: audit } = await reference.pool.query(`SELECT entity_type, count(*)::int AS n FROM audit_log WHERE operation = 'import' GROUP BY 1 ORDER BY 1`);
  expect(audit.find((r) => r.entity_type === 'Film').n).toBe(movies.length - 1);
});

test('an import killed partway resumes where it stopped, with the same final counts and rows', async () => {
  const db = await database();
  const child = run('cli/import.js', ['movies', '--batch-size', '20', '--max-rate', '1000'], { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, workDir);
  // Kill it hard once some batches are committed, well before the end.
  let position = 0;
  for (let i = 0; i < 400 && position < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const { rows: [run] } = await db.pool.query('SELECT position FROM import_run ORDER BY id DESC LIMIT 1');
    position = run?.position ?? 0;
  }
  child.process.kill('SIGKILL');
  await child.exited;
  const { rows: [stopped] } = await db.pool.query('SELECT id, position, finished_at FROM import_run');
  expect(stopped.finished_at).toBeNull();
  expect(stopped.position).toBeGreaterThan(0);
  expect(stopped.position).toBeLessThan(movies.length);

  const resumed = await importInto(db, ['movies', '--batch-size', '20']);
  expect(resumed.code).toBe(0);
  expect(resumed.output).toContain(`Resuming import run ${stopped.id} of movies after record ${stopped.position} of ${movies.length}.`);
  expect(counts(resumed.output)).toEqual({ total: movies.length, inserted: movies.length - 1, updated: 0, unchanged: 0, rejected: 1 });
  expect(await content(db)).toEqual(await content(reference));
}, 120_000);

test('malformed records go to a rejects file with their numbers and reasons; the rest is imported', async () => {
  const db = await database();
  const file = path.join(workDir, 'catalogue.csv');
  await fs.writeFile(
    file,
    [
      'title,releaseDate,status,genres,budgetUsd,worldwideGrossUsd,distributor,director',
      'Good One,2001-05-04,,Drama|Comedy,1000000,2500000.75,Indie Pictures,Ana Director',
      ',2001-05-04,,,,,,',
      'Bad Date,2001-02-30,,,,,,',
      'Negative,2001-05-04,,,-5,,,',
      'Odd Status,2001-05-04,SHELVED,,,,,',
      'Good One,2001-08-09,,,,,,',
      'Not Money,2001-05-04,,,lots,,,',
      'Upcoming,2099-01-01,,,,,Indie Pictures,',
    ].join('\n'),
  );
  const result = await importInto(db, [file]);
  expect(result.code).toBe(0);
  expect(counts(result.output)).toEqual({ total: 8, inserted: 2, updated: 0, unchanged: 0, rejected: 6 });
  const rejectsFile = path.join(workDir, 'catalogue.rejects.jsonl');
  expect(result.output).toContain(`Rejected records, with their numbers and reasons: ${rejectsFile}`);
  const rejects = (await fs.readFile(rejectsFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  expect(rejects.map(({ record, reason }) => ({ record, reason }))).toEqual([
    { record: 2, reason: 'title is missing' },
    { record: 3, reason: 'releaseDate "2001-02-30" is not a date written YYYY-MM-DD' },
    { record: 4, reason: 'budgetUsd must be a non-negative decimal amount in US dollars, got "-5"' },
    { record: 5, reason: 'status "SHELVED" is not one of ANNOUNCED, IN_DEVELOPMENT, PRE_PRODUCTION, IN_PRODUCTION, POST_PRODUCTION, RELEASED, CANCELLED' },
    // Same title, same year: the same film twice in one file.
    { record: 6, reason: 'duplicate of record 1 (same slug "good-one-2001")' },
    { record: 7, reason: 'budgetUsd must be a non-negative decimal amount in US dollars, got "lots"' },
  ]);
  expect(rejects[1].data).toMatchObject({ title: 'Bad Date', releaseDate: '2001-02-30' });
  const { rows } = await db.pool.query('SELECT slug, status, genres, budget_amount, worldwide_gross_amount FROM film ORDER BY slug');
  expect(rows).toEqual([
    { slug: 'good-one-2001', status: 'RELEASED', genres: ['Drama', 'Comedy'], budget_amount: '1000000', worldwide_gross_amount: '2500000.75' },
    // A release date after today: not released yet.
    { slug: 'upcoming-2099', status: 'ANNOUNCED', genres: [], budget_amount: null, worldwide_gross_amount: null },
  ]);
});

test('JSON Lines with a broken line: the line is rejected, the others imported', async () => {
  const db = await database();
  const file = path.join(workDir, 'lines.jsonl');
  await fs.writeFile(file, '{"title": "First", "releaseDate": "1999-01-01"}\n{not json\n{"title": 1408, "releaseDate": "2007-06-22", "director": "Mikael Håfström"}\n');
  const result = await importInto(db, [file]);
  expect(counts(result.output)).toEqual({ total: 3, inserted: 2, updated: 0, unchanged: 0, rejected: 1 });
  const { rows } = await db.pool.query(`SELECT f.title, p.slug AS director FROM film f LEFT JOIN film_producer fp ON fp.film_id = f.id LEFT JOIN producer p ON p.id = fp.producer_id ORDER BY f.title`);
  expect(rows).toEqual([
    { title: '1408', director: 'mikael-hafstrom' },
    { title: 'First', director: null },
  ]);
});
