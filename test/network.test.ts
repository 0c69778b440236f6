import { createTestDatabase, type TestDatabase } from './helpers/database';
import { generateCatalogue } from './helpers/generate';
import { gql, query, startTestServer, type TestServer } from './helpers/server';

// The deal network: distances and shortest paths computed in PostgreSQL, checked against a
// breadth-first search done here over the same links; bounded work; one statement per level.

let db: TestDatabase;
let server: TestServer;
const idBySlug = new Map<string, number>();
const slugById = new Map<number, string>();
/** Undirected links: deals (any kind) and ownership. */
const links = new Map<number, Map<number, Set<string>>>();

function addLink(a: number, b: number, how: string) {
  if (!links.has(a)) links.set(a, new Map());
  if (!links.get(a)!.has(b)) links.get(a)!.set(b, new Set());
  links.get(a)!.get(b)!.add(how);
}

function bfs(origin: number, depth: number, follow: (how: string) => boolean): Map<number, number> {
  const distance = new Map([[origin, 0]]);
  let frontier = [origin];
  for (let d = 1; d <= depth && frontier.length; d++) {
    const next: number[] = [];
    for (const at of frontier) {
      for (const [to, hows] of links.get(at) ?? []) {
        if (!distance.has(to) && [...hows].some(follow)) {
          distance.set(to, d);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  distance.delete(origin);
  return distance;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // A sparse graph (few deals per studio) so that distances vary up to 4.
  await generateCatalogue(db.pool, { seed: 11, studios: 400, producers: 50, films: 100, deals: 260 });
  const studios = await db.pool.query<{ id: number; slug: string; parent_id: number | null }>('SELECT id, slug, parent_id FROM studio');
  for (const s of studios.rows) {
    idBySlug.set(s.slug, s.id);
    slugById.set(s.id, s.slug);
    if (s.parent_id !== null) {
      addLink(s.id, s.parent_id, 'PARENT_COMPANY');
      addLink(s.parent_id, s.id, 'SUBSIDIARY');
    }
  }
  const pairs = await db.pool.query<{ a: number; b: number; kind: string; deal: number }>(
    `SELECT a.studio_id AS a, b.studio_id AS b, d.kind::text, d.id AS deal FROM deal_party a
       JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id JOIN deal d ON d.id = a.deal_id`,
  );
  for (const p of pairs.rows) addLink(p.a, p.b, `DEAL:${p.kind}:${p.deal}`);
  server = await startTestServer(db);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const NETWORK = `query ($slug: String!, $depth: Int!, $kinds: [DealKind!], $ownership: Boolean!, $after: String) {
  studio(slug: $slug) {
    network(depth: $depth, kinds: $kinds, includeOwnership: $ownership, first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { distance node { slug } path { link from { slug } to { slug } deal { slug kind } } deals { slug } }
    }
  }
}`;

async function network(slug: string, depth: number, kinds: string[] | null, ownership: boolean) {
  const edges: any[] = [];
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const data: any = await query(server.url, NETWORK, { slug, depth, kinds, ownership, after });
    edges.push(...data.studio.network.edges);
    total = data.studio.network.totalCount;
    if (!data.studio.network.pageInfo.hasNextPage) break;
    after = data.studio.network.pageInfo.endCursor;
  }
  expect(edges).toHaveLength(total);
  return edges;
}

/** Three studios whose depth-4 networks are large, reach far, and differ. */
function interestingOrigins(): string[] {
  const ranked = [...idBySlug.entries()]
    .map(([slug, id]) => ({ slug, reach: bfs(id, 4, () => true) }))
    .filter((o) => [...o.reach.values()].includes(4))
    .sort((a, b) => b.reach.size - a.reach.size || a.slug.localeCompare(b.slug));
  expect(ranked.length).toBeGreaterThan(3);
  return [ranked[0].slug, ranked[Math.floor(ranked.length / 2)].slug, ranked[ranked.length - 1].slug];
}

function checkPath(origin: string, edge: any, kinds: string[] | null, ownership: boolean) {
  expect(edge.path).toHaveLength(edge.distance);
  let at = origin;
  for (const step of edge.path) {
    expect(step.from.slug).toBe(at);
    const hows = links.get(idBySlug.get(step.from.slug)!)!.get(idBySlug.get(step.to.slug)!)!;
    if (step.link === 'DEAL') {
      expect([...hows].some((h) => h.startsWith(`DEAL:${step.deal.kind}:`))).toBe(true);
      if (kinds) expect(kinds).toContain(step.deal.kind);
    } else {
      expect(ownership).toBe(true);
      expect(step.deal).toBeNull();
      expect(hows.has(step.link)).toBe(true);
    }
    at = step.to.slug;
  }
  expect(at).toBe(edge.node.slug);
  expect(edge.deals.map((d: any) => d.slug)).toEqual(edge.path.filter((s: any) => s.deal).map((s: any) => s.deal.slug));
}

test.each([
  [2, null, true],
  [4, null, true],
  [3, ['PARTNERSHIP', 'CO_PRODUCTION', 'INVESTMENT'], true],
  [4, null, false],
])('depth %s, kinds %j, ownership %s: the same studios and distances as a BFS, with valid shortest paths', async (depth, kinds, ownership) => {
  const follow = (how: string) => (how.startsWith('DEAL:') ? !kinds || kinds.includes(how.split(':')[1]) : ownership);
  const origins = interestingOrigins();
  for (const origin of origins) {
    const expected = bfs(idBySlug.get(origin)!, depth, follow);
    const edges = await network(origin, depth, kinds, ownership);
    expect(new Map(edges.map((e) => [idBySlug.get(e.node.slug)!, e.distance]))).toEqual(expected);
    // Nearest first.
    expect(edges.map((e) => e.distance)).toEqual([...edges.map((e) => e.distance)].sort((a, b) => a - b));
    for (const edge of edges) checkPath(origin, edge, kinds, ownership);
  }
});

test('networks of a whole list of studios cost a fixed number of statements', async () => {
  const document = `{ studios(first: 50) { nodes { network(depth: 2) { totalCount edges { distance path { from { name } to { name } deal { title } } } } } } }`;
  const before = server.statements.statements;
  const result = await gql(server.url, document);
  expect(result.body.errors).toBeUndefined();
  // studios, networks, their counts, the studios and the deals of every step.
  expect(server.statements.statements - before).toBe(5);
});

test('a network too large to walk is refused with a clear error, not computed', async () => {
  const [origin] = interestingOrigins();
  expect(bfs(idBySlug.get(origin)!, 4, () => true).size).toBeGreaterThan(10);
  const small = await startTestServer(db, { env: { NETWORK_MAX_PAIRS: '10' } });
  try {
    const result = await gql(small.url, `{ studio(slug: "${origin}") { network(depth: 4) { totalCount } } }`);
    expect(result.body.errors![0]).toMatchObject({
      message:
        'The network within 4 links is too large to compute here (more than 10 studios and distances to visit). Lower "depth" or follow fewer deal "kinds".',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'depth' },
    });
  } finally {
    await small.close();
  }
});

test('depth is between 1 and 4', async () => {
  const result = await gql(server.url, '{ studio(slug: "gen-studio-00001") { network(depth: 5) { totalCount } } }');
  expect(result.body.errors![0]).toMatchObject({ message: 'Argument "depth" must be between 1 and 4, but got 5.', extensions: { argumentName: 'depth' } });
});

describe('dealPath', () => {
  const PATH = `query ($from: String!, $to: String!, $kinds: [DealKind!], $maxDepth: Int) {
    dealPath(from: $from, to: $to, kinds: $kinds, maxDepth: $maxDepth) {
      length throughOwnership from { slug } to { slug } steps { link from { slug } to { slug } deal { slug kind } } deals { slug }
    }
  }`;

  test('finds a shortest path whenever the BFS does, and null otherwise', async () => {
    const [, origin] = interestingOrigins();
    const reachable = bfs(idBySlug.get(origin)!, 4, () => true);
    const far = [...reachable.entries()].filter(([, d]) => d >= 3).map(([id]) => slugById.get(id)!);
    const unreachable = [...idBySlug.keys()].filter((slug) => slug !== origin && !reachable.has(idBySlug.get(slug)!));
    let found = 0;
    let missing = 0;
    for (const target of [...far.slice(0, 4), ...unreachable.slice(0, 2)]) {
      const data = await query(server.url, PATH, { from: origin, to: target });
      const distance = reachable.get(idBySlug.get(target)!);
      if (distance === undefined) {
        expect(data.dealPath).toBeNull();
        missing++;
        continue;
      }
      found++;
      expect(data.dealPath.length).toBe(distance);
      expect(data.dealPath.from.slug).toBe(origin);
      expect(data.dealPath.to.slug).toBe(target);
      checkPath(origin, { distance, path: data.dealPath.steps, node: { slug: target }, deals: data.dealPath.deals }, null, true);
      expect(data.dealPath.throughOwnership).toBe(data.dealPath.steps.some((s: any) => s.link !== 'DEAL'));
    }
    expect([found, missing]).toEqual([4, 2]);
  });

  test('on the article: Wanda Film to STX Entertainment, through Alibaba Group and its subsidiary', async () => {
    const article = await createTestDatabase();
    const articleServer = await startTestServer(article);
    try {
      const data = await query(articleServer.url, PATH, { from: 'wanda-film', to: 'stx-entertainment' });
      expect(data).toEqual({
        dealPath: {
          length: 3,
          throughOwnership: true,
          from: { slug: 'wanda-film' },
          to: { slug: 'stx-entertainment' },
          steps: [
            { link: 'DEAL', from: { slug: 'wanda-film' }, to: { slug: 'alibaba-group' }, deal: { slug: 'alibaba-group-wanda-film-stake-2018', kind: 'EQUITY_STAKE' } },
            { link: 'SUBSIDIARY', from: { slug: 'alibaba-group' }, to: { slug: 'alibaba-pictures' }, deal: null },
            {
              link: 'DEAL',
              from: { slug: 'alibaba-pictures' },
              to: { slug: 'stx-entertainment' },
              deal: { slug: 'stx-entertainment-alibaba-pictures-steel-soldiers', kind: 'CO_PRODUCTION' },
            },
          ],
          deals: [{ slug: 'alibaba-group-wanda-film-stake-2018' }, { slug: 'stx-entertainment-alibaba-pictures-steel-soldiers' }],
        },
      });
      const tooShort = await query(articleServer.url, PATH, { from: 'wanda-film', to: 'stx-entertainment', maxDepth: 2 });
      expect(tooShort).toEqual({ dealPath: null });
      const withoutOwnership = await query(articleServer.url, '{ dealPath(from: "wanda-film", to: "stx-entertainment", includeOwnership: false) { length } }');
      expect(withoutOwnership).toEqual({ dealPath: null });
      const self = await query(articleServer.url, PATH, { from: 'wanda-film', to: 'wanda-film' });
      expect(self.dealPath).toMatchObject({ length: 0, steps: [], deals: [], throughOwnership: false });
    } finally {
      await articleServer.close();
      await article.drop();
    }
  });

  test('an unknown slug is a BAD_USER_INPUT naming the argument', async () => {
    const result = await gql(server.url, PATH, { from: 'gen-studio-00001', to: 'no-such-studio' });
    expect(result.body.errors![0]).toMatchObject({
      message: 'No studio has the slug "no-such-studio" (argument "to").',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'to' },
    });
  });
});
