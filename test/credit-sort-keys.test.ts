import fc from 'fast-check';
import { useService } from './helpers/fixture';
import { generateCatalogue } from './helpers/generate';

// A studio's and a producer's film credits carry their film's release date and title (the order of
// `Studio.films` and `Producer.films`, read from the credit table's index). The database keeps the
// copies, whatever writes: random sequences of the API's writes and of raw SQL never leave a credit
// with other values than its film, and the nested lists stay the root list narrowed to the parent,
// page by page.

const SEED = Number(process.env.FC_SEED ?? 20261207);

const service = useService({
  prepare: async (db) => {
    await generateCatalogue(db.pool, { seed: 11, studios: 6, producers: 8, films: 90, deals: 10 });
  },
});

/** Credits whose copies differ from their film's values (none, ever). */
async function staleCredits(): Promise<unknown[]> {
  const { rows } = await service.db.pool.query(
    `SELECT 'film_studio' AS link, c.film_id, c.film_title, c.film_release_date FROM film_studio c JOIN film f ON f.id = c.film_id
      WHERE c.film_title IS DISTINCT FROM f.title OR c.film_release_date IS DISTINCT FROM f.release_date
     UNION ALL
     SELECT 'film_producer', c.film_id, c.film_title, c.film_release_date FROM film_producer c JOIN film f ON f.id = c.film_id
      WHERE c.film_title IS DISTINCT FROM f.title OR c.film_release_date IS DISTINCT FROM f.release_date`,
  );
  return rows;
}

async function slugs(table: 'film' | 'studio' | 'producer'): Promise<string[]> {
  const { rows } = await service.db.pool.query(`SELECT slug FROM ${table} ORDER BY id`);
  return rows.map((r) => r.slug);
}

/** Ids in order, each once: a film credited twice to one parent (two roles) is two adjacent edges. */
const distinct = (ids: string[]) => ids.filter((id, i) => id !== ids[i - 1]);

