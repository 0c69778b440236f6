import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { entities } from '../src/app/entities';
import { pendingSchemaChanges, runMigrations } from '../src/db/migrate';
import { createPool, PoolQueryable } from '../src/db/pool';
import { articleSeed } from '../src/seed/article';
import { applySeed } from '../src/seed/seed';
import { createTestDatabase, silentLog, type TestDatabase } from './helpers/database';

// The schema comes only from the committed migrations, agrees with the entities, and enforces the
// domain's rules itself; the seed can run any number of times.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

test('the migrations produce exactly what the entities describe (no drift)', async () => {
  const fresh = await createTestDatabase({ seed: false });
  try {
    expect(await pendingSchemaChanges(fresh.url, entities)).toEqual({ up: [], down: [] });
  } finally {
    await fresh.drop();
  }
});

test('migrations are idempotent: a second run applies nothing', async () => {
  expect(await runMigrations(db.url, silentLog)).toEqual([]);
});

test('every foreign key column is indexed', async () => {
  const { rows } = await db.pool.query<{ fk: string }>(
    `SELECT c.conrelid::regclass || '.' || a.attname AS fk
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
        AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
      ORDER BY 1`,
  );
  expect(rows).toEqual([]);
});

test('timestamps are timestamptz, dates are date, money is numeric', async () => {
  const { rows } = await db.pool.query<{ column: string; type: string }>(
    `SELECT table_name || '.' || column_name AS column, data_type AS type FROM information_schema.columns
      WHERE table_schema = 'public' AND (column_name LIKE '%\\_at' OR column_name LIKE '%\\_on' OR column_name LIKE '%date'
            OR column_name LIKE '%amount' OR column_name IN ('value_usd', 'stake_percent', 'us_gross_usd', 'us_dvd_sales_usd'))
        AND table_name <> 'migrations'
      ORDER BY 1`,
  );
  for (const { column, type } of rows) {
    const expected = column.endsWith('_at') ? 'timestamp with time zone' : /_on$|date$/.test(column) ? 'date' : 'numeric';
    expect({ column, type }).toEqual({ column, type: expected });
  }
  expect(rows.length).toBeGreaterThanOrEqual(17);
});

describe('constraints refuse what the domain forbids', () => {
  const refused = async (sql: string, constraint: string) => {
    await expect(db.pool.query(sql)).rejects.toMatchObject({ constraint });
  };

  test.each([
    ['a stake over 100%', `INSERT INTO deal (slug, kind, title, status, stake_percent) VALUES ('x', 'EQUITY_STAKE', 'x', 'CLOSED', 100.5)`, 'deal_stake_percent_check'],
    ['a negative stake', `INSERT INTO deal (slug, kind, title, status, stake_percent) VALUES ('x', 'EQUITY_STAKE', 'x', 'CLOSED', -1)`, 'deal_stake_percent_check'],
    ['a negative value', `INSERT INTO deal (slug, kind, title, status, value_amount, value_currency) VALUES ('x', 'INVESTMENT', 'x', 'CLOSED', -5, 'USD')`, 'deal_value_check'],
    ['a value without currency', `INSERT INTO deal (slug, kind, title, status, value_amount) VALUES ('x', 'INVESTMENT', 'x', 'CLOSED', 5)`, 'deal_value_check'],
    ['a currency that is not three capitals', `INSERT INTO film (slug, title, status, budget_amount, budget_currency) VALUES ('x', 'x', 'RELEASED', 1, 'us$')`, 'film_budget_check'],
    ['a negative gross', `INSERT INTO film (slug, title, status, worldwide_gross_amount, worldwide_gross_currency) VALUES ('x', 'x', 'RELEASED', -1, 'USD')`, 'film_worldwide_gross_check'],
    ['a month-precision date that is not the 1st', `INSERT INTO deal (slug, kind, title, status, announced_on, announced_on_precision) VALUES ('x', 'PARTNERSHIP', 'x', 'CLOSED', '2016-10-05', 'MONTH')`, 'deal_announced_on_check'],
    ['a date without precision', `INSERT INTO deal (slug, kind, title, status, announced_on) VALUES ('x', 'PARTNERSHIP', 'x', 'CLOSED', '2016-10-05')`, 'deal_announced_on_check'],
    ['a slug that is not kebab-case', `INSERT INTO studio (slug, name, kind) VALUES ('Alibaba Pictures', 'x', 'STUDIO')`, 'studio_slug_check'],
    ['a duplicate slug', `INSERT INTO studio (slug, name, kind) VALUES ('alibaba-pictures', 'x', 'STUDIO')`, 'studio_slug_key'],
    ['a blank name', `INSERT INTO studio (slug, name, kind) VALUES ('blank', '  ', 'STUDIO')`, 'studio_name_check'],
    ['a party that is no studio', `INSERT INTO deal_party (deal_id, studio_id, role) SELECT id, 999999, 'PARTNER' FROM deal LIMIT 1`, 'deal_party_studio_id_fkey'],
    ['deleting a studio that is party to deals', `DELETE FROM studio WHERE slug = 'wanda-film'`, 'deal_party_studio_id_fkey'],
  ])('%s', async (_, sql, constraint) => {
    await refused(sql, constraint);
  });

  test('required fields are NOT NULL', async () => {
    await expect(db.pool.query(`INSERT INTO film (slug, title) VALUES ('no-status', 'No status')`)).rejects.toMatchObject({
      code: '23502',
      column: 'status',
    });
  });
});

