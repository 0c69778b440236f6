import { useService } from './helpers/fixture';
import { insertHub } from './helpers/fixtures';
import { gql } from './helpers/server';

// No N+1: the number of SQL statements depends on the depth of the query, never on the fan-out.

// Statements are counted per request: every request runs (the response cache would answer repeats).
const service = useService({
  seed: false,
  env: { RESPONSE_CACHE: 'off' },
  prepare: async (db) => {
    await insertHub(db.pool, 'solo', 1, 12, 3);
    const wide = await insertHub(db.pool, 'wide', 50, 12, 3);
    await db.pool.query(`UPDATE studio SET parent_id = $1 WHERE slug LIKE 'wide-partner-%'`, [wide.studioId]);
  },
});

/** Runs a query and returns its result with the number of statements the server sent for it. */
async function counted(query: string, variables: Record<string, unknown>) {
  const before = service.server.statements.statements;
  const result = await gql(service.url, query, variables);
  expect(result.body.errors).toBeUndefined();
  return { data: result.body.data as Record<string, any>, statements: service.server.statements.statements - before };
}

const PARTNERS_FILMS_PRODUCERS = `
  query ($slug: String!) {
    studio(slug: $slug) {
      partners(first: 50) {
        edges {
          node {
            slug
            films(first: 10) {
              pageInfo { hasNextPage }
              edges { role node { title producers(first: 5) { edges { role node { name } } } } }
            }
          }
        }
      }
    }
  }`;

test('studio -> partners -> films -> producers costs 4 statements with 1 partner and with 50', async () => {
  const solo = await counted(PARTNERS_FILMS_PRODUCERS, { slug: 'solo-hub' });
  const wide = await counted(PARTNERS_FILMS_PRODUCERS, { slug: 'wide-hub' });

  // studio by slug, partners, films of every partner, producers of every film.
  expect(solo.statements).toBe(4);
  expect(wide.statements).toBe(4);

  const partners = wide.data.studio.partners.edges;
  expect(partners).toHaveLength(50);
  for (const { node } of partners) {
    // Each partner has 12 films: the per-parent limit gives each its own first 10.
    expect(node.films.edges).toHaveLength(10);
    expect(node.films.pageInfo).toEqual({ hasNextPage: true });
    for (const film of node.films.edges) {
      expect(film.role).toBe('PRODUCTION');
      expect(film.node.producers.edges).toHaveLength(3);
    }
  }
  expect(solo.data.studio.partners.edges).toHaveLength(1);
});

test('every level keeps its own page: the films of each partner are exactly its latest 10', async () => {
  const { data } = await counted(PARTNERS_FILMS_PRODUCERS, { slug: 'wide-hub' });
  const expected = await service.db.pool.query<{ slug: string; titles: string[] }>(
    `SELECT s.slug, (array_agg(f.title ORDER BY f.release_date DESC, f.title, f.id))[1:10] AS titles
       FROM studio s JOIN film_studio fs ON fs.studio_id = s.id JOIN film f ON f.id = fs.film_id
      WHERE s.slug LIKE 'wide-partner-%' GROUP BY s.slug ORDER BY s.slug`,
  );
  const actual = data.studio.partners.edges.map((e: any) => ({ slug: e.node.slug, titles: e.node.films.edges.map((f: any) => f.node.title) }));
  expect(actual).toEqual(expected.rows);
});

test('totalCount and the shared deals add one statement per level that asks for them, whatever the fan-out', async () => {
  const query = `
    query ($slug: String!) {
      studio(slug: $slug) {
        partners(first: 50) {
          totalCount
          edges { deals { title } node { films(first: 10) { totalCount edges { node { producers { totalCount } } } } } }
        }
      }
    }`;
  const solo = await counted(query, { slug: 'solo-hub' });
  const wide = await counted(query, { slug: 'wide-hub' });
  // 4 as above (films -> producers page) + partners count + shared deals + films counts + producers counts.
  expect(solo.statements).toBe(8);
  expect(wide.statements).toBe(8);
  expect(wide.data.studio.partners.totalCount).toBe(50);
  expect(wide.data.studio.partners.edges[0].node.films.totalCount).toBe(12);
  expect(wide.data.studio.partners.edges[0].deals).toEqual([{ title: 'Partnership with wide-partner-001' }]);
});

