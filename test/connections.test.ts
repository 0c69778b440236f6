import { useService } from './helpers/fixture';
import { insertHub } from './helpers/fixtures';
import { gql, query } from './helpers/server';

// Relay connections: edges, cursors, pageInfo, totalCount, both directions, every ordering, and the
// errors a client gets for bad arguments.

const service = useService({
  seed: false,
  prepare: async (db) => {
    // 45 studios; founded years repeat (ties) and 5 are unknown (NULLs), to exercise the tie-breaks.
    await db.pool.query(
      `INSERT INTO studio (slug, name, kind, country, founded_year)
       SELECT 'studio-' || lpad(i::text, 2, '0'), 'Studio ' || lpad(i::text, 2, '0'),
              (ARRAY['STUDIO','DISTRIBUTOR','FINANCIER'])[1 + i % 3]::studio_kind,
              (ARRAY['US','CN','GB'])[1 + i % 3], CASE WHEN i % 9 = 0 THEN NULL ELSE 1990 + i % 7 END
         FROM generate_series(1, 45) i`,
    );
    await insertHub(db.pool, 'paging', 1, 25, 1);
  },
});

type Page = { pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: { cursor: string; node: { slug: string } }[] };

const STUDIOS = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: [StudioOrder!], $filter: StudioFilter) {
  studios(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug } }
  }
}`;

async function pages(variables: Record<string, unknown>, backward = false): Promise<string[]> {
  const slugs: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const data: { studios: Page } = await query(service.url, STUDIOS, { ...variables, ...(backward ? { before: cursor } : { after: cursor }) });
    const page = data.studios;
    const batch = page.edges.map((e) => e.node.slug);
    if (backward) slugs.unshift(...batch);
    else slugs.push(...batch);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) return slugs;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

async function expected(orderBy: string): Promise<string[]> {
  const { rows } = await service.db.pool.query<{ slug: string }>(`SELECT slug FROM studio ORDER BY ${orderBy}`);
  return rows.map((r) => r.slug);
}

test('the first page: 20 by default, ordered by name, with pageInfo and totalCount', async () => {
  const data = await query(service.url, STUDIOS, {});
  const all = await expected('name, id');
  expect(data.studios.totalCount).toBe(47);
  expect(data.studios.edges.map((e: any) => e.node.slug)).toEqual(all.slice(0, 20));
  expect(data.studios.pageInfo).toEqual({
    hasNextPage: true,
    hasPreviousPage: false,
    startCursor: data.studios.edges[0].cursor,
    endCursor: data.studios.edges[19].cursor,
  });
});

test.each([
  ['name', undefined, 'name, id'],
  ['founded year, unknown last', [{ field: 'FOUNDED_YEAR' }], 'founded_year NULLS LAST, id'],
  ['founded year descending, unknown still last', [{ field: 'FOUNDED_YEAR', direction: 'DESC' }], 'founded_year DESC NULLS LAST, id'],
  ['two keys, mixed directions', [{ field: 'FOUNDED_YEAR', direction: 'DESC' }, { field: 'NAME', direction: 'DESC' }], 'founded_year DESC NULLS LAST, name DESC, id'],
  ['creation time', [{ field: 'CREATED_AT', direction: 'DESC' }], 'created_at DESC, id'],
])('paging forward and backward through every studio by %s gives the whole list once', async (_, orderBy, sql) => {
  const all = await expected(sql);
  expect(await pages({ first: 7, orderBy })).toEqual(all);
  expect(await pages({ last: 6, orderBy }, true)).toEqual(all);
});

test('after and before together bound a window of the list', async () => {
  const all = await expected('name, id');
  const data = await query(service.url, STUDIOS, { first: 3 });
  const start = data.studios.edges[2].cursor;
  const later = await query(service.url, STUDIOS, { first: 10, after: start });
  const end = later.studios.edges[5].cursor;
  const window = await query(service.url, STUDIOS, { first: 100, after: start, before: end });
  expect(window.studios.edges.map((e: any) => e.node.slug)).toEqual(all.slice(3, 8));
  const tail = await query(service.url, STUDIOS, { last: 2, after: start, before: end });
  expect(tail.studios.edges.map((e: any) => e.node.slug)).toEqual(all.slice(6, 8));
  expect(tail.studios.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
});

test('first: 0 returns no edges but says whether items exist', async () => {
  const data = await query(service.url, STUDIOS, { first: 0 });
  expect(data.studios).toEqual({ totalCount: 47, pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] });
});

test('filters narrow the list and totalCount counts the filtered list', async () => {
  const filter = { kind: { in: ['STUDIO', 'FINANCIER'] }, country: { eq: 'US' }, foundedYear: { gte: 1992, lte: 1995 } };
  const data = await query(service.url, STUDIOS, { first: 100, filter });
  const { rows: matching } = await service.db.pool.query<{ slug: string }>(
    `SELECT slug FROM studio WHERE kind IN ('STUDIO', 'FINANCIER') AND country = 'US' AND founded_year BETWEEN 1992 AND 1995 ORDER BY name, id`,
  );
  const rows = matching.map((r) => r.slug);
  expect(rows.length).toBeGreaterThan(0);
  expect(data.studios.edges.map((e: any) => e.node.slug)).toEqual(rows);
  expect(data.studios.totalCount).toBe(rows.length);
});

test('search ranks the exact match first, ignoring case; wildcards match nothing special', async () => {
  const data = await query(service.url, '{ a: studios(search: "sTuDiO 42", first: 3) { nodes { slug } } b: studios(search: "%") { totalCount } }');
  expect(data.a.nodes[0]).toEqual({ slug: 'studio-42' });
  expect(data.b).toEqual({ totalCount: 0 });
});

test('nested connections page per parent, with their own cursors and totalCount', async () => {
  const NESTED = `query ($after: String) { studio(slug: "paging-partner-001") {
    films(first: 10, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { role node { slug } } } } }`;
  const { rows } = await service.db.pool.query<{ slug: string }>(
    `SELECT f.slug FROM film f JOIN film_studio fs ON fs.film_id = f.id JOIN studio s ON s.id = fs.studio_id
      WHERE s.slug = 'paging-partner-001' ORDER BY f.release_date DESC, f.title, f.id`,
  );
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await query(service.url, NESTED, { after });
    const films = data.studio.films;
    expect(films.totalCount).toBe(25);
    seen.push(...films.edges.map((e: any) => e.node.slug));
    expect(films.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!films.pageInfo.hasNextPage) break;
    after = films.pageInfo.endCursor;
  }
  expect(seen).toEqual(rows.map((r) => r.slug));
});

describe('bad arguments are BAD_USER_INPUT errors that name the argument', () => {
  async function errorOf(document: string, variables?: Record<string, unknown>) {
    const result = await gql(service.url, document, variables);
    expect(result.body.errors).toHaveLength(1);
    return result.body.errors![0];
  }

  test('first over 100', async () => {
    const error = await errorOf('{ studios(first: 101) { totalCount } }');
    expect(error).toEqual({
      message: 'Argument "first" must be between 0 and 100, but got 101. Page through longer lists with cursors.',
      locations: [{ line: 1, column: 3 }],
      path: ['studios'],
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  });

  test('first over 100 on a nested connection points at that field', async () => {
    const error = await errorOf('{ studio(slug: "paging-hub") { partners { nodes { films(first: 500) { totalCount } } } } }');
    expect(error).toMatchObject({
      message: 'Argument "first" must be between 0 and 100, but got 500. Page through longer lists with cursors.',
      path: ['studio', 'partners', 'nodes', 0, 'films'],
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  });

  test('negative last', async () => {
    const error = await errorOf('{ films(last: -1) { totalCount } }');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'last' });
  });

  test('first and last together', async () => {
    const error = await errorOf('{ films(first: 1, last: 1) { totalCount } }');
    expect(error.message).toBe('Pass either "first" (page forward) or "last" (page backward), not both.');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'last' });
  });

  test.each([
    ['garbage', 'not-a-cursor', 'it is not a cursor'],
    ['valid base64 of something else', Buffer.from('{"a":1}').toString('base64url'), 'it is not a cursor'],
    ['a cursor with an altered value', Buffer.from(JSON.stringify(['NAME+,ID+', 'x', 'not a number'])).toString('base64url'), 'it has been altered'],
  ])('a bad cursor: %s', async (_, cursor, why) => {
    const error = await errorOf('query ($after: String) { studios(after: $after) { totalCount } }', { after: cursor });
    expect(error.message).toBe(
      `Argument "after" is not a valid cursor for this list (${why}). Pass a cursor returned by this same field with the same arguments, such as pageInfo.endCursor.`,
    );
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  test('a cursor from another ordering', async () => {
    const data = await query(service.url, '{ studios(first: 1, orderBy: [{ field: FOUNDED_YEAR }]) { pageInfo { endCursor } } }');
    const error = await errorOf('query ($before: String) { studios(before: $before) { totalCount } }', { before: data.studios.pageInfo.endCursor });
    expect(error.message).toContain('(it comes from another list or another orderBy)');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'before' });
  });

  test('an empty range', async () => {
    const error = await errorOf('{ films(filter: { releaseDate: { gte: "2020-01-01", lte: "2019-01-01" } }) { totalCount } }');
    expect(error.message).toBe('Argument "filter.releaseDate" is an empty range: gte (2020-01-01) is greater than lte (2019-01-01).');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'filter.releaseDate' });
  });

  test('a date that does not exist', async () => {
    const result = await gql(service.url, 'query ($d: Date) { films(filter: { releaseDate: { gte: $d } }) { totalCount } }', { d: '2018-02-30' });
    expect(result.status).toBe(400);
    expect(result.body.errors![0].message).toContain('Date must be a calendar date written YYYY-MM-DD, such as "2018-02-07"; got "2018-02-30".');
    expect(result.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  test('an unknown enum value', async () => {
    const result = await gql(service.url, '{ studios(filter: { kind: { eq: BROADCASTER } }) { totalCount } }');
    expect(result.status).toBe(400);
    expect(result.body.errors![0].message).toBe(
      'Argument "filter.kind.eq" has no StudioKind value "BROADCASTER". Expected one of: STUDIO, PRODUCTION_COMPANY, DISTRIBUTOR, FINANCIER, CONGLOMERATE, EXHIBITOR.',
    );
    expect(result.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'filter.kind.eq' });
  });

  test('the same orderBy field twice', async () => {
    const error = await errorOf('{ studios(orderBy: [{ field: NAME }, { field: NAME, direction: DESC }]) { totalCount } }');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'orderBy' });
  });

  test('both id and slug, or neither', async () => {
    const both = await errorOf('{ studio(id: "x", slug: "y") { name } }');
    expect(both.message).toBe('Pass exactly one of "id" or "slug" to look up a Studio; got both.');
    const neither = await errorOf('{ film { title } }');
    expect(neither.message).toBe('Pass exactly one of "id" or "slug" to look up a Film; got neither.');
    expect(neither.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'id' });
  });

  test('a malformed ID, and the ID of another type', async () => {
    const malformed = await errorOf('{ deal(id: "nope") { title } }');
    expect(malformed.message).toBe('Argument "id" is not a valid ID: "nope". Use the "id" field of a Deal.');
    const { studio } = await query(service.url, '{ studio(slug: "studio-01") { id } }');
    const wrongType = await errorOf(`{ film(id: "${studio.id}") { title } }`);
    expect(wrongType.message).toBe('Argument "id" must be the ID of a Film, but it is the ID of a Studio.');
    expect(wrongType.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'id' });
  });
});

test('a well-formed ID whose row does not exist gives null, not an error', async () => {
  const id = Buffer.from('Studio:999999').toString('base64url');
  const result = await gql(service.url, `{ studio(id: "${id}") { name } node(id: "${id}") { id } }`);
  expect(result.body).toEqual({ data: { studio: null, node: null } });
});
