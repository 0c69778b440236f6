import type pg from 'pg';
import { prng } from '../../bench/src/dataset';

/**
 * A deterministic catalogue of thousands of rows for tests that need volume and variety: the same
 * seed gives the same rows. Values are messy on purpose: unknown dates and countries, budgets in
 * other currencies, deals without values.
 */

export interface GenerateOptions {
  seed?: number;
  studios?: number;
  producers?: number;
  films?: number;
  deals?: number;
}

const STUDIO_KINDS = ['STUDIO', 'PRODUCTION_COMPANY', 'DISTRIBUTOR', 'FINANCIER', 'CONGLOMERATE', 'EXHIBITOR'];
const COUNTRIES = ['US', 'CN', 'GB', 'FR', 'IN', 'JP', 'KR', null];
const FILM_STATUSES = ['ANNOUNCED', 'IN_DEVELOPMENT', 'PRE_PRODUCTION', 'IN_PRODUCTION', 'POST_PRODUCTION', 'RELEASED', 'CANCELLED'];
const GENRES = ['Action', 'Comedy', 'Drama', 'Thriller', 'Horror', 'Romance', 'Animation', 'Documentary'];
const STUDIO_ROLES = ['PRODUCTION', 'CO_PRODUCTION', 'FINANCING', 'DISTRIBUTION'];
const PRODUCER_ROLES = ['PRODUCER', 'EXECUTIVE_PRODUCER', 'DIRECTOR'];
const DEAL_KINDS = ['PARTNERSHIP', 'CO_PRODUCTION', 'CO_FINANCING', 'INVESTMENT', 'EQUITY_STAKE', 'ACQUISITION', 'DISTRIBUTION', 'LICENSING'];
const DEAL_STATUSES = ['ANNOUNCED', 'CLOSED', 'TERMINATED'];
const PARTY_ROLES: Record<string, [string, string]> = {
  PARTNERSHIP: ['PARTNER', 'PARTNER'],
  CO_PRODUCTION: ['PARTNER', 'PARTNER'],
  CO_FINANCING: ['PARTNER', 'PARTNER'],
  INVESTMENT: ['INVESTOR', 'INVESTEE'],
  EQUITY_STAKE: ['ACQUIRER', 'TARGET'],
  ACQUISITION: ['ACQUIRER', 'TARGET'],
  DISTRIBUTION: ['DISTRIBUTOR', 'LICENSOR'],
  LICENSING: ['LICENSOR', 'LICENSEE'],
};

const pad = (n: number) => String(n).padStart(5, '0');
const date = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const money = (r: ReturnType<typeof prng>, max: number) => `${r.int(1, max)}.${String(r.int(0, 99)).padStart(2, '0')}`;

export interface Generated {
  studios: number;
  producers: number;
  films: number;
  deals: number;
}

