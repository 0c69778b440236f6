import type pg from 'pg';
import type { DatePrecision, DealKind, DealPartyRole, DealStatus } from '../deal/deal.enums';
import type { FilmStatus, ProducerCreditRole, StudioCreditRole } from '../film/film.enums';
import type { ProducerKind } from '../producer/producer.enums';
import type { StudioKind } from '../studio/studio.enums';

/** A set of facts keyed by natural keys (slugs), applied with upserts so it can run any number of times. */
export interface SeedData {
  name: string;
  version: number;
  sources: Array<{
    key: string;
    publisher: string;
    title: string;
    author: string | null;
    url: string | null;
    publishedOn: string | null;
  }>;
  /** Parents before their subsidiaries. */
  studios: Array<{
    slug: string;
    name: string;
    kind: StudioKind;
    country: string | null;
    headquarters: string | null;
    foundedYear: number | null;
    stockListing: string | null;
    website: string | null;
    description: string | null;
    parent: string | null;
  }>;
  producers: Array<{
    slug: string;
    name: string;
    kind: ProducerKind;
    bio: string | null;
    affiliations: Array<{ studio: string; title: string | null }>;
  }>;
  films: Array<{
    slug: string;
    title: string;
    status: FilmStatus;
    releaseDate: string | null;
    genres: string[];
    logline: string | null;
    budget: { amount: string; currency: string } | null;
    worldwideGross: { amount: string; currency: string } | null;
    studios: Array<{ studio: string; role: StudioCreditRole }>;
    producers: Array<{ producer: string; role: ProducerCreditRole }>;
  }>;
  deals: Array<{
    slug: string;
    kind: DealKind;
    title: string;
    summary: string | null;
    status: DealStatus;
    announcedOn: string | null;
    announcedOnPrecision: DatePrecision | null;
    value: { amount: string; currency: string } | null;
    valueUsd: string | null;
    stakePercent: string | null;
    parties: Array<{ studio: string; role: DealPartyRole }>;
    films: string[];
    sources: string[];
  }>;
}

export interface SeedResult {
  name: string;
  version: number;
  /** Version found in the database before, or null for a first seeding. */
  previousVersion: number | null;
  /** False when this version (or a newer one) was already applied and `force` was not given. */
  applied: boolean;
}

/** Serialises seeding between processes (the service's first start and `npm run db:seed`). */
const SEED_LOCK = 727_002;

/**
 * Applies a seed in one transaction: either every fact lands or none does. Rows are matched on their
 * slugs (sources on publisher and title) and updated in place, links are added if missing, so a
 * second run changes nothing. Skipped when the same or a newer version is recorded, unless `force`.
 */
