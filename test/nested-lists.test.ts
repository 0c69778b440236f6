import { useService } from './helpers/fixture';
import { generateCatalogue } from './helpers/generate';
import { gql, query } from './helpers/server';

// The nested lists (Studio.films, Producer.films, Studio.deals) take the root lists' `filter` and
// `orderBy`: the same rows in the same order as the root list narrowed to the parent, one statement
// per level of the query however many parents, and the same errors.

const service = useService({
  prepare: async (db) => {
    await generateCatalogue(db.pool, { seed: 7, studios: 40, producers: 60, films: 1500, deals: 400 });
  },
});

const FILM_CASES = [
  { filter: '{ releaseYear: { gte: 1990, lte: 2010 } }', orderBy: '[{ field: BUDGET_USD, direction: DESC }]' },
  { filter: '{ genre: { eq: "Drama" } }', orderBy: '[{ field: TITLE }]' },
  { filter: '{ or: [{ status: { eq: RELEASED } }, { releaseDate: { isNull: true } }] }', orderBy: '[{ field: RELEASE_DATE, direction: ASC }, { field: TITLE, direction: DESC }]' },
];

/** Ids in order, each once: a film credited twice to one parent (two roles) is two adjacent edges. */
const distinct = (ids: string[]) => ids.filter((id, i) => id !== ids[i - 1]);

async function someParents(list: 'studios' | 'producers'): Promise<string[]> {
  const data = await query(service.url, `{ ${list}(first: 100, orderBy: [{ field: NAME }]) { nodes { slug } } }`);
  return data[list].nodes.map((n: any) => n.slug).filter((_: string, i: number) => i % 7 === 0);
}

test.each(FILM_CASES)('Studio.films(filter: $filter, orderBy: $orderBy) is the root list narrowed to the studio', async ({ filter, orderBy }) => {
  let compared = 0;
  for (const slug of await someParents('studios')) {
    const data = await query(
      service.url,
      `{ studio(slug: "${slug}") { films(filter: ${filter}, orderBy: ${orderBy}, first: 100) { nodes { id } } }
         films(filter: { and: [${filter}, { studio: { eq: "${slug}" } }] }, orderBy: ${orderBy}, first: 100) { nodes { id } } }`,
    );
    const nested = distinct(data.studio.films.nodes.map((n: any) => n.id));
    expect(nested).toEqual(data.films.nodes.map((n: any) => n.id));
    compared += nested.length;
  }
  expect(compared).toBeGreaterThan(10);
});

test.each(FILM_CASES)('Producer.films(filter: $filter, orderBy: $orderBy) is the root list narrowed to the producer', async ({ filter, orderBy }) => {
  let compared = 0;
  for (const slug of await someParents('producers')) {
    const data = await query(
      service.url,
      `{ producer(slug: "${slug}") { films(filter: ${filter}, orderBy: ${orderBy}, first: 100) { nodes { id } } }
         films(filter: { and: [${filter}, { producer: { eq: "${slug}" } }] }, orderBy: ${orderBy}, first: 100) { nodes { id } } }`,
    );
    const nested = distinct(data.producer.films.nodes.map((n: any) => n.id));
    expect(nested).toEqual(data.films.nodes.map((n: any) => n.id));
    compared += nested.length;
  }
  expect(compared).toBeGreaterThan(10);
});

test('Studio.deals(filter:, orderBy:) is the root list narrowed to the studio', async () => {
  let compared = 0;
  for (const slug of await someParents('studios')) {
    const filter = '{ announcedYear: { gte: 2005 }, valueUsd: { isNull: false } }';
    const orderBy = '[{ field: VALUE_USD, direction: DESC }]';
    const data = await query(
      service.url,
      `{ studio(slug: "${slug}") { deals(filter: ${filter}, orderBy: ${orderBy}, first: 100) { nodes { id } } }
         deals(filter: { and: [${filter}, { studio: { eq: "${slug}" } }] }, orderBy: ${orderBy}, first: 100) { nodes { id } } }`,
    );
    const nested = data.studio.deals.nodes.map((n: any) => n.id);
    expect(nested).toEqual(data.deals.nodes.map((n: any) => n.id));
    compared += nested.length;
  }
  expect(compared).toBeGreaterThan(5);
});

test('a filtered, ordered nested list costs one statement per level, pages by cursor, and counts what it filters', async () => {
  const FILMS = `{
    studios(first: 20, orderBy: [{ field: NAME }]) {
      nodes {
        slug
        films(filter: { releaseYear: { gte: 1980 } }, orderBy: [{ field: TITLE, direction: DESC }], first: 3) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { id producers(first: 2) { nodes { slug } } }
        }
      }
    }
  }`;
  const before = service.server.statements.statements;
  const data = await query(service.url, FILMS);
  // studios, their films, the films' totalCount, the films' producers.
  expect(service.server.statements.statements - before).toBe(4);
  let checked = 0;
  for (const studio of data.studios.nodes) {
    const root = await query(
      service.url,
      `{ films(filter: { studio: { eq: "${studio.slug}" }, releaseYear: { gte: 1980 } }, orderBy: [{ field: TITLE, direction: DESC }], first: 3) { totalCount nodes { id } } }`,
    );
    const nested = distinct(studio.films.nodes.map((n: any) => n.id));
    expect(root.films.nodes.map((n: any) => n.id).slice(0, nested.length)).toEqual(nested);
    // Edges are credits: a film credited in two roles counts twice.
    expect(studio.films.totalCount).toBeGreaterThanOrEqual(root.films.totalCount);
    checked += nested.length;
  }
  expect(checked).toBeGreaterThan(10);

  // The second page of one studio's films continues where the first ended.
  const studio = data.studios.nodes.find((s: any) => s.films.pageInfo.hasNextPage);
  const one = `query ($slug: String!, $first: Int!, $after: String) { studio(slug: $slug) {
    films(filter: { releaseYear: { gte: 1980 } }, orderBy: [{ field: TITLE, direction: DESC }], first: $first, after: $after) {
      pageInfo { endCursor } nodes { id } } } }`;
  const whole = await query(service.url, one, { slug: studio.slug, first: 6 });
  const first = await query(service.url, one, { slug: studio.slug, first: 3 });
  const second = await query(service.url, one, { slug: studio.slug, first: 3, after: first.studio.films.pageInfo.endCursor });
  expect([...first.studio.films.nodes, ...second.studio.films.nodes]).toEqual(whole.studio.films.nodes);
});

test('a nested filter naming an unknown slug, or a malformed one, is a BAD_USER_INPUT naming the argument', async () => {
  const unknown = await gql(service.url, `{ studios(first: 5) { nodes { films(filter: { producer: { eq: "robert-zemekis" } }) { nodes { id } } } } }`);
  expect(unknown.body.errors![0]).toMatchObject({
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.producer.eq', suggestions: expect.arrayContaining(['robert-zemeckis']) },
  });
  expect(unknown.body.errors![0].message).toContain('Did you mean');

  const range = await gql(service.url, `{ studios(first: 5) { nodes { deals(filter: { announcedYear: { gte: 0 } }) { nodes { id } } } } }`);
  expect(range.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.announcedYear.gte' });

  const relevance = await gql(service.url, `{ producers(first: 5) { nodes { films(orderBy: [{ field: RELEVANCE }]) { nodes { id } } } } }`);
  expect(relevance.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'orderBy' } });
});
