import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { importMovies, kill, run, startService } from './helpers/processes';
import { freePort, query, startTestServer, type TestServer } from './helpers/server';

// The movies catalogue imported over the article's facts, as an analyst meets it: every field of the
// source, typed; the source's two-digit-year mistakes repaired (and what it said kept); one record per
// real film and person; and the article's facts there even when the import comes first.

const movies = require(path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data', 'movies.json')) as Record<string, any>[];

let workDir: string;
let db: TestDatabase;
let server: TestServer;
let output: string;

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-catalogue-'));
  // The embedded PostgreSQL runs as the postgres user when we are root: it must enter the directory.
  await fs.chmod(workDir, 0o755);
  db = await createTestDatabase();
  output = await importMovies(db.url, workDir);
  server = await startTestServer(db);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.drop();
  await fs.rm(workDir, { recursive: true, force: true });
});

test('every field of a source record is a typed field of the film', async () => {
  const land = movies.find((m) => m.Title === 'The Land Girls')!;
  const { film } = await query(
    server.url,
    `{ film(slug: "the-land-girls-1998") { title releaseDate budget { amount currency } worldwideGross { amount currency } usGross { amount currency }
        usDvdSales { amount } mpaaRating runningTimeMinutes sourceMaterial creativeType genres rottenTomatoesRating imdbRating imdbVotes
        reportedReleaseDate studios { edges { role node { name } } } } }`,
  );
  expect(film).toEqual({
    title: 'The Land Girls',
    releaseDate: '1998-06-12',
    budget: { amount: String(land['Production Budget']), currency: 'USD' },
    worldwideGross: { amount: String(land['Worldwide Gross']), currency: 'USD' },
    usGross: { amount: String(land['US Gross']), currency: 'USD' },
    usDvdSales: null,
    mpaaRating: 'R',
    runningTimeMinutes: null,
    sourceMaterial: null,
    creativeType: null,
    genres: [],
    rottenTomatoesRating: null,
    imdbRating: land['IMDB Rating'],
    imdbVotes: land['IMDB Votes'],
    reportedReleaseDate: null,
    studios: { edges: [{ role: 'DISTRIBUTION', node: { name: 'Gramercy' } }] },
  });

  // A record with every field: each one arrives, with its type.
  const full = movies.find((m) => Object.values(m).every((v) => v !== null) && typeof m.Title === 'string')!;
  const slug = (await query(server.url, '{ films(filter: { title: { eq: $t } }) { nodes { slug } } }'.replace('$t', JSON.stringify(full.Title)))).films.nodes[0].slug;
  const { film: complete } = await query(
    server.url,
    `{ film(slug: "${slug}") { usGross { amount } usDvdSales { amount } mpaaRating runningTimeMinutes sourceMaterial creativeType genres
        rottenTomatoesRating imdbRating imdbVotes producers { edges { role node { name } } } studios { edges { node { name } } } } }`,
  );
  expect(complete).toEqual({
    usGross: { amount: String(full['US Gross']) },
    usDvdSales: { amount: String(full['US DVD Sales']) },
    mpaaRating: full['MPAA Rating'].toUpperCase().replace('-', '_').replace(' ', '_'),
    runningTimeMinutes: full['Running Time min'],
    sourceMaterial: full.Source,
    creativeType: full['Creative Type'],
    genres: [full['Major Genre']],
    rottenTomatoesRating: full['Rotten Tomatoes Rating'],
    imdbRating: full['IMDB Rating'],
    imdbVotes: full['IMDB Votes'],
    producers: { edges: [{ role: 'DIRECTOR', node: { name: full.Director } }] },
    studios: { edges: [{ node: { name: full.Distributor } }] },
  });
});

test('the new fields filter and order: the best-rated PG-13 films with many votes', async () => {
  const { films } = await query(
    server.url,
    `{ films(first: 3, filter: { mpaaRating: { eq: PG_13 }, imdbVotes: { gte: 100000 }, imdbRating: { gte: 8 } }, orderBy: [{ field: IMDB_RATING, direction: DESC }]) {
        totalCount nodes { title imdbRating imdbVotes mpaaRating } } }`,
  );
  const expected = movies
    .filter((m) => m['MPAA Rating'] === 'PG-13' && m['IMDB Votes'] >= 100000 && m['IMDB Rating'] >= 8 && m.Title !== null)
    .sort((a, b) => b['IMDB Rating'] - a['IMDB Rating']);
  expect(films.totalCount).toBe(expected.length);
  expect(films.nodes.map((n: any) => n.imdbRating)).toEqual(expected.slice(0, 3).map((m) => m['IMDB Rating']));
  for (const node of films.nodes) expect(node).toMatchObject({ mpaaRating: 'PG_13', imdbVotes: expect.any(Number) });
});