export async function applySeed(pool: pg.Pool, seed: SeedData, options: { force?: boolean } = {}): Promise<SeedResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const recorded = await client.query<{ version: number }>('SELECT version FROM seed_history WHERE name = $1', [seed.name]);
    const previousVersion = recorded.rows[0]?.version ?? null;
    if (previousVersion !== null && previousVersion >= seed.version && !options.force) {
      await client.query('ROLLBACK');
      return { name: seed.name, version: seed.version, previousVersion, applied: false };
    }
    await writeFacts(client, seed);
    await client.query(
      `INSERT INTO seed_history (name, version, applied_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET version = GREATEST(seed_history.version, EXCLUDED.version), applied_at = now()`,
      [seed.name, seed.version],
    );
    await client.query('COMMIT');
    return { name: seed.name, version: seed.version, previousVersion, applied: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function writeFacts(client: pg.PoolClient, seed: SeedData): Promise<void> {
  const id = async (sql: string, values: unknown[]) => (await client.query<{ id: number }>(sql, values)).rows[0].id;
  const lookup = (map: Map<string, number>, key: string, what: string) => {
    const found = map.get(key);
    if (found === undefined) throw new Error(`Seed "${seed.name}" refers to unknown ${what} "${key}"`);
    return found;
  };

  const sources = new Map<string, number>();
  for (const s of seed.sources) {
    sources.set(
      s.key,
      await id(
        `INSERT INTO source (publisher, title, author, url, published_on) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (publisher, title) DO UPDATE SET author = EXCLUDED.author, url = EXCLUDED.url, published_on = EXCLUDED.published_on
         RETURNING id`,
        [s.publisher, s.title, s.author, s.url, s.publishedOn],
      ),
    );
  }

  const studios = new Map<string, number>();
  for (const s of seed.studios) {
    const parentId = s.parent === null ? null : lookup(studios, s.parent, 'parent studio');
    studios.set(
      s.slug,
      await id(
        `INSERT INTO studio (slug, name, kind, country, headquarters, founded_year, stock_listing, website, description, parent_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, country = EXCLUDED.country,
           headquarters = EXCLUDED.headquarters, founded_year = EXCLUDED.founded_year, stock_listing = EXCLUDED.stock_listing,
           website = EXCLUDED.website, description = EXCLUDED.description, parent_id = EXCLUDED.parent_id, updated_at = now()
         RETURNING id`,
        [s.slug, s.name, s.kind, s.country, s.headquarters, s.foundedYear, s.stockListing, s.website, s.description, parentId],
      ),
    );
  }

  const producers = new Map<string, number>();
  for (const p of seed.producers) {
    const producerId = await id(
      `INSERT INTO producer (slug, name, kind, bio) VALUES ($1, $2, $3, $4)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, bio = EXCLUDED.bio, updated_at = now()
       RETURNING id`,
      [p.slug, p.name, p.kind, p.bio],
    );
    producers.set(p.slug, producerId);
    for (const a of p.affiliations) {
      await client.query(
        `INSERT INTO producer_studio (producer_id, studio_id, title) VALUES ($1, $2, $3)
         ON CONFLICT (producer_id, studio_id) DO UPDATE SET title = EXCLUDED.title`,
        [producerId, lookup(studios, a.studio, 'studio'), a.title],
      );
    }
  }

  const films = new Map<string, number>();
  for (const f of seed.films) {
    // The same film under another slug (an import got there first): the seed's slug names it from now
    // on. Matched as an import matches: the title key, and the year when the seed knows it.
    await client.query(
      `UPDATE film SET slug = $1, version = version + 1, updated_at = now()
        WHERE NOT EXISTS (SELECT 1 FROM film WHERE slug = $1)
          AND id = (SELECT min(id) FROM film WHERE mg_title_key(title) = mg_title_key($2)
                       AND ($3::date IS NULL OR extract(year FROM release_date) = extract(year FROM $3::date))
                    HAVING count(*) = 1)`,
      [f.slug, f.title, f.releaseDate],
    );
    // Where the article is silent (null, no genres), what else is known of the film stays.
    const filmId = await id(
      `INSERT INTO film (slug, title, status, release_date, genres, logline, budget_amount, budget_currency,
                         worldwide_gross_amount, worldwide_gross_currency)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, status = EXCLUDED.status,
         release_date = COALESCE(EXCLUDED.release_date, film.release_date),
         genres = CASE WHEN EXCLUDED.genres = '{}' THEN film.genres ELSE EXCLUDED.genres END,
         logline = COALESCE(EXCLUDED.logline, film.logline),
         budget_amount = COALESCE(EXCLUDED.budget_amount, film.budget_amount), budget_currency = COALESCE(EXCLUDED.budget_currency, film.budget_currency),
         worldwide_gross_amount = COALESCE(EXCLUDED.worldwide_gross_amount, film.worldwide_gross_amount),
         worldwide_gross_currency = COALESCE(EXCLUDED.worldwide_gross_currency, film.worldwide_gross_currency), updated_at = now()
       RETURNING id`,
      [
        f.slug,
        f.title,
        f.status,
        f.releaseDate,
        f.genres,
        f.logline,
        f.budget?.amount ?? null,
        f.budget?.currency ?? null,
        f.worldwideGross?.amount ?? null,
        f.worldwideGross?.currency ?? null,
      ],
    );
    films.set(f.slug, filmId);
    for (const c of f.studios) {
      await client.query(
        'INSERT INTO film_studio (film_id, studio_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [filmId, lookup(studios, c.studio, 'studio'), c.role],
      );
    }
    for (const c of f.producers) {
      await client.query(
        'INSERT INTO film_producer (film_id, producer_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [filmId, lookup(producers, c.producer, 'producer'), c.role],
      );
    }
  }

  for (const d of seed.deals) {
    const dealId = await id(
      `INSERT INTO deal (slug, kind, title, summary, status, announced_on, announced_on_precision,
                         value_amount, value_currency, value_usd, stake_percent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (slug) DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, summary = EXCLUDED.summary,
         status = EXCLUDED.status, announced_on = EXCLUDED.announced_on, announced_on_precision = EXCLUDED.announced_on_precision,
         value_amount = EXCLUDED.value_amount, value_currency = EXCLUDED.value_currency, value_usd = EXCLUDED.value_usd,
         stake_percent = EXCLUDED.stake_percent, updated_at = now()
       RETURNING id`,
      [
        d.slug,
        d.kind,
        d.title,
        d.summary,
        d.status,
        d.announcedOn,
        d.announcedOnPrecision,
        d.value?.amount ?? null,
        d.value?.currency ?? null,
        d.valueUsd,
        d.stakePercent,
      ],
    );
    for (const p of d.parties) {
      await client.query(
        `INSERT INTO deal_party (deal_id, studio_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (deal_id, studio_id) DO UPDATE SET role = EXCLUDED.role`,
        [dealId, lookup(studios, p.studio, 'studio'), p.role],
      );
    }
    for (const film of d.films) {
      await client.query('INSERT INTO deal_film (deal_id, film_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        dealId,
        lookup(films, film, 'film'),
      ]);
    }
    for (const source of d.sources) {
      await client.query('INSERT INTO deal_source (deal_id, source_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        dealId,
        lookup(sources, source, 'source'),
      ]);
    }
  }
}
