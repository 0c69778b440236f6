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
  /** Records merged into a film already in the catalogue under another slug (same title and year). */
  matched: number;
  /** Records that matched more than one film: rejected, never merged. */
  ambiguous: number;
  /** Records whose release date was repaired. */
  repaired: number;
}

const COUNT_COLUMNS = 'inserted, updated, unchanged, rejected, matched, ambiguous, repaired';

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
  const [row] = await db.query<Counts>(`SELECT ${COUNT_COLUMNS} FROM import_run WHERE id = $1`, [runId]);
  return row;
}

/** One batch, one transaction: records, their links, their audit rows, rejects and progress. */
async function writeBatch(db: Queryable, runId: number, batch: Numbered[], seen: Map<string, number>, today: string, actor: string): Promise<Counts> {
  const valid: Array<Numbered & { record: FilmRecord }> = [];
  const rejects: Array<{ number: number; reason: string; raw: unknown }> = [];
  for (const item of batch) {
    const invalid = item.raw.__invalid;
    const normalized: ReturnType<typeof normalize> = typeof invalid === 'string' ? { ok: false, reason: invalid } : normalize(item.raw, today);
    if (normalized.ok) valid.push({ ...item, record: normalized.record });
    else rejects.push({ number: item.number, reason: normalized.reason, raw: item.raw });
  }
  const batchSlugs = new Map<string, number>();

  const counts = await db.transaction(async (tx) => {
    // One record per real thing: a record whose slug is new but whose title and year are those of a
    // film already here (the article's "Forrest Gump", say) is that film; two such films: ambiguous.
    const candidates = await sameFilms(tx, valid.map((v) => v.record));
    const good: Array<Numbered & { record: FilmRecord; merge: boolean }> = [];
    let ambiguous = 0;
    for (const item of valid) {
      const found = candidates.get(item.record.slug);
      let merge = false;
      if (found && found.length > 1) {
        ambiguous++;
        rejects.push({ number: item.number, reason: `ambiguous: the same title and year as ${found.map((f) => `"${f}"`).join(' and ')}; not merged`, raw: item.raw });
        continue;
      }
      if (found?.length === 1) {
        item.record = { ...item.record, slug: found[0] };
        merge = true;
      }
      const earlier = seen.get(item.record.slug) ?? batchSlugs.get(item.record.slug);
      if (earlier !== undefined) {
        rejects.push({ number: item.number, reason: `duplicate of record ${earlier} (same slug "${item.record.slug}")`, raw: item.raw });
        continue;
      }
      batchSlugs.set(item.record.slug, item.number);
      good.push({ ...item, merge });
    }

    const studioIds = await ensureNamed(tx, 'studio', "'DISTRIBUTOR'::studio_kind", good.map((g) => g.record.distributor), actor);
    const producerIds = await ensureNamed(tx, 'producer', "'PERSON'::producer_kind", good.flatMap((g) => [g.record.director, ...g.record.cast]), actor);

    const slugs = good.map((g) => g.record.slug);
    const before = await tx.query<{ id: number }>('SELECT id FROM film WHERE slug = ANY($1::text[])', [slugs]);
    const beforeStates = before.length ? await statesOf(tx, 'Film', before.map((r) => r.id)) : new Map();

    const written = [
      ...(await upsertFilms(tx, good.filter((g) => !g.merge).map((g) => g.record), false)),
      ...(await upsertFilms(tx, good.filter((g) => g.merge).map((g) => g.record), true)),
    ];
    const ids = new Map((await tx.query<{ id: number; slug: string }>('SELECT id, slug FROM film WHERE slug = ANY($1::text[])', [slugs])).map((r) => [r.slug, r.id]));

    const credited = new Set<number>();
    const credit = async (table: 'film_studio' | 'film_producer', column: 'studio_id' | 'producer_id', role: string, pairs: Array<[number | undefined, number | undefined]>) => {
      if (!pairs.length) return;
      for (const row of await tx.query<{ film_id: number }>(
        `INSERT INTO ${table} (film_id, ${column}, role) SELECT f, o, '${role}' FROM unnest($1::int[], $2::int[]) AS x(f, o)
         ON CONFLICT DO NOTHING RETURNING film_id`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      )) {
        credited.add(row.film_id);
      }
    };
    await credit('film_studio', 'studio_id', 'DISTRIBUTION', good.filter((g) => g.record.distributor).map((g) => [ids.get(g.record.slug), studioIds.get(slugify(g.record.distributor!))]));
    await credit('film_producer', 'producer_id', 'DIRECTOR', good.filter((g) => g.record.director).map((g) => [ids.get(g.record.slug), producerIds.get(slugify(g.record.director!))]));
    await credit('film_producer', 'producer_id', 'ACTOR', good.flatMap((g) => g.record.cast.map((name): [number | undefined, number | undefined] => [ids.get(g.record.slug), producerIds.get(slugify(name))])));

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
      `UPDATE import_run SET position = $2, inserted = inserted + $3, updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6,
              matched = matched + $7, ambiguous = ambiguous + $8, repaired = repaired + $9
        WHERE id = $1 RETURNING ${COUNT_COLUMNS}`,
      [
        runId,
        batch[batch.length - 1].number,
        inserted.size,
        updated.size,
        good.length - inserted.size - updated.size,
        rejects.length,
        good.filter((g) => g.merge).length,
        ambiguous,
        good.filter((g) => g.record.reportedReleaseDate !== null).length,
      ],
    );
    return progress;
  });
  // Only once the batch is committed do its slugs count as taken.
  for (const [slug, number] of batchSlugs) seen.set(slug, number);
  return counts;
}