/** A parent's films, latest first, by pages of `size` through the cursors. */
async function pagedFilms(kind: 'studio' | 'producer', slug: string, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const data: any = await service.query(`query ($after: String) { x: ${kind}(slug: "${slug}") { films(first: ${size}, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, { after });
    ids.push(...data.x.films.nodes.map((n: any) => n.id));
    if (!data.x.films.pageInfo.hasNextPage) return ids;
    after = data.x.films.pageInfo.endCursor;
  }
  throw new Error('more than 200 pages');
}

/** The nested list, whole and by pages, is the root list narrowed to the parent, latest first. */
async function expectNestedIsRootNarrowed(kind: 'studio' | 'producer', slug: string): Promise<number> {
  const data = await service.query(
    `{ x: ${kind}(slug: "${slug}") { films(first: 100) { nodes { id } } }
       films(filter: { ${kind}: { eq: "${slug}" } }, orderBy: [{ field: RELEASE_DATE, direction: DESC }, { field: TITLE }], first: 100) { nodes { id } } }`,
  );
  const nested = data.x.films.nodes.map((n: any) => n.id);
  expect(distinct(nested)).toEqual(data.films.nodes.map((n: any) => n.id));
  expect(await pagedFilms(kind, slug, 4)).toEqual(nested);
  return nested.length;
}

const TITLES = ['Alpha', 'alpha', 'Beta', 'The Gamma', 'Zeta', 'Ämber'];
const DATES = [null, '1999-12-31', '2001-06-15', '2001-06-15', '2020-01-01'];

type Step =
  | { kind: 'update'; film: number; title?: string; releaseDate?: string | null }
  | { kind: 'create'; title: string; releaseDate: string | null; studio: number; producer: number }
  | { kind: 'attach' | 'detach'; film: number; studio: number }
  | { kind: 'tamper'; film: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), film: fc.nat(), title: fc.option(fc.constantFrom(...TITLES), { nil: undefined }), releaseDate: fc.option(fc.constantFrom(...DATES), { nil: undefined }) }),
  fc.record({ kind: fc.constant('create' as const), title: fc.constantFrom(...TITLES), releaseDate: fc.constantFrom(...DATES), studio: fc.nat(), producer: fc.nat() }),
  fc.record({ kind: fc.constantFrom('attach' as const, 'detach' as const), film: fc.nat(), studio: fc.nat() }),
  fc.record({ kind: fc.constant('tamper' as const), film: fc.nat() }),
);

test('the credits carry their film\'s title and release date through any sequence of writes', async () => {
  const studios = await slugs('studio');
  const producers = await slugs('producer');
  let created = 0;
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
      const films = await slugs('film');
      for (const s of steps) {
        if (s.kind === 'update') {
          const slug = films[s.film % films.length];
          const { film } = await service.query(`{ film(slug: "${slug}") { id version } }`);
          await service.query('mutation ($id: ID!, $v: Int!, $input: UpdateFilmInput!) { updateFilm(id: $id, expectedVersion: $v, input: $input) { film { id } } }', { id: film.id, v: film.version, input: { title: s.title, releaseDate: s.releaseDate } }, { key: service.keys.editor });
        } else if (s.kind === 'create') {
          await service.query(
            'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { id } } }',
            {
              input: {
                title: s.title,
                slug: `keyed-${++created}`,
                status: 'RELEASED',
                releaseDate: s.releaseDate,
                studios: [{ studio: studios[s.studio % studios.length], role: 'PRODUCTION' }],
                producers: [{ producer: producers[s.producer % producers.length], role: 'PRODUCER' }],
              },
            },
            { key: service.keys.editor },
          );
        } else if (s.kind === 'attach' || s.kind === 'detach') {
          const verb = s.kind === 'attach' ? 'attachStudioCredit' : 'detachStudioCredit';
          await service.query(`mutation { ${verb}(film: "${films[s.film % films.length]}", studio: "${studios[s.studio % studios.length]}", role: DISTRIBUTION) { film { id } } }`, undefined, { key: service.keys.editor });
        } else {
          // Raw SQL that writes other values into a credit, or moves it to another film: the database puts the film's back.
          await service.db.pool.query(`UPDATE film_studio SET film_title = 'tampered', film_release_date = '1900-01-01' WHERE film_id = (SELECT id FROM film WHERE slug = $1)`, [films[s.film % films.length]]);
          await service.db.pool.query(`UPDATE film_producer SET film_id = film_id, film_title = 'tampered' WHERE film_id = (SELECT id FROM film WHERE slug = $1)`, [films[s.film % films.length]]);
        }
      }
      expect(await staleCredits()).toEqual([]);
      for (const slug of studios.slice(0, 2)) checked += await expectNestedIsRootNarrowed('studio', slug);
      checked += await expectNestedIsRootNarrowed('producer', producers[0]);
    }),
    { seed: SEED, numRuns: 15 },
  );
  expect(checked).toBeGreaterThan(100);
}, 120_000);

test('a film with no title cannot leave a credit without one, and a failed write leaves the copies as they were', async () => {
  const [slug] = await slugs('film');
  const before = await service.db.pool.query('SELECT film_title FROM film_studio WHERE film_id = (SELECT id FROM film WHERE slug = $1) ORDER BY studio_id, role', [slug]);
  await expect(service.db.pool.query(`UPDATE film SET title = NULL WHERE slug = $1`, [slug])).rejects.toThrow(/null value in column "title"/);
  const after = await service.db.pool.query('SELECT film_title FROM film_studio WHERE film_id = (SELECT id FROM film WHERE slug = $1) ORDER BY studio_id, role', [slug]);
  expect(after.rows).toEqual(before.rows);
  expect(await staleCredits()).toEqual([]);
});

test("each credit table's parent index is the page order, and still holds the whole link", async () => {
  const { rows } = await service.db.pool.query(
    `SELECT indexdef FROM pg_indexes WHERE indexname IN ('film_studio_studio_latest_idx', 'film_producer_producer_latest_idx') ORDER BY indexname`,
  );
  expect(rows.map((r) => r.indexdef.replace(/^.* USING btree /, ''))).toEqual([
    '(producer_id, film_release_date DESC NULLS LAST, film_title, film_id, role)',
    '(studio_id, film_release_date DESC NULLS LAST, film_title, film_id, role)',
  ]);
});
