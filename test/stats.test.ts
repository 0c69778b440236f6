import { createTestDatabase, type TestDatabase } from './helpers/database';
import { generateCatalogue } from './helpers/generate';
import { gql, query, startTestServer, type TestServer } from './helpers/server';

// Aggregates for analysts, checked against the rows they aggregate: on thousands of generated deals
// and films, every grouping's counts and exact totals agree with sums computed here from raw rows.

let db: TestDatabase;
let server: TestServer;

interface DealRow {
  id: number;
  year: number | null;
  quarter: number | null;
  kind: string;
  value_usd: string | null;
  stake_percent: string | null;
  parties: { studio: number; role: string; country: string | null }[];
}

let deals: DealRow[];

beforeAll(async () => {
  db = await createTestDatabase();
  await generateCatalogue(db.pool, { seed: 7, studios: 200, producers: 300, films: 2500, deals: 2000 });
  const { rows } = await db.pool.query<DealRow>(
    `SELECT d.id, extract(year FROM d.announced_on)::int AS year, extract(quarter FROM d.announced_on)::int AS quarter,
            d.kind::text, d.value_usd, d.stake_percent,
            (SELECT json_agg(json_build_object('studio', dp.studio_id, 'role', dp.role, 'country', trim(s.country)))
               FROM deal_party dp JOIN studio s ON s.id = dp.studio_id WHERE dp.deal_id = d.id) AS parties
       FROM deal d`,
  );
  deals = rows;
  server = await startTestServer(db);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** Exact decimals as integers of 1e-6. */
const SCALE = 6;
function toMicros(value: string | null): bigint {
  if (value === null) return 0n;
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  const micros = BigInt(whole + fraction.padEnd(SCALE, '0').slice(0, SCALE));
  return negative ? -micros : micros;
}

interface Expected {
  count: number;
  valuedCount: number;
  total: bigint;
}

function expectGroups(groups: any[], keyOf: (g: any) => string, expected: Map<string, Expected>) {
  const actual = new Map(groups.map((g) => [keyOf(g), { count: g.count, valuedCount: g.valuedCount, total: toMicros(g.totalValueUsd) }]));
  expect(actual).toEqual(expected);
}

function tally(rows: DealRow[], keysOf: (d: DealRow) => string[]): Map<string, Expected> {
  const result = new Map<string, Expected>();
  for (const deal of rows) {
    for (const key of new Set(keysOf(deal))) {
      const entry = result.get(key) ?? { count: 0, valuedCount: 0, total: 0n };
      entry.count++;
      if (deal.value_usd !== null) entry.valuedCount++;
      entry.total += toMicros(deal.value_usd);
      result.set(key, entry);
    }
  }
  return result;
}

/** The key fields each groupBy value sets (selecting any other key is an error). */
const DEAL_KEY_FIELDS: Record<string, string> = { YEAR: 'year', QUARTER: 'year quarter', KIND: 'kind', STUDIO: 'studio { id slug }', PARTY_ROLE: 'partyRole', COUNTRY: 'country' };

const dealStatsQuery = (groupBy: string[]) => `query ($groupBy: [DealGroupBy!]!, $filter: DealFilter) {
  dealStats(groupBy: $groupBy, filter: $filter) {
    ${[...new Set(groupBy.flatMap((g) => DEAL_KEY_FIELDS[g].split(/ (?![^{]*})/)))].join(' ')} count valuedCount totalValueUsd averageStakePercent maxStakePercent
  }
}`;

async function dealStats(groupBy: string[], filter?: unknown) {
  const before = server.statements.statements;
  const data = await query(server.url, dealStatsQuery(groupBy), { groupBy, filter });
  // Each grouping, studios included, is one SQL statement.
  expect(server.statements.statements - before).toBe(1);
  return data.dealStats as any[];
}

test('no grouping: one group with the exact totals of every deal', async () => {
  const [total, ...rest] = await dealStats([]);
  expect(rest).toEqual([]);
  const stakes = deals.map((d) => d.stake_percent).filter((s): s is string => s !== null);
  const max = stakes.reduce((a, b) => (toMicros(a) >= toMicros(b) ? a : b));
  expect({ count: total.count, valuedCount: total.valuedCount, total: toMicros(total.totalValueUsd), max: toMicros(total.maxStakePercent) }).toEqual({
    count: deals.length,
    valuedCount: deals.filter((d) => d.value_usd !== null).length,
    total: deals.reduce((sum, d) => sum + toMicros(d.value_usd), 0n),
    max: toMicros(max),
  });
  // The average is the exact mean rounded to 4 decimals.
  const sum = stakes.reduce((s, v) => s + toMicros(v), 0n);
  const mean = Number(sum) / stakes.length / 1e6;
  expect(Math.abs(Number(total.averageStakePercent) - mean)).toBeLessThanOrEqual(0.00005);
});

test.each([
  ['YEAR', (d: DealRow) => [String(d.year)], (g: any) => String(g.year)],
  ['QUARTER', (d: DealRow) => [`${d.year}Q${d.quarter}`], (g: any) => `${g.year}Q${g.quarter}`],
  ['KIND', (d: DealRow) => [d.kind], (g: any) => g.kind],
])('grouped by %s: each group agrees with its rows, and the groups add up to all deals', async (key, keysOf, keyOf) => {
  const groups = await dealStats([key]);
  expectGroups(groups, keyOf, tally(deals, keysOf));
  expect(groups.reduce((n, g) => n + g.count, 0)).toBe(deals.length);
  expect(groups.reduce((sum, g) => sum + toMicros(g.totalValueUsd), 0n)).toBe(deals.reduce((sum, d) => sum + toMicros(d.value_usd), 0n));
});

test('grouped by STUDIO: a deal counts once for each of its parties, and the studio comes with the group', async () => {
  const groups = await dealStats(['STUDIO']);
  const { rows } = await db.pool.query<{ id: number; slug: string }>('SELECT id, slug FROM studio');
  const slugOf = new Map(rows.map((r) => [r.id, r.slug]));
  expectGroups(groups, (g) => g.studio.slug, tally(deals, (d) => d.parties.map((p) => slugOf.get(p.studio)!)));
});

test('grouped by COUNTRY and PARTY_ROLE together', async () => {
  const groups = await dealStats(['COUNTRY', 'PARTY_ROLE']);
  expectGroups(groups, (g) => `${g.country}/${g.partyRole}`, tally(deals, (d) => d.parties.map((p) => `${p.country}/${p.role}`)));
  // Sorted by the keys in order, unknown countries last.
  const countries = groups.map((g) => g.country);
  expect(countries.indexOf(null)).toBeGreaterThan(countries.lastIndexOf('US'));
});

test('a filter applies before grouping: Chinese investors and acquirers, by year', async () => {
  const filter = { party: { country: { eq: 'CN' }, role: { in: ['INVESTOR', 'ACQUIRER'] } }, kind: { in: ['INVESTMENT', 'EQUITY_STAKE', 'ACQUISITION'] } };
  const matching = deals.filter(
    (d) => ['INVESTMENT', 'EQUITY_STAKE', 'ACQUISITION'].includes(d.kind) && d.parties.some((p) => p.country === 'CN' && ['INVESTOR', 'ACQUIRER'].includes(p.role)),
  );
  expect(matching.length).toBeGreaterThan(10);
  expectGroups(await dealStats(['YEAR'], filter), (g) => String(g.year), tally(matching, (d) => [String(d.year)]));
});

test('on the article: what Chinese studios invested, by year, in USD', async () => {
  const article = await createTestDatabase();
  const articleServer = await startTestServer(article);
  try {
    const data = await query(
      articleServer.url,
      `{ dealStats(groupBy: [YEAR], filter: { party: { country: { eq: "CN" }, role: { in: [INVESTOR, ACQUIRER] } } }) {
           year count valuedCount totalValueUsd maxStakePercent } }`,
    );
    expect(data).toEqual({
      dealStats: [
        { year: 2018, count: 1, valuedCount: 1, totalValueUsd: '744000000', maxStakePercent: '7.66' },
        { year: null, count: 3, valuedCount: 0, totalValueUsd: '0', maxStakePercent: null },
      ],
    });
  } finally {
    await articleServer.close();
    await article.drop();
  }
});

describe('filmStats', () => {
  interface FilmRow {
    id: number;
    year: number | null;
    status: string;
    genres: string[];
    studios: number[] | null;
    budget_usd: string | null;
    gross_usd: string | null;
  }
  let films: FilmRow[];

  beforeAll(async () => {
    const { rows } = await db.pool.query<FilmRow>(
      `SELECT f.id, extract(year FROM f.release_date)::int AS year, f.status::text, f.genres,
              (SELECT array_agg(DISTINCT studio_id) FROM film_studio WHERE film_id = f.id) AS studios,
              CASE WHEN f.budget_currency = 'USD' THEN f.budget_amount END AS budget_usd,
              CASE WHEN f.worldwide_gross_currency = 'USD' THEN f.worldwide_gross_amount END AS gross_usd
         FROM film f`,
    );
    films = rows;
  });

  function filmTally(keysOf: (f: FilmRow) => string[]) {
    const result = new Map<string, { count: number; budgetCount: number; budget: bigint; grossCount: number; gross: bigint }>();
    for (const film of films) {
      for (const key of new Set(keysOf(film))) {
        const entry = result.get(key) ?? { count: 0, budgetCount: 0, budget: 0n, grossCount: 0, gross: 0n };
        entry.count++;
        if (film.budget_usd !== null) entry.budgetCount++;
        if (film.gross_usd !== null) entry.grossCount++;
        entry.budget += toMicros(film.budget_usd);
        entry.gross += toMicros(film.gross_usd);
        result.set(key, entry);
      }
    }
    return result;
  }

  async function filmStats(groupBy: string[]) {
    const before = server.statements.statements;
    const data = await query(
      server.url,
      `query ($groupBy: [FilmGroupBy!]!) { filmStats(groupBy: $groupBy) {
         ${groupBy.map((g) => ({ YEAR: 'year', GENRE: 'genre', STUDIO: 'studio { id }', STATUS: 'status' })[g]).join(' ')}
         count budgetCount totalBudgetUsd averageBudgetUsd grossCount totalWorldwideGrossUsd averageWorldwideGrossUsd } }`,
      { groupBy },
    );
    expect(server.statements.statements - before).toBe(1);
    return data.filmStats as any[];
  }

  const studioKey = async () => {
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM studio');
    return new Map(rows.map((r) => [Buffer.from(`Studio:${r.id}`).toString('base64url'), r.id]));
  };

  test.each([
    ['nothing', [], () => ['all'], () => 'all'],
    ['YEAR', ['YEAR'], (f: FilmRow) => [String(f.year)], (g: any) => String(g.year)],
    ['GENRE', ['GENRE'], (f: FilmRow) => (f.genres.length ? f.genres : ['null']), (g: any) => String(g.genre)],
    ['STATUS', ['STATUS'], (f: FilmRow) => [f.status], (g: any) => g.status],
    ['STATUS and GENRE', ['STATUS', 'GENRE'], (f: FilmRow) => (f.genres.length ? f.genres : ['null']).map((g) => `${f.status}/${g}`), (g: any) => `${g.status}/${g.genre}`],
  ])('grouped by %s: counts and USD totals agree with the films', async (_, groupBy, keysOf, keyOf) => {
    const groups = await filmStats(groupBy as string[]);
    const actual = new Map(
      groups.map((g) => [
        keyOf(g),
        { count: g.count, budgetCount: g.budgetCount, budget: toMicros(g.totalBudgetUsd), grossCount: g.grossCount, gross: toMicros(g.totalWorldwideGrossUsd) },
      ]),
    );
    expect(actual).toEqual(filmTally(keysOf as (f: FilmRow) => string[]));
  });

  test('grouped by STUDIO: each credited studio once per film; averages are rounded to the cent', async () => {
    const ids = await studioKey();
    const groups = await filmStats(['STUDIO']);
    // Films without studios form the group whose studio is null.
    const tallied = filmTally((f) => (f.studios ?? ['null']).map(String));
    const actual = new Map(
      groups.map((g) => [
        g.studio ? String(ids.get(g.studio.id)) : 'null',
        { count: g.count, budgetCount: g.budgetCount, budget: toMicros(g.totalBudgetUsd), grossCount: g.grossCount, gross: toMicros(g.totalWorldwideGrossUsd) },
      ]),
    );
    expect(actual).toEqual(tallied);
    for (const g of groups) {
      if (g.averageBudgetUsd !== null) expect(g.averageBudgetUsd).toMatch(/^\d+\.\d{2}$/);
    }
  });
});

test('a key given twice is a BAD_USER_INPUT naming groupBy', async () => {
  const result = await gql(server.url, '{ dealStats(groupBy: [YEAR, YEAR]) { count } }');
  expect(result.body.errors![0]).toMatchObject({ message: 'Argument "groupBy" lists YEAR more than once.', extensions: { code: 'BAD_USER_INPUT', argumentName: 'groupBy' } });
});

test('a key selected but not grouped by is a BAD_USER_INPUT that names it', async () => {
  const result = await gql(server.url, '{ dealStats(groupBy: [KIND]) { kind year count } }');
  expect(result.body.errors![0]).toMatchObject({
    message: 'The field "year" is selected but "groupBy" does not include YEAR or QUARTER: it would be null in every group. Add it to groupBy or leave the field out.',
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'groupBy' },
  });
  const film = await gql(server.url, '{ filmStats(groupBy: []) { ... on FilmStatsGroup { genre } count } }');
  expect(film.body.errors![0].message).toContain('The field "genre" is selected but "groupBy" does not include GENRE');
});

test('groups ordered by an aggregate, filtered after grouping and cut: the 5 studios with the most deal value among those with 15 deals or more', async () => {
  const before = server.statements.statements;
  const data = await query(
    server.url,
    `{ dealStats(groupBy: [STUDIO], orderBy: [{ aggregate: SUM, measure: VALUE_USD }], having: [{ gte: "15" }], first: 5) {
         studio { id } count valueUsd { count sum avg min max } stakePercent { count max } } }`,
  );
  expect(server.statements.statements - before).toBe(1);
  const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM studio');
  const idOf = new Map(rows.map((r) => [Buffer.from(`Studio:${r.id}`).toString('base64url'), r.id]));
  const perStudio = new Map<number, DealRow[]>();
  for (const deal of deals) for (const studio of new Set(deal.parties.map((p) => p.studio))) perStudio.set(studio, [...(perStudio.get(studio) ?? []), deal]);
  const expected = [...perStudio.entries()]
    .filter(([, list]) => list.length >= 15)
    .map(([studio, list]) => ({ studio, count: list.length, sum: list.reduce((s, d) => s + toMicros(d.value_usd), 0n), values: list.filter((d) => d.value_usd !== null) }))
    .sort((a, b) => (b.sum > a.sum ? 1 : b.sum < a.sum ? -1 : 0))
    .slice(0, 5);
  expect(data.dealStats).toHaveLength(Math.min(5, expected.length));
  data.dealStats.forEach((g: any, i: number) => {
    const e = expected[i];
    expect({ studio: idOf.get(g.studio.id), count: g.count, sum: toMicros(g.valueUsd.sum), valued: g.valueUsd.count }).toEqual({ studio: e.studio, count: e.count, sum: e.sum, valued: e.values.length });
    const micros = e.values.map((d) => toMicros(d.value_usd));
    expect(toMicros(g.valueUsd.min)).toBe(micros.reduce((a, b) => (a < b ? a : b)));
    expect(toMicros(g.valueUsd.max)).toBe(micros.reduce((a, b) => (a > b ? a : b)));
  });
});

test('ordering and having name their argument when a measure is missing', async () => {
  const order = await gql(server.url, '{ dealStats(groupBy: [KIND], orderBy: [{ aggregate: AVG }]) { kind count } }');
  expect(order.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'orderBy[0].measure' } });
  const having = await gql(server.url, '{ filmStats(groupBy: [YEAR], having: [{ aggregate: COUNT }]) { year count } }');
  expect(having.body.errors![0]).toMatchObject({ message: 'Argument "having[0]" needs gte, lte or both.', extensions: { argumentName: 'having[0]' } });
  const first = await gql(server.url, '{ filmStats(groupBy: [YEAR], first: 0) { year count } }');
  expect(first.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
});