/**
 * For each record whose slug is not in the catalogue yet, the slugs of the films with the same title
 * key (mg_title_key: no accents, case, punctuation or leading article) and the same release year, or
 * with no release date at all (the article names "Forrest Gump" without one).
 */
async function sameFilms(tx: Queryable, records: FilmRecord[]): Promise<Map<string, string[]>> {
  const dated = records.filter((r) => r.releaseDate !== null);
  if (!dated.length) return new Map();
  const rows = await tx.query<{ record_slug: string; slug: string }>(
    `SELECT x.s AS record_slug, f.slug
       FROM unnest($1::text[], $2::text[], $3::int[]) AS x(s, t, y)
       JOIN film f ON mg_title_key(f.title) = mg_title_key(x.t) AND (extract(year FROM f.release_date) = x.y OR f.release_date IS NULL)
      WHERE NOT EXISTS (SELECT 1 FROM film same WHERE same.slug = x.s)
      ORDER BY f.slug`,
    [dated.map((r) => r.slug), dated.map((r) => r.title), dated.map((r) => Number(r.releaseDate!.slice(0, 4)))],
  );
  const matches = new Map<string, string[]>();
  for (const row of rows) matches.set(row.record_slug, [...(matches.get(row.record_slug) ?? []), row.slug]);
  return matches;
}

/** The film columns an import writes, each from a record field, with its SQL type. */
const FILM_FIELDS: Array<[column: string, type: string, value: (r: FilmRecord) => unknown]> = [
  ['title', 'text', (r) => r.title],
  ['status', 'film_status', (r) => r.status],
  ['release_date', 'date', (r) => r.releaseDate],
  ['genres', 'text[]', (r) => r.genres],
  ['budget_amount', 'numeric', (r) => r.budgetUsd],
  ['worldwide_gross_amount', 'numeric', (r) => r.worldwideGrossUsd],
  ['us_gross_usd', 'numeric', (r) => r.usGrossUsd],
  ['us_dvd_sales_usd', 'numeric', (r) => r.usDvdSalesUsd],
  ['mpaa_rating', 'mpaa_rating', (r) => r.mpaaRating],
  ['running_time_minutes', 'int', (r) => r.runningTimeMinutes],
  ['source_material', 'text', (r) => r.sourceMaterial],
  ['creative_type', 'text', (r) => r.creativeType],
  ['rotten_tomatoes_rating', 'int', (r) => r.rottenTomatoesRating],
  ['imdb_rating', 'numeric', (r) => r.imdbRating],
  ['imdb_votes', 'int', (r) => r.imdbVotes],
  ['release_date_as_reported', 'text', (r) => r.reportedReleaseDate],
];

/** What the catalogue says of a film it merges into one already here: it fills in, never overwrites. */
const KEPT_ON_MERGE = new Set(['title', 'status']);

/**
 * Inserts or updates films by slug, and says which were inserted. A row is updated only when a value
 * changes. `merge`: the records are films already in the catalogue under their own name (matched by
 * title and year): their title and status stay, and the record fills in only what is missing.
 */
async function upsertFilms(tx: Queryable, records: FilmRecord[], merge: boolean): Promise<Array<{ id: number; slug: string; inserted: boolean }>> {
  if (!records.length) return [];
  const columns = FILM_FIELDS.map(([column]) => column);
  // Arrays of arrays do not unnest as rows: genres travel as JSON.
  const inputs = FILM_FIELDS.map(([column, type], i) => (type === 'text[]' ? `ARRAY(SELECT jsonb_array_elements_text(c${i}))` : `c${i}::${type}`));
  const params = [records.map((r) => r.slug), ...FILM_FIELDS.map(([, type, value]) => records.map((r) => (type === 'text[]' ? JSON.stringify(value(r)) : value(r))))];
  const arrays = FILM_FIELDS.map(([, type], i) => `$${i + 2}::${type === 'text[]' ? 'jsonb' : type === 'int' || type === 'numeric' || type === 'date' ? type : 'text'}[]`);
  const currency = (amount: string) => `CASE WHEN ${amount} IS NULL THEN NULL ELSE 'USD' END`;
  const value = (column: string) => {
    if (!merge) return `EXCLUDED.${column}`;
    if (KEPT_ON_MERGE.has(column)) return `film.${column}`;
    if (column === 'genres') return `CASE WHEN film.genres = '{}' THEN EXCLUDED.genres ELSE film.genres END`;
    if (column === 'budget_amount' || column === 'worldwide_gross_amount') return `CASE WHEN film.${column} IS NULL THEN EXCLUDED.${column} ELSE film.${column} END`;
    return `COALESCE(film.${column}, EXCLUDED.${column})`;
  };
  const set = [...columns.map((c) => [c, value(c)]), ...['budget', 'worldwide_gross'].map((m) => [`${m}_currency`, merge ? `CASE WHEN film.${m}_amount IS NULL THEN EXCLUDED.${m}_currency ELSE film.${m}_currency END` : `EXCLUDED.${m}_currency`])];
  return tx.query(
    `INSERT INTO film (slug, ${columns.join(', ')}, budget_currency, worldwide_gross_currency)
     SELECT s, ${inputs.join(', ')}, ${currency('c4')}, ${currency('c5')}
       FROM unnest($1::text[], ${arrays.join(', ')}) AS x(s, ${FILM_FIELDS.map((_, i) => `c${i}`).join(', ')})
     ON CONFLICT (slug) DO UPDATE SET ${set.map(([c, v]) => `${c} = ${v}`).join(', ')}, version = film.version + 1, updated_at = now()
     WHERE (${set.map(([c]) => `film.${c}`).join(', ')}) IS DISTINCT FROM (${set.map(([, v]) => v).join(', ')})
     RETURNING id, slug, (xmax = 0) AS inserted`,
    params,
  );
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