export async function generateCatalogue(pool: pg.Pool, options: GenerateOptions = {}): Promise<Generated> {
  const r = prng(options.seed ?? 42);
  const counts = { studios: options.studios ?? 300, producers: options.producers ?? 500, films: options.films ?? 3000, deals: options.deals ?? 1500 };

  const studios = Array.from({ length: counts.studios }, (_, i) => ({
    slug: `gen-studio-${pad(i + 1)}`,
    name: `${r.pick(['Golden', 'Silver', 'Red', 'Blue', 'Northern', 'Pacific', 'Dragon', 'Lotus'])} ${r.pick(['Harbor', 'Peak', 'Lantern', 'River', 'Gate', 'Star'])} ${r.pick(['Pictures', 'Films', 'Media', 'Entertainment', 'Studios'])} ${i + 1}`,
    kind: r.pick(STUDIO_KINDS),
    country: r.pick(COUNTRIES),
    founded: r.chance(0.8) ? r.int(1900, 2020) : null,
  }));
  const studioIds = (
    await pool.query<{ id: number }>(
      `INSERT INTO studio (slug, name, kind, country, founded_year)
       SELECT * FROM unnest($1::text[], $2::text[], $3::studio_kind[], $4::text[], $5::int[]) RETURNING id`,
      [studios.map((s) => s.slug), studios.map((s) => s.name), studios.map((s) => s.kind), studios.map((s) => s.country), studios.map((s) => s.founded)],
    )
  ).rows.map((row) => row.id);
  // One in ten studios belongs to an earlier one.
  const parents = studioIds.map((id, i) => (i > 10 && r.chance(0.1) ? studioIds[r.int(0, i - 1)] : null));
  await pool.query('UPDATE studio SET parent_id = p.parent FROM unnest($1::int[], $2::int[]) AS p(id, parent) WHERE studio.id = p.id', [studioIds, parents]);

  const producerIds = (
    await pool.query<{ id: number }>(
      `INSERT INTO producer (slug, name, kind)
       SELECT 'gen-producer-' || lpad(i::text, 5, '0'), 'Producer ' || i, (CASE WHEN i % 10 = 0 THEN 'COMPANY' ELSE 'PERSON' END)::producer_kind
         FROM generate_series(1, $1::int) i RETURNING id`,
      [counts.producers],
    )
  ).rows.map((row) => row.id);

  const films = Array.from({ length: counts.films }, (_, i) => {
    const budgetCurrency = r.chance(0.75) ? 'USD' : r.chance(0.5) ? 'EUR' : null;
    const grossCurrency = r.chance(0.7) ? 'USD' : r.chance(0.3) ? 'CNY' : null;
    return {
      slug: `gen-film-${pad(i + 1)}`,
      title: `${r.pick(['The', 'A', 'Last', 'Final', 'Secret'])} ${r.pick(['Journey', 'Harbor', 'Empire', 'Garden', 'Signal', 'Winter'])} ${i + 1}`,
      status: r.pick(FILM_STATUSES),
      release: r.chance(0.85) ? date(r.int(1980, 2025), r.int(1, 12), r.int(1, 28)) : null,
      genres: `{${GENRES.filter(() => r.chance(0.25)).join(',')}}`,
      budget: budgetCurrency ? money(r, 300_000_000) : null,
      budgetCurrency,
      gross: grossCurrency ? money(r, 2_000_000_000) : null,
      grossCurrency,
    };
  });
  const filmIds = (
    await pool.query<{ id: number }>(
      `INSERT INTO film (slug, title, status, release_date, genres, budget_amount, budget_currency, worldwide_gross_amount, worldwide_gross_currency)
       SELECT s, t, st::film_status, rd, g::text[], b, bc, gr, gc
         FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::text[])
           AS x(s, t, st, rd, g, b, bc, gr, gc)
       RETURNING id`,
      [
        films.map((f) => f.slug),
        films.map((f) => f.title),
        films.map((f) => f.status),
        films.map((f) => f.release),
        films.map((f) => f.genres),
        films.map((f) => f.budget),
        films.map((f) => f.budgetCurrency),
        films.map((f) => f.gross),
        films.map((f) => f.grossCurrency),
      ],
    )
  ).rows.map((row) => row.id);

  const credits = { film: [] as number[], studio: [] as number[], role: [] as string[] };
  const producerCredits = { film: [] as number[], producer: [] as number[], role: [] as string[] };
  for (const filmId of filmIds) {
    const seen = new Set<string>();
    for (let k = r.int(1, 3); k > 0; k--) {
      const studio = r.pick(studioIds);
      const role = r.pick(STUDIO_ROLES);
      if (seen.has(`${studio}:${role}`)) continue;
      seen.add(`${studio}:${role}`);
      credits.film.push(filmId);
      credits.studio.push(studio);
      credits.role.push(role);
    }
    const seenProducers = new Set<number>();
    for (let k = r.int(1, 3); k > 0; k--) {
      const producer = r.pick(producerIds);
      if (seenProducers.has(producer)) continue;
      seenProducers.add(producer);
      producerCredits.film.push(filmId);
      producerCredits.producer.push(producer);
      producerCredits.role.push(r.pick(PRODUCER_ROLES));
    }
  }
  await pool.query('INSERT INTO film_studio (film_id, studio_id, role) SELECT * FROM unnest($1::int[], $2::int[], $3::studio_credit_role[])', [
    credits.film,
    credits.studio,
    credits.role,
  ]);
  await pool.query('INSERT INTO film_producer (film_id, producer_id, role) SELECT * FROM unnest($1::int[], $2::int[], $3::producer_credit_role[])', [
    producerCredits.film,
    producerCredits.producer,
    producerCredits.role,
  ]);

  const deals = Array.from({ length: counts.deals }, (_, i) => {
    const kind = r.pick(DEAL_KINDS);
    const precision = r.chance(0.1) ? null : r.pick(['DAY', 'DAY', 'MONTH', 'YEAR']);
    const year = r.int(2000, 2025);
    const month = precision === 'YEAR' ? 1 : r.int(1, 12);
    const day = precision === 'DAY' ? r.int(1, 28) : 1;
    const staked = kind === 'EQUITY_STAKE' || kind === 'ACQUISITION';
    return {
      slug: `gen-deal-${pad(i + 1)}`,
      kind,
      title: `${kind.toLowerCase().replace('_', ' ')} ${i + 1}`,
      status: r.pick(DEAL_STATUSES),
      announced: precision ? date(year, month, day) : null,
      precision,
      valueUsd: r.chance(0.6) ? money(r, 5_000_000_000) : null,
      stake: staked && r.chance(0.8) ? `${r.int(0, 99)}.${String(r.int(0, 99)).padStart(2, '0')}` : kind === 'ACQUISITION' ? '100' : null,
    };
  });
  const dealIds = (
    await pool.query<{ id: number }>(
      `INSERT INTO deal (slug, kind, title, status, announced_on, announced_on_precision, value_usd, stake_percent)
       SELECT s, k::deal_kind, t, st::deal_status, a, p::date_precision, v, sp
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::numeric[], $8::numeric[]) AS x(s, k, t, st, a, p, v, sp)
       RETURNING id`,
      [
        deals.map((d) => d.slug),
        deals.map((d) => d.kind),
        deals.map((d) => d.title),
        deals.map((d) => d.status),
        deals.map((d) => d.announced),
        deals.map((d) => d.precision),
        deals.map((d) => d.valueUsd),
        deals.map((d) => d.stake),
      ],
    )
  ).rows.map((row) => row.id);

  const parties = { deal: [] as number[], studio: [] as number[], role: [] as string[] };
  const dealFilms = { deal: [] as number[], film: [] as number[] };
  dealIds.forEach((dealId, i) => {
    const [first, other] = PARTY_ROLES[deals[i].kind];
    const chosen = new Set<number>();
    const size = r.int(2, 4);
    while (chosen.size < size) chosen.add(r.pick(studioIds));
    [...chosen].forEach((studio, k) => {
      parties.deal.push(dealId);
      parties.studio.push(studio);
      parties.role.push(k === 0 ? first : other);
    });
    const covered = new Set<number>();
    for (let k = r.int(0, 3); k > 0; k--) covered.add(r.pick(filmIds));
    for (const film of covered) {
      dealFilms.deal.push(dealId);
      dealFilms.film.push(film);
    }
  });
  await pool.query('INSERT INTO deal_party (deal_id, studio_id, role) SELECT * FROM unnest($1::int[], $2::int[], $3::deal_party_role[])', [
    parties.deal,
    parties.studio,
    parties.role,
  ]);
  await pool.query('INSERT INTO deal_film (deal_id, film_id) SELECT * FROM unnest($1::int[], $2::int[])', [dealFilms.deal, dealFilms.film]);
  await pool.query('ANALYZE');
  return counts;
}
