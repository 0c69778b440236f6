import cliProgress from 'cli-progress';
import pg from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { withDatabase } from '../../src/db/server';
import type { Logger } from '../../src/logger';
import { loadDataset, sizeAt, type DatasetSize } from './dataset';

/** SQL functions that give PostGraphile the same relations as the service (it has no "partners"). */
export const POSTGRAPHILE_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION studio_partners(s studio) RETURNS SETOF studio LANGUAGE sql STABLE AS $$
     SELECT p.* FROM studio p
      WHERE p.id IN (SELECT b.studio_id FROM deal_party a JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id WHERE a.studio_id = s.id)
      ORDER BY p.name, p.id $$`,
  `CREATE OR REPLACE FUNCTION studio_latest_films(s studio) RETURNS SETOF film LANGUAGE sql STABLE AS $$
     SELECT f.* FROM film_studio fs JOIN film f ON f.id = fs.film_id WHERE fs.studio_id = s.id
      ORDER BY f.release_date DESC NULLS LAST, f.title, f.id, fs.role $$`,
  `CREATE OR REPLACE FUNCTION producer_latest_films(p producer) RETURNS SETOF film LANGUAGE sql STABLE AS $$
     SELECT f.* FROM film_producer fp JOIN film f ON f.id = fp.film_id WHERE fp.producer_id = p.id
      ORDER BY f.release_date DESC NULLS LAST, f.title, f.id, fp.role $$`,
];

/** A fresh benchmark database on `adminUrl`'s server: migrated, loaded, analysed. */
export async function prepareDatabase(adminUrl: string, name: string, scale: number, seed: number, log: Logger): Promise<{ url: string; size: DatasetSize }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  await runMigrations(url, log);
  const size = sizeAt(scale);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: 'loading [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}' }, cliProgress.Presets.shades_classic)
    : undefined;
  let last = 0;
  try {
    bar?.start(1, 0);
    const started = Date.now();
    const rows = await loadDataset(client, size, seed, (done, total) => {
      if (bar) {
        bar.setTotal(Math.round(total));
        bar.update(Math.round(done));
      } else if (Date.now() - last > 2000) {
        last = Date.now();
        console.log(`loading: ${Math.round(done)}/${Math.round(total)} rows`);
      }
    });
    bar?.stop();
    console.log(`Loaded ${rows} rows with COPY in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    for (const sql of POSTGRAPHILE_FUNCTIONS) await client.query(sql);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
  } finally {
    client.release();
    await pool.end();
  }
  return { url, size };
}