test('a root list with nested relations: 100 films with studios, their parents, producers and deals in 5 statements', async () => {
  const { data, statements } = await counted(
    `{ films(first: 100, orderBy: [{ field: RELEASE_DATE, direction: DESC }]) {
         nodes { title studios { edges { role node { name parent { name } } } } producers { nodes { name } } deals { nodes { title } } }
       } }`,
    {},
  );
  expect(data.films.nodes).toHaveLength(100);
  // films, studios, producers, deals, then the studios' parents (one batched lookup).
  expect(statements).toBe(5);
});

test('loaders are per request: a second request reads the database again', async () => {
  const query = '{ studio(slug: "solo-hub") { name } }';
  const first = await counted(query, {});
  const second = await counted(query, {});
  expect([first.statements, second.statements]).toEqual([1, 1]);
});

test("a partner edge's shared deals come latest first, undated last, newest id first among equals", async () => {
  const { rows } = await service.db.pool.query<{ id: number; slug: string }>(
    `WITH hub AS (SELECT id FROM studio WHERE slug = 'solo-hub'), partner AS (SELECT id FROM studio WHERE slug = 'solo-partner-001'),
          d AS (INSERT INTO deal (slug, kind, title, status, announced_on, announced_on_precision)
                VALUES ('order-undated', 'INVESTMENT', 'Undated', 'CLOSED', NULL, NULL),
                       ('order-early', 'INVESTMENT', 'Early', 'CLOSED', DATE '2001-01-01', 'DAY'),
                       ('order-late-a', 'INVESTMENT', 'Late A', 'CLOSED', DATE '2030-01-01', 'DAY'),
                       ('order-late-b', 'INVESTMENT', 'Late B', 'CLOSED', DATE '2030-01-01', 'DAY')
                RETURNING id, slug),
          parties AS (INSERT INTO deal_party (deal_id, studio_id, role)
                      SELECT d.id, hub.id, 'INVESTOR'::deal_party_role FROM d, hub
                      UNION ALL SELECT d.id, partner.id, 'INVESTEE'::deal_party_role FROM d, partner)
     SELECT id, slug FROM d ORDER BY id`,
  );
  try {
    const { data, statements } = await counted(
      `{ studio(slug: "solo-hub") { partners { edges { node { slug } deals { slug } } } } }`,
      {},
    );
    const [edge] = data.studio.partners.edges;
    expect(edge.node.slug).toBe('solo-partner-001');
    const [lateA, lateB] = rows.filter((r) => r.slug.startsWith('order-late')).map((r) => r.slug);
    const lateInIdOrder = rows.findIndex((r) => r.slug === lateA) < rows.findIndex((r) => r.slug === lateB) ? [lateB, lateA] : [lateA, lateB];
    expect(edge.deals.map((d: { slug: string }) => d.slug)).toEqual([...lateInIdOrder, 'deal-solo-partner-001', 'order-early', 'order-undated']);
    // studio by slug, partners, the shared deals by id.
    expect(statements).toBe(3);
  } finally {
    await service.db.pool.query(`DELETE FROM deal WHERE slug LIKE 'order-%'`);
  }
});

test("a root list's totalCount comes with its page, in the same statement", async () => {
  const { rows } = await service.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM studio WHERE name ILIKE '%partner%'`);
  const expected = rows[0].n;
  expect(expected).toBeGreaterThan(5);

  const page = await counted(`{ studios(first: 5, filter: { name: { contains: "partner" } }) { totalCount nodes { slug } } }`, {});
  expect(page.statements).toBe(1);
  expect(page.data.studios.totalCount).toBe(expected);
  expect(page.data.studios.nodes).toHaveLength(5);

  const countOnly = await counted(`{ studios(filter: { name: { contains: "partner" } }) { totalCount } }`, {});
  expect(countOnly.statements).toBe(1);
  expect(countOnly.data.studios.totalCount).toBe(expected);

  const none = await counted(`{ studios(filter: { name: { contains: "no such studio" } }) { totalCount nodes { slug } } }`, {});
  expect(none.statements).toBe(1);
  expect(none.data.studios).toEqual({ totalCount: 0, nodes: [] });

  // Past the last row the page is empty and says nothing of the count: that takes a second statement.
  const last = await counted(`{ studios(last: 1, filter: { name: { contains: "partner" } }) { pageInfo { endCursor } } }`, {});
  const beyond = await counted(`query ($after: String) { studios(first: 5, after: $after, filter: { name: { contains: "partner" } }) { totalCount nodes { slug } } }`, {
    after: last.data.studios.pageInfo.endCursor,
  });
  expect(beyond.data.studios).toEqual({ totalCount: expected, nodes: [] });
  expect(beyond.statements).toBe(2);
});
