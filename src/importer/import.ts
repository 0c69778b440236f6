import fs from 'node:fs/promises';
import { CommandError } from '../db/command';
import { connectClient, type Queryable } from '../db/pool';
import { statesOf } from '../graphql/write';
import { slugify } from '../graphql/validation';
import { type FilmRecord, normalize } from './records';
import type { ImportSource } from './sources';

/**
 * Imports film records: each batch is one transaction that writes its films, studios, producers,
 * credits, audit rows, rejects and the run's progress together. So a run killed at any point
 * resumes after its last committed batch, and its final counts are those of an uninterrupted run.
 * Rows are matched on natural keys (slugs) and written only when they change: importing the same
 * records again leaves every row as it was.
 */

export interface ImportOptions {
  batchSize: number;
  /** Records per second at most (0: no limit), to spare a busy database. */
  maxRate: number;
  /** Author of the changes in the audit history. */
  actor: string;
  /** Where the rejected records are written, as JSON lines. */
  rejectsFile: string;
  /** Called after each batch. */
  onProgress?: (progress: Progress) => void;
  /** Called once the run is known (new or resumed) and the records counted. */
  onStart?: (start: { runId: number; resumedAt: number; total: number }) => void;
}

export interface Progress {
  done: number;
  total: number;
  counts: Counts;
}

export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportSummary extends Counts {
  runId: number;
  /** The record the run resumed after (0 for a fresh run). */
  resumedAt: number;
  total: number;
  rejectsFile: string | null;
}

interface Numbered {
  number: number;
  raw: Record<string, unknown>;
}

/** Serialises imports of the same content: a second one waits for nothing, it is refused. */
const lockKey = (hash: string) => Number.parseInt(hash.slice(0, 8), 16) | 0;