test('the seed is idempotent: applying it again (forced) changes no row', async () => {
  const snapshot = async () => {
    const tables = ['studio', 'producer', 'producer_studio', 'film', 'film_studio', 'film_producer', 'deal', 'deal_party', 'deal_film', 'source', 'deal_source'];
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      const { rows } = await db.pool.query(`SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t ORDER BY 1`);
      result[table] = rows.map((r) => r.row);
    }
    return result;
  };
  const before = await snapshot();
  expect(await applySeed(db.pool, articleSeed)).toEqual({ name: 'article', version: articleSeed.version, previousVersion: articleSeed.version, applied: false });
  expect(await applySeed(db.pool, articleSeed, { force: true })).toEqual({ name: 'article', version: articleSeed.version, previousVersion: articleSeed.version, applied: true });
  expect(await snapshot()).toEqual(before);
  expect(before.studio).toHaveLength(5);
  expect(before.deal).toHaveLength(6);
});

test('a seed that fails part-way leaves nothing behind', async () => {
  const fresh = await createTestDatabase({ seed: false });
  try {
    const broken = { ...articleSeed, name: 'broken', deals: [{ ...articleSeed.deals[0], parties: [{ studio: 'no-such-studio', role: articleSeed.deals[0].parties[0].role }] }] };
    await expect(applySeed(fresh.pool, broken)).rejects.toThrow('Seed "broken" refers to unknown studio "no-such-studio"');
    const { rows } = await fresh.pool.query('SELECT (SELECT count(*) FROM studio)::int AS studios, (SELECT count(*) FROM seed_history)::int AS seeds');
    expect(rows[0]).toEqual({ studios: 0, seeds: 0 });
  } finally {
    await fresh.drop();
  }
});

test('statements are prepared once per connection on a direct pool, and never behind a transaction pooler', async () => {
  const direct = createPool(db.url, 1, 'prepare-test');
  const pooled = createPool(db.url, 1, 'prepare-test', { sessionSettings: false });
  try {
    const text = 'SELECT slug FROM studio WHERE id = ANY($1::int[]) ORDER BY slug';
    const prepared = () => new PoolQueryable(direct).query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'mg_%'");
    const before = (await prepared())[0].n;
    const first = await new PoolQueryable(direct).query(text, [[1, 2, 3]]);
    const second = await new PoolQueryable(direct).query(text, [[1, 2, 3]]);
    expect(second).toEqual(first);
    // The pool has one connection: the text was prepared on it once (and so was the counting query).
    expect((await prepared())[0].n).toBe(before + 1);
    await new PoolQueryable(pooled).query(text, [[1, 2, 3]]);
    expect((await new PoolQueryable(pooled).query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements'))[0].n).toBe(0);
  } finally {
    await Promise.all([direct.end(), pooled.end()]);
  }
});

test("a transaction's statements asked at once run one at a time, in order, with no call pg deprecates", async () => {
  // A real process with --throw-deprecation (the built service): pg warns once per process that a
  // statement sent to a busy client is queued by pg itself, a queue pg 9 removes. The loaders of
  // one level ask at once, in a write's transaction and in an X-Read-After request's replica one.
  const script = `
    const pg = require('pg');
    const { PoolQueryable } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'db', 'pool.js'))});
    const pool = new pg.Pool({ connectionString: process.argv[1], max: 1 });
    const db = new PoolQueryable(pool);
    const ask = (tx) => Promise.all([1, 2, 3, 4].map((n) => tx.query('SELECT $1::int AS n, clock_timestamp() AS at', [n])));
    Promise.all([db.readOnly(ask), db.transaction(ask)])
      .then((answers) => console.log(JSON.stringify(answers.map((rows) => rows.map(([row]) => row)))))
      .finally(() => pool.end());`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--throw-deprecation', '-e', script, db.url], { timeout: 30_000 });
  for (const rows of JSON.parse(stdout) as { n: number; at: string }[][]) {
    expect(rows.map((row) => row.n)).toEqual([1, 2, 3, 4]);
    const times = rows.map((row) => new Date(row.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }
});