test('two-digit years read in the wrong century are put back 100 years, counted, and what the source said is kept', async () => {
  const { film } = await query(server.url, '{ film(slug: "duel-in-the-sun-1946") { title releaseDate reportedReleaseDate } }');
  expect(film).toEqual({ title: 'Duel in the Sun', releaseDate: '1946-12-31', reportedReleaseDate: 'Dec 31 2046' });
  const late = movies.filter((m) => m.Title !== null && m['Release Date'] && Number(String(m['Release Date']).slice(-4)) > 2010).length;
  expect(late).toBeGreaterThan(0);
  expect(output).toContain(`release dates repaired: ${late}.`);
  const { films } = await query(server.url, '{ films(filter: { releaseYear: { gte: 2011, lte: 2014 } }) { totalCount } }');
  expect(films.totalCount).toBe(0);
});

test('one record per real thing: the article\'s films and people are the catalogue\'s', async () => {
  const data = await query(
    server.url,
    `{ gump: films(filter: { title: { eq: "Forrest Gump" } }) { totalCount nodes { slug releaseDate imdbRating producers { edges { role node { slug } } } } }
       future: films(filter: { title: { eq: "Back to the Future" } }) { totalCount nodes { slug releaseDate } }
       zemeckis: producers(filter: { name: { eq: "Robert Zemeckis" } }) { totalCount nodes { slug films(first: 50) { totalCount nodes { title } } } } }`,
  );
  expect(data.gump.totalCount).toBe(1);
  // The article's slug names it; the catalogue filled in its date and rating.
  expect(data.gump.nodes[0]).toEqual({
    slug: 'forrest-gump',
    releaseDate: '1994-07-06',
    imdbRating: movies.find((m) => m.Title === 'Forrest Gump')!['IMDB Rating'],
    producers: { edges: [{ role: 'DIRECTOR', node: { slug: 'robert-zemeckis' } }] },
  });
  expect(data.future).toEqual({ totalCount: 1, nodes: [{ slug: 'back-to-the-future', releaseDate: '1985-07-03' }] });
  expect(data.zemeckis.totalCount).toBe(1);
  const directed = movies.filter((m) => m.Director === 'Robert Zemeckis' && m.Title !== null).map((m) => String(m.Title));
  const titles = data.zemeckis.nodes[0].films.nodes.map((n: { title: string }) => n.title);
  expect(titles).toEqual(expect.arrayContaining([...directed, 'Steel Soldiers']));
  expect(new Set(titles).size).toBe(titles.length);
  expect(output).toMatch(/Matched to films already in the catalogue \(same title and year\): 2; ambiguous, not merged \(in the rejects\): 0;/);
});

