import { useService } from './helpers/fixture';
import { gql, query } from './helpers/server';

// Fuzzy search in PostgreSQL: typos, accents, word forms; ranked; paginated; bounded statements.

const service = useService({
  prepare: async (db) => {
    await db.pool.query(
      `INSERT INTO studio (slug, name, kind, country) VALUES ('pathe', 'Pathé', 'STUDIO', 'FR'), ('gaumont', 'Gaumont', 'STUDIO', 'FR')`,
    );
  },
});

const SEARCH = `query ($q: String!, $types: [SearchType!], $first: Int, $after: String) {
  search(query: $q, types: $types, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { type score node { __typename ... on Studio { slug } ... on Producer { slug } ... on Film { slug } ... on Deal { slug } } }
  }
}`;

async function hits(q: string, types?: string[]) {
  const data = await query(service.url, SEARCH, { q, types });
  return data.search.edges.map((e: any) => `${e.type}:${e.node.slug}`);
}

test('"Zemekis" finds Robert Zemeckis (a typo)', async () => {
  expect((await hits('Zemekis'))[0]).toBe('PRODUCER:robert-zemeckis');
});

test('"steel soldier" finds "Steel Soldiers" first, then the deal about it', async () => {
  expect(await hits('steel soldier')).toEqual(['FILM:steel-soldiers', 'DEAL:stx-entertainment-alibaba-pictures-steel-soldiers']);
});

test('"wanda" finds Wanda Film and its deal', async () => {
  expect(await hits('wanda')).toEqual(['STUDIO:wanda-film', 'DEAL:alibaba-group-wanda-film-stake-2018']);
});

test('accents and case are ignored both ways', async () => {
  expect(await hits('PATHE')).toEqual(['STUDIO:pathe']);
  expect(await hits('Gaumönt')).toEqual(['STUDIO:gaumont']);
});

test('types restricts the kinds of objects; every edge says its type and score', async () => {
  const data = await query(service.url, SEARCH, { q: 'alibaba', types: ['STUDIO'] });
  expect(data.search.edges.map((e: any) => e.node.slug)).toEqual(['alibaba-group', 'alibaba-pictures']);
  for (const edge of data.search.edges) {
    expect(edge.type).toBe('STUDIO');
    expect(edge.node.__typename).toBe('Studio');
    expect(typeof edge.score).toBe('number');
  }
});

test('hits are ranked best first and page with cursors', async () => {
  const all = await query(service.url, SEARCH, { q: 'alibaba', first: 100 });
  const scores = all.search.edges.map((e: any) => Number(e.score));
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  expect(all.search.totalCount).toBe(all.search.edges.length);
  expect(all.search.totalCount).toBeGreaterThan(4);

  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = await query(service.url, SEARCH, { q: 'alibaba', first: 2, after });
    seen.push(...page.search.edges.map((e: any) => `${e.type}:${e.node.slug}`));
    if (!page.search.pageInfo.hasNextPage) break;
    after = page.search.pageInfo.endCursor;
  }
  expect(seen).toEqual(all.search.edges.map((e: any) => `${e.type}:${e.node.slug}`));
});

test('nothing similar gives an empty connection, not an error', async () => {
  const data = await query(service.url, SEARCH, { q: 'xylophone quartet' });
  expect(data.search).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
});

test('an empty or overlong query is a BAD_USER_INPUT naming it', async () => {
  const empty = await gql(service.url, SEARCH, { q: '   ' });
  expect(empty.body.errors![0]).toMatchObject({ message: 'Argument "query" is empty: give a name, a title or words of one.', extensions: { code: 'BAD_USER_INPUT', argumentName: 'query' } });
  const long = await gql(service.url, SEARCH, { q: 'x'.repeat(201) });
  expect(long.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'query' });
});

test('a search costs one statement for the hits and one per kind of object found', async () => {
  const before = service.server.statements.statements;
  const data = await query(service.url, SEARCH, { q: 'alibaba' });
  const kinds = new Set(data.search.edges.map((e: any) => e.type));
  expect([...kinds].sort()).toEqual(['DEAL', 'STUDIO']);
  // hits, totalCount, then the studios and the deals found.
  expect(service.server.statements.statements - before).toBe(4);
});

test('the search argument of root lists uses the same fuzzy matching, ranked by relevance', async () => {
  const data = await query(
    service.url,
    `{ producers(search: "Spielburg") { nodes { slug } }
       films(search: "mision imposible") { nodes { slug } }
       studios(search: "alibaba pictures") { nodes { slug } }
       byName: studios(search: "alibaba", orderBy: [{ field: NAME, direction: DESC }]) { nodes { slug } }
       deals(search: "stake wanda") { nodes { slug } } }`,
  );
  expect(data).toEqual({
    producers: { nodes: [{ slug: 'steven-spielberg' }] },
    films: { nodes: [{ slug: 'mission-impossible-rogue-nation' }] },
    studios: { nodes: [{ slug: 'alibaba-pictures' }, { slug: 'alibaba-group' }] },
    byName: { nodes: [{ slug: 'alibaba-pictures' }, { slug: 'alibaba-group' }] },
    deals: { nodes: [{ slug: 'alibaba-group-wanda-film-stake-2018' }] },
  });
});

test('RELEVANCE ordering without a search is refused with a reason', async () => {
  const result = await gql(service.url, '{ films(orderBy: [{ field: RELEVANCE }]) { totalCount } }');
  expect(result.body.errors![0]).toMatchObject({
    message: 'Argument "orderBy" asks for RELEVANCE, which needs a "search" argument.',
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'orderBy' },
  });
});

test('the search is answered by the trigram and full-text indexes', async () => {
  await service.db.pool.query('SET enable_seqscan = off');
  const { rows } = await service.db.pool.query(
    `EXPLAIN SELECT id FROM film t WHERE (mg_norm(t.title) % mg_norm('steel soldier') OR mg_norm('steel soldier') <% mg_norm(t.title)
       OR to_tsvector('english', mg_norm(t.title)) @@ plainto_tsquery('english', mg_norm('steel soldier')))`,
  );
  await service.db.pool.query('RESET enable_seqscan');
  const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
  expect(plan).toContain('film_title_trgm_idx');
  expect(plan).toContain('film_title_fts_idx');
});