export async function runImport(url: string, db: Queryable, source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
  const hash = await source.hash();
  const lock = await connectClient({ connectionString: url, application_name: 'media-graph import lock' });
  try {
    const [{ locked }] = (await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(727003, $1) AS locked', [lockKey(hash)])).rows;
    if (!locked) throw new CommandError(`An import of ${source.name} is already running; wait for it to finish.`);
    return await importLocked(db, source, hash, options);
  } finally {
    await lock.end().catch(() => undefined);
  }
}

async function importLocked(db: Queryable, source: ImportSource, hash: string, options: ImportOptions): Promise<ImportSummary> {
  let total = 0;
  for await (const _ of source.records()) total++;

  const [existing] = await db.query<{ id: number; position: number }>(
    'SELECT id, position FROM import_run WHERE source_hash = $1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1',
    [hash],
  );
  const run =
    existing ??
    (await db.query<{ id: number; position: number }>('INSERT INTO import_run (source, source_hash) VALUES ($1, $2) RETURNING id, position', [source.name, hash]))[0];
  options.onStart?.({ runId: run.id, resumedAt: run.position, total });

  const today = new Date().toISOString().slice(0, 10);
  // Slugs already taken by earlier records of this source: a record with the same slug is a duplicate.
  const seen = new Map<string, number>();
  const started = Date.now();
  let processed = 0;
  let batch: Numbered[] = [];
  let number = 0;
  let counts = await runCounts(db, run.id);

  const flush = async () => {
    if (!batch.length) return;
    counts = await writeBatch(db, run.id, batch, seen, today, options.actor);
    processed += batch.length;
    batch = [];
    options.onProgress?.({ done: number, total, counts });
    if (options.maxRate > 0) {
      const ahead = (processed / options.maxRate) * 1000 - (Date.now() - started);
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
    }
  };

  for await (const raw of source.records()) {
    number++;
    if (number <= run.position) {
      // Committed before: only remember its slug, for the duplicate check of what follows.
      const normalized = normalize(raw, today);
      if (normalized.ok && !seen.has(normalized.record.slug)) seen.set(normalized.record.slug, number);
      continue;
    }
    batch.push({ number, raw });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();

  await db.query('UPDATE import_run SET finished_at = now() WHERE id = $1', [run.id]);
  const rejectsFile = await writeRejects(db, run.id, options.rejectsFile);
  return { runId: run.id, resumedAt: run.position, total, ...counts, rejectsFile };
}

async function runCounts(db: Queryable, runId: number): Promise<Counts> {
  const [row] = await db.query<Counts>('SELECT inserted, updated, unchanged, rejected FROM import_run WHERE id = $1', [runId]);
  return row;
}

/** One batch, one transaction: records, their links, their audit rows, rejects and progress. */
async function writeBatch(db: Queryable, runId: number, batch: Numbered[], seen: Map<string, number>, today: string, actor: string): Promise<Counts> {
  const good: Array<Numbered & { record: FilmRecord }> = [];
  const rejects: Array<{ number: number; reason: string; raw: unknown }> = [];
  const batchSlugs = new Map<string, number>();
  for (const item of batch) {
    const invalid = item.raw.__invalid;
    const normalized: ReturnType<typeof normalize> = typeof invalid === 'string' ? { ok: false, reason: invalid } : normalize(item.raw, today);
    if (!normalized.ok) {
      rejects.push({ number: item.number, reason: normalized.reason, raw: item.raw });
      continue;
    }
    const earlier = seen.get(normalized.record.slug) ?? batchSlugs.get(normalized.record.slug);
    if (earlier !== undefined) {
      rejects.push({ number: item.number, reason: `duplicate of record ${earlier} (same slug "${normalized.record.slug}")`, raw: item.raw });
      continue;
    }
    batchSlugs.set(normalized.record.slug, item.number);
    good.push({ ...item, record: normalized.record });
  }

  const counts = await db.transaction(async (tx) => {
    const studioIds = await ensureNamed(tx, 'studio', "'DISTRIBUTOR'::studio_kind", good.map((g) => g.record.distributor), actor);
    const producerIds = await ensureNamed(tx, 'producer', "'PERSON'::producer_kind", good.map((g) => g.record.director), actor);

    const slugs = good.map((g) => g.record.slug);
    const before = await tx.query<{ id: number }>('SELECT id FROM film WHERE slug = ANY($1::text[])', [slugs]);
    const beforeStates = before.length ? await statesOf(tx, 'Film', before.map((r) => r.id)) : new Map();

    const written = await tx.query<{ id: number; slug: string; inserted: boolean }>(
      `INSERT INTO film (slug, title, status, release_date, genres, budget_amount, budget_currency, worldwide_gross_amount, worldwide_gross_currency)
       SELECT s, t, st::film_status, d, ARRAY(SELECT jsonb_array_elements_text(g)), b, CASE WHEN b IS NULL THEN NULL ELSE 'USD' END,
              w, CASE WHEN w IS NULL THEN NULL ELSE 'USD' END
         FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::jsonb[], $6::numeric[], $7::numeric[]) AS x(s, t, st, d, g, b, w)
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status, release_date = EXCLUDED.release_date,
         genres = EXCLUDED.genres, budget_amount = EXCLUDED.budget_amount, budget_currency = EXCLUDED.budget_currency,
         worldwide_gross_amount = EXCLUDED.worldwide_gross_amount, worldwide_gross_currency = EXCLUDED.worldwide_gross_currency,
         version = film.version + 1, updated_at = now()
       WHERE (film.title, film.status, film.release_date, film.genres, film.budget_amount, film.budget_currency,
              film.worldwide_gross_amount, film.worldwide_gross_currency)
             IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.status, EXCLUDED.release_date, EXCLUDED.genres, EXCLUDED.budget_amount,
              EXCLUDED.budget_currency, EXCLUDED.worldwide_gross_amount, EXCLUDED.worldwide_gross_currency)
       RETURNING id, slug, (xmax = 0) AS inserted`,
      [
        slugs,
        good.map((g) => g.record.title),
        good.map((g) => g.record.status),
        good.map((g) => g.record.releaseDate),
        good.map((g) => JSON.stringify(g.record.genres)),
        good.map((g) => g.record.budgetUsd),
        good.map((g) => g.record.worldwideGrossUsd),
      ],
    );
    const ids = new Map((await tx.query<{ id: number; slug: string }>('SELECT id, slug FROM film WHERE slug = ANY($1::text[])', [slugs])).map((r) => [r.slug, r.id]));

    const credited = new Set<number>();
    const studioCredits = good.filter((g) => g.record.distributor);
    for (const row of await tx.query<{ film_id: number }>(
      `INSERT INTO film_studio (film_id, studio_id, role) SELECT f, s, 'DISTRIBUTION' FROM unnest($1::int[], $2::int[]) AS x(f, s)
       ON CONFLICT DO NOTHING RETURNING film_id`,
      [studioCredits.map((g) => ids.get(g.record.slug)), studioCredits.map((g) => studioIds.get(slugify(g.record.distributor!)))],
    )) {
      credited.add(row.film_id);
    }
    const producerCredits = good.filter((g) => g.record.director);
    for (const row of await tx.query<{ film_id: number }>(
      `INSERT INTO film_producer (film_id, producer_id, role) SELECT f, p, 'DIRECTOR' FROM unnest($1::int[], $2::int[]) AS x(f, p)
       ON CONFLICT DO NOTHING RETURNING film_id`,
      [producerCredits.map((g) => ids.get(g.record.slug)), producerCredits.map((g) => producerIds.get(slugify(g.record.director!)))],
    )) {
      credited.add(row.film_id);
    }

    const inserted = new Set(written.filter((r) => r.inserted).map((r) => r.id));
    const updated = new Set(written.filter((r) => !r.inserted).map((r) => r.id));
    // A new credit on an otherwise unchanged film changes the film too.
    const creditOnly = [...credited].filter((id) => !inserted.has(id) && !updated.has(id));
    if (creditOnly.length) await tx.query('UPDATE film SET version = version + 1, updated_at = now() WHERE id = ANY($1::int[])', [creditOnly]);
    creditOnly.forEach((id) => updated.add(id));

    const changed = [...inserted, ...updated];
    if (changed.length) {
      const after = await statesOf(tx, 'Film', changed);
      await tx.query(
        `INSERT INTO audit_log (actor, operation, entity_type, entity_id, before, after)
         SELECT $1, 'import', 'Film', id, b, a FROM unnest($2::int[], $3::jsonb[], $4::jsonb[]) AS x(id, b, a)`,
        [actor, changed, changed.map((id) => JSON.stringify(beforeStates.get(id) ?? null)), changed.map((id) => JSON.stringify(after.get(id) ?? null))],
      );
    }
    if (rejects.length) {
      await tx.query(
        `INSERT INTO import_reject (run_id, record_number, reason, record) SELECT $1, * FROM unnest($2::int[], $3::text[], $4::jsonb[])
         ON CONFLICT DO NOTHING`,
        [runId, rejects.map((r) => r.number), rejects.map((r) => r.reason), rejects.map((r) => JSON.stringify(r.raw))],
      );
    }
    const [progress] = await tx.query<Counts>(
      `UPDATE import_run SET position = $2, inserted = inserted + $3, updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6
        WHERE id = $1 RETURNING inserted, updated, unchanged, rejected`,
      [runId, batch[batch.length - 1].number, inserted.size, updated.size, good.length - inserted.size - updated.size, rejects.length],
    );
    return progress;
  });
  // Only once the batch is committed do its slugs count as taken.
  for (const [slug, number] of batchSlugs) seen.set(slug, number);
  return counts;
}

/**
 * The ids of the studios (or producers) named, by slug, creating those that do not exist yet (and
 * auditing their creation). Existing rows are reused as they are.
 */
async function ensureNamed(tx: Queryable, table: 'studio' | 'producer', kind: string, names: (string | null)[], actor: string): Promise<Map<string, number>> {
  const bySlug = new Map<string, string>();
  for (const name of names) if (name) bySlug.set(slugify(name), bySlug.get(slugify(name)) ?? name);
  if (!bySlug.size) return new Map();
  const created = await tx.query<{ id: number }>(
    `INSERT INTO ${table} (slug, name, kind) SELECT s, n, ${kind} FROM unnest($1::text[], $2::text[]) AS x(s, n)
     ON CONFLICT (slug) DO NOTHING RETURNING id`,
    [[...bySlug.keys()], [...bySlug.values()]],
  );
  if (created.length) {
    const type = table === 'studio' ? 'Studio' : 'Producer';
    const states = await statesOf(tx, type, created.map((r) => r.id));
    await tx.query(
      `INSERT INTO audit_log (actor, operation, entity_type, entity_id, before, after)
       SELECT $1, 'import', $2, id, NULL, a FROM unnest($3::int[], $4::jsonb[]) AS x(id, a)`,
      [actor, type, created.map((r) => r.id), created.map((r) => JSON.stringify(states.get(r.id)))],
    );
  }
  const rows = await tx.query<{ id: number; slug: string }>(`SELECT id, slug FROM ${table} WHERE slug = ANY($1::text[])`, [[...bySlug.keys()]]);
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Writes every reject of the run (resumed parts included) as JSON lines; null when there is none. */
async function writeRejects(db: Queryable, runId: number, file: string): Promise<string | null> {
  const rows = await db.query<{ record_number: number; reason: string; record: unknown }>(
    'SELECT record_number, reason, record FROM import_reject WHERE run_id = $1 ORDER BY record_number',
    [runId],
  );
  if (!rows.length) {
    await fs.rm(file, { force: true });
    return null;
  }
  await fs.writeFile(file, rows.map((r) => JSON.stringify({ record: r.record_number, reason: r.reason, data: r.record })).join('\n') + '\n');
  return file;
}