test('an ambiguous match is reported and not merged', async () => {
  await db.pool.query(`INSERT INTO film (slug, title, status) VALUES ('twin-peaks-a', 'Twin Peaks', 'RELEASED'), ('twin-peaks-b', 'Twin Peaks!', 'RELEASED')`);
  const file = path.join(workDir, 'twin.json');
  await fs.writeFile(file, JSON.stringify([{ title: 'Twin Peaks', releaseDate: '1992-08-28', imdbRating: 6.4 }]));
  const child = run('cli/import.js', [file], { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, workDir);
  expect(await child.exited).toBe(0);
  expect(child.output()).toContain('ambiguous, not merged (in the rejects): 1;');
  const rejects = (await fs.readFile(path.join(workDir, 'twin.rejects.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(rejects).toEqual([{ record: 1, reason: 'ambiguous: the same title and year as "twin-peaks-a" and "twin-peaks-b"; not merged', data: expect.any(Object) }]);
  const { rows } = await db.pool.query(`SELECT slug, imdb_rating FROM film WHERE title LIKE 'Twin Peaks%' ORDER BY slug`);
  expect(rows).toEqual([
    { slug: 'twin-peaks-a', imdb_rating: null },
    { slug: 'twin-peaks-b', imdb_rating: null },
  ]);
});

test('the article says Tom Cruise stars in Mission: Impossible - Rogue Nation', async () => {
  const { film } = await query(server.url, '{ film(slug: "mission-impossible-rogue-nation") { producers { edges { role node { name } } } } }');
  expect(film.producers.edges).toEqual([{ role: 'ACTOR', node: { name: 'Tom Cruise' } }]);
});

test('importing into a fresh DATA_DIR before the first start keeps the article\'s facts', async () => {
  const dataDir = path.join(workDir, 'fresh-data');
  const file = path.join(workDir, 'two.json');
  await fs.writeFile(file, JSON.stringify([{ title: 'Forrest Gump', releaseDate: '1994-07-06', imdbRating: 8.8 }, { title: 'A New Film', releaseDate: '2001-01-01' }]));
  const child = run('cli/import.js', [file], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, workDir);
  const code = await child.exited;
  expect([code, child.output()]).toEqual([0, expect.stringContaining('Matched to films already in the catalogue (same title and year): 1;')]);
  const { service, url } = await startService({ DATA_DIR: dataDir }, await freePort());
  try {
    const data = await query(
      url,
      `{ stake: deals(filter: { kind: { eq: EQUITY_STAKE }, studio: { eq: "wanda-film" } }) { nodes { stakePercent valueUsd { amount } } }
         gump: films(filter: { title: { eq: "Forrest Gump" } }) { nodes { slug imdbRating } } }`,
    );
    expect(data).toEqual({ stake: { nodes: [{ stakePercent: '7.66', valueUsd: { amount: '744000000' } }] }, gump: { nodes: [{ slug: 'forrest-gump', imdbRating: 8.8 }] } });
  } finally {
    await kill(service);
  }
}, 120_000);

describe('the analysts\' questions, each one query, over the import', () => {
  const examples = require('node:fs').readFileSync(path.join(__dirname, '..', 'schema', 'examples.graphql'), 'utf8') as string;
  const run = async (operationName: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: examples, operationName }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  test('the top 10 films by worldwide gross', async () => {
    const { films } = await run('TopFilmsByWorldwideGross');
    const expected = movies.filter((m) => m.Title !== null && m['Worldwide Gross'] != null).sort((a, b) => b['Worldwide Gross'] - a['Worldwide Gross']).slice(0, 10);
    expect(films.nodes.map((n: any) => [n.title, Number(n.worldwideGross.amount)])).toEqual(expected.map((m) => [String(m.Title), m['Worldwide Gross']]));
  });

  test('average IMDb rating by genre, best first', async () => {
    const { filmStats } = await run('ImdbRatingByGenre');
    const { rows } = await db.pool.query<{ genre: string; n: number; avg: number }>(
      // Films without a genre form the null group, as the API's groups do.
      `SELECT g AS genre, count(f.imdb_rating)::int AS n, avg(f.imdb_rating)::float8 AS avg FROM film f LEFT JOIN LATERAL unnest(f.genres) g ON true
        GROUP BY g HAVING count(f.imdb_rating) >= 1 ORDER BY avg(f.imdb_rating) DESC NULLS LAST, g NULLS LAST`,
    );
    expect(filmStats.map((g: any) => [g.genre, g.imdbRating.count])).toEqual(rows.map((r) => [r.genre, r.n]));
    filmStats.forEach((g: any, i: number) => expect(g.imdbRating.avg).toBeCloseTo(rows[i].avg, 10));
    expect(filmStats.length).toBeGreaterThan(5);
  });

  test('films and gross per distributor per year, 2000-2010', async () => {
    const { filmStats } = await run('DistributorGrossByYear');
    const { rows } = await db.pool.query<{ name: string; year: number; n: number; sum: string }>(
      `SELECT s.name, extract(year FROM f.release_date)::int AS year, count(*)::int AS n, sum(f.worldwide_gross_amount)::text AS sum
         FROM film f JOIN film_studio fs ON fs.film_id = f.id AND fs.role = 'DISTRIBUTION' JOIN studio s ON s.id = fs.studio_id
        WHERE f.release_date BETWEEN '2000-01-01' AND '2010-12-31'
        GROUP BY 1, 2 ORDER BY sum(f.worldwide_gross_amount) DESC NULLS LAST LIMIT 20`,
    );
    expect(filmStats.map((g: any) => [g.distributor.name, g.year, g.count, g.worldwideGrossUsd.sum])).toEqual(rows.map((r) => [r.name, r.year, r.n, r.sum]));
  });

  test('a director\'s average rating: stats per person', async () => {
    const { filmStats } = await query(
      server.url,
      `{ filmStats(groupBy: [DIRECTOR], filter: { producer: { eq: "robert-zemeckis" } }, having: [{ aggregate: COUNT, measure: IMDB_RATING, gte: "1" }]) {
           director { name } count imdbRating { count avg } worldwideGrossUsd { sum } } }`,
    );
    const his = movies.filter((m) => m.Director === 'Robert Zemeckis' && m['IMDB Rating'] != null);
    expect(filmStats).toHaveLength(1);
    expect(filmStats[0].director.name).toBe('Robert Zemeckis');
    expect(filmStats[0].imdbRating.count).toBe(his.length);
    expect(filmStats[0].imdbRating.avg).toBeCloseTo(his.reduce((s, m) => s + m['IMDB Rating'], 0) / his.length, 10);
  });
});

test('deal(slug:) alongside deal(id:)', async () => {
  const bySlug = await query(server.url, '{ deal(slug: "alibaba-group-wanda-film-stake-2018") { id title stakePercent } }');
  expect(bySlug.deal).toMatchObject({ stakePercent: '7.66' });
  const byId = await query(server.url, `{ deal(id: "${bySlug.deal.id}") { title } }`);
  expect(byId.deal.title).toBe(bySlug.deal.title);
  expect((await query(server.url, '{ deal(slug: "no-such-deal") { id } }')).deal).toBeNull();
});

describe('filters people expect', () => {
  const titles = async (filter: string, extra = '') => {
    const { films } = await query(server.url, `{ films(first: 100, filter: ${filter}${extra}) { totalCount nodes { title } } }`);
    return films as { totalCount: number; nodes: Array<{ title: string }> };
  };
  const real = movies.filter((m) => m.Title !== null);
  const yearOf = (m: Record<string, any>) => (m['Release Date'] ? Number(String(m['Release Date']).slice(-4)) : null);

  test('eq on years, and gt, lt, neq, isNull on numbers', async () => {
    // The catalogue's films of 1994 (the article's films have no date of their own but Forrest Gump's, merged).
    const in1994 = await titles('{ releaseYear: { eq: 1994 } }');
    expect(in1994.totalCount).toBe(real.filter((m) => yearOf(m) === 1994).length);
    const rated = await titles('{ imdbRating: { gt: 8.5 }, imdbVotes: { gt: 100000 } }');
    expect(rated.totalCount).toBe(real.filter((m) => m['IMDB Rating'] > 8.5 && m['IMDB Votes'] > 100000).length);
    const short = await titles('{ runningTimeMinutes: { lt: 80 } }');
    expect(short.totalCount).toBe(real.filter((m) => m['Running Time min'] !== null && m['Running Time min'] < 80).length);
    const unrated = await titles('{ rottenTomatoesRating: { isNull: true }, mpaaRating: { isNull: false } }');
    expect(unrated.totalCount).toBeGreaterThan(0);
    for (const { title } of unrated.nodes) {
      const source = real.find((m) => String(m.Title) === title);
      if (source) expect(source['Rotten Tomatoes Rating']).toBeNull();
    }
  });

  test('neq, notIn and startsWith on text and enums', async () => {
    const nonR = await titles('{ mpaaRating: { notIn: [R, PG_13] }, sourceMaterial: { startsWith: "Based on Book" } }');
    expect(nonR.totalCount).toBe(real.filter((m) => m['MPAA Rating'] !== null && !['R', 'PG-13'].includes(m['MPAA Rating']) && String(m.Source ?? '').startsWith('Based on Book')).length);
    const notDrama = await titles('{ genre: { neq: "Drama" }, creativeType: { eq: "Super Hero" } }');
    expect(notDrama.totalCount).toBe(real.filter((m) => m['Major Genre'] !== null && m['Major Genre'] !== 'Drama' && m['Creative Type'] === 'Super Hero').length);
    // Wildcards in startsWith are literal.
    expect((await titles('{ sourceMaterial: { startsWith: "%" } }')).totalCount).toBe(0);
  });
});

test('a filter naming a slug that does not exist is an error with the closest slugs', async () => {
  const result = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ films(filter: { studio: { eq: "warner-brothers" } }) { totalCount } }' }),
  }).then((r) => r.json() as Promise<any>);
  expect(result.errors[0]).toMatchObject({
    message: expect.stringMatching(/^Argument "filter.studio.eq" names no studio: there is no studio with the slug "warner-brothers"\. Did you mean "warner-bros/),
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.studio.eq', suggestions: expect.arrayContaining(['warner-bros']) },
  });
  // In a list, in nested filters, and in aggregates alike; existing slugs pass.
  const nested = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ dealStats(groupBy: [], filter: { or: [{ studio: { in: ["wanda-film", "wanda-flim"] } }] }) { count } }' }),
  }).then((r) => r.json() as Promise<any>);
  expect(nested.errors[0]).toMatchObject({ extensions: { argumentName: 'filter.or[0].studio.in', suggestions: expect.arrayContaining(['wanda-film']) } });
  const ok = await query(server.url, '{ films(filter: { studio: { in: ["warner-bros", "alibaba-pictures"] } }) { totalCount } }');
  expect(ok.films.totalCount).toBeGreaterThan(0);
  // The checks of every list of a request share one statement: two lists, three statements.
  const before = server.statements.statements;
  const both = await query(
    server.url,
    '{ a: films(filter: { studio: { eq: "warner-bros" } }) { totalCount } b: deals(filter: { studio: { eq: "wanda-film" }, film: { eq: "steel-soldiers" } }) { totalCount } }',
  );
  expect(both.a.totalCount).toBeGreaterThan(0);
  expect(server.statements.statements - before).toBe(3);
});
