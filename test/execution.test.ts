import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { execute, GraphQLObjectType, Kind, parse, type GraphQLSchema } from 'graphql';
import type { Queryable } from '../src/db/pool';
import { PoolQueryable } from '../src/db/pool';
import { DEAL_COLUMNS } from '../src/deal/deal.type';
import { FILM_COLUMNS } from '../src/film/film.type';
import type { ColumnMap } from '../src/graphql/columns';
import { toConnection } from '../src/graphql/connection';
import { createContext, releaseLoaders } from '../src/app/context';
import { DIRECT_FIELDS } from '../src/app/direct-fields';
import { buildAppSchema } from '../src/app/schema';
import { isDirectResolver } from '../src/execution';
import { PRODUCER_COLUMNS } from '../src/producer/producer.type';
import { STUDIO_COLUMNS } from '../src/studio/studio.type';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, query, startTestServer, type TestServer } from './helpers/server';
import { standardExecution } from './helpers/settings';

/** Tests of graphql-jit's own behaviour only mean something when the suite runs compiled. */
const compiledOnly = standardExecution ? test.skip : test;

// Compiled execution (graphql-jit behind Apollo) must answer exactly as graphql-js does, and lists
// must read only the columns of the fields a query selects.

let db: TestDatabase;
let server: TestServer;
let schema: GraphQLSchema;
let schemaStandard: GraphQLSchema;

beforeAll(async () => {
  db = await createTestDatabase();
  // Every request executes here (the response cache would answer repeats before execution).
  server = await startTestServer(db, { env: { RESPONSE_CACHE: 'off' } });
  schema = await buildAppSchema({ direct: true });
  schemaStandard = await buildAppSchema({ direct: false });
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** Runs an operation on graphql-js directly, over the same database, and records the SQL it sends. */
async function interpreted(document: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const sql: string[] = [];
  const base = new PoolQueryable(db.pool);
  const recording: Queryable = {
    query: (text, values) => {
      sql.push(text);
      return base.query(text, values);
    },
    transaction: (work) => base.transaction(work),
  } as Queryable;
  const result = await execute({ schema, document: parse(document), contextValue: createContext(recording), variableValues: variables, operationName });
  return { result, sql };
}

const examples = fs.readFileSync(path.join(__dirname, '..', 'schema', 'examples.graphql'), 'utf8');
const exampleNames = parse(examples).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));

test.each(exampleNames)('example %s: the compiled answer is the interpreted answer', async (operationName) => {
  const compiled = await gql(server.url, examples, {}, { operationName });
  const { result } = await interpreted(examples, {}, operationName);
  expect(result.errors).toBeUndefined();
  expect(compiled.body.errors).toBeUndefined();
  expect(compiled.body.data).toEqual(JSON.parse(JSON.stringify(result.data)));
});

compiledOnly('an operation is compiled once, then served from the cache', async () => {
  const document = '{ studio(slug: "stx-entertainment") { name films(first: 3) { totalCount nodes { title } } } }';
  const before = { ...server.http.execution };
  const first = await query(server.url, document);
  const second = await query(server.url, document);
  expect(second).toEqual(first);
  expect(server.http.execution.compiled - before.compiled).toBe(1);
  expect(server.http.execution.cached - before.cached).toBe(1);
  expect(server.http.execution.fallbacks - before.fallbacks).toBe(0);
});

compiledOnly('an operation with a recursive filter variable runs on graphql-js, with the same answer as the literal', async () => {
  const before = { ...server.http.execution };
  const withVariable = await query(server.url, 'query ($f: FilmFilter) { films(filter: $f) { nodes { slug } } }', { f: { or: [{ slug: { eq: 'steel-soldiers' } }] } });
  const literal = await query(server.url, '{ films(filter: { or: [{ slug: { eq: "steel-soldiers" } }] }) { nodes { slug } } }');
  expect(withVariable).toEqual(literal);
  expect(withVariable).toEqual({ films: { nodes: [{ slug: 'steel-soldiers' }] } });
  expect(server.http.execution.fallbacks - before.fallbacks).toBe(1);
  expect(server.http.execution.compiled - before.compiled).toBe(1);
});

compiledOnly('an order variable that leaves out the defaulted direction runs on graphql-js (graphql-jit would refuse it), with the same answer as the literal', async () => {
  const before = { ...server.http.execution };
  const withVariable = await query(server.url, 'query ($o: [FilmOrder!]) { films(first: 3, orderBy: $o) { nodes { slug } } }', { o: [{ field: 'RELEASE_DATE' }] });
  const literal = await query(server.url, '{ films(first: 3, orderBy: { field: RELEASE_DATE }) { nodes { slug } } }');
  expect(withVariable).toEqual(literal);
  expect((withVariable.films as { nodes: unknown[] }).nodes.length).toBeGreaterThan(0);
  expect(server.http.execution.fallbacks - before.fallbacks).toBe(1);
});

test('a bad variable is refused with graphql-js\'s message, which carries the scalar\'s explanation', async () => {
  const result = await gql(server.url, 'query ($d: Date) { films(filter: { releaseDate: { gte: $d } }) { totalCount } }', { d: '2018-02-30' });
  expect(result.status).toBe(400);
  expect(result.body.errors![0].message).toBe(
    'Variable "$d" got invalid value "2018-02-30"; Date must be a calendar date written YYYY-MM-DD, such as "2018-02-07"; got "2018-02-30".',
  );
});

test('a resolver error comes back as graphql-js reports it: message, path and locations', async () => {
  const document = '{ film(slug: "steel-soldiers") { title studios(first: 101) { totalCount } } }';
  const compiled = await gql(server.url, document);
  const { result } = await interpreted(document);
  expect(compiled.body.errors).toHaveLength(1);
  expect(compiled.body.errors![0]).toMatchObject({
    message: result.errors![0].message,
    path: result.errors![0].path,
    locations: result.errors![0].locations,
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
  });
});

test('the listed fields call their resolver methods directly; fields with a role and mutations keep type-graphql\'s wrapper', () => {
  const fieldOf = (type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field];
  for (const name of Object.keys(DIRECT_FIELDS)) {
    const [type, field] = name.split('.');
    expect([name, isDirectResolver(fieldOf(type, field).resolve)]).toEqual([name, true]);
  }
  expect(Object.keys(DIRECT_FIELDS)).toEqual(expect.arrayContaining(['Film.producers', 'Studio.partners', 'Deal.parties', 'Query.films', 'Query.search']));
  expect(isDirectResolver(fieldOf('Query', 'auditLog').resolve)).toBe(false);
  expect(isDirectResolver(fieldOf('Mutation', 'createStudio').resolve)).toBe(false);
});

test('object fields are plain property reads in compiled code; the fields that hold a promise have a resolver and are awaited', async () => {
  const fieldOf = (type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field];
  for (const [type, field] of [['FilmStudioEdge', 'node'], ['FilmConnection', 'nodes'], ['FilmConnection', 'edges'], ['FilmConnection', 'pageInfo']]) {
    expect(fieldOf(type, field).resolve).toBeUndefined();
  }
  for (const [type, field] of [['NetworkStep', 'from'], ['NetworkStep', 'to'], ['NetworkStep', 'deal'], ['StudioNetworkEdge', 'deals'], ['SearchEdge', 'node'], ['StudioPartnerEdge', 'deals']]) {
    expect(fieldOf(type, field).resolve).toBeDefined();
  }
  const document = `{ studio(slug: "alibaba-pictures") {
    network(depth: 2, first: 5) { edges { node { name } path { link from { name } to { name } deal { title } } deals { title } } }
    partners(first: 3) { edges { node { name } deals { title } } }
  } search(query: "Zemekis") { edges { node { ... on Producer { name } } } } }`;
  const compiled = await gql(server.url, document);
  const { result } = await interpreted(document);
  expect(result.errors).toBeUndefined();
  expect(compiled.body.errors).toBeUndefined();
  expect(compiled.body.data).toEqual(JSON.parse(JSON.stringify(result.data)));
  const steps = (compiled.body.data as any).studio.network.edges.flatMap((e: any) => e.path);
  expect(steps.length).toBeGreaterThan(0);
  expect(steps.every((s: any) => typeof s.from.name === 'string' && typeof s.to.name === 'string')).toBe(true);
  expect((compiled.body.data as any).search.edges[0].node.name).toBe('Robert Zemeckis');
});

describe('lean SELECT lists', () => {
  const listSql = (sql: string[], table: string) => sql.find((s) => s.includes(`FROM ${table}`) || s.includes(`JOIN ${table}`))!;

  test('a list reads the columns of the selected fields, and the id', async () => {
    const { result, sql } = await interpreted('{ films(first: 5) { nodes { title releaseDate } } }');
    expect(result.errors).toBeUndefined();
    const statement = sql[0];
    expect(statement).toMatch(/SELECT f\.id, f\.title, f\.release_date FROM film f/);
    expect(statement).not.toContain('f.created_at');
    expect(statement).not.toContain('f.genres');
  });

  test('fields under edges { node }, fragments and inline fragments all count; a nested list is lean too', async () => {
    const { result, sql } = await interpreted(`
      fragment Money on Film { budget { amount currency } }
      { studios(first: 2) { edges { node { name films(first: 2) { nodes { ...Money ... on Film { createdAt } } } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(sql[0]).toMatch(/SELECT s\.id, s\.name FROM studio s/);
    const films = listSql(sql, 'film f');
    expect(films).toContain('f.budget_amount, f.budget_currency');
    expect(films).toContain('f.created_at');
    expect(films).not.toContain('f.title,');
  });

  test("a deal's parties read only the selected columns of their studios, in one statement for the level", async () => {
    const { result, sql } = await interpreted('{ deals(first: 10) { nodes { parties { role studio { name ... on Studio { country } } } } } }');
    expect(result.errors).toBeUndefined();
    const parties = listSql(sql, 'studio s');
    expect(sql.filter((s) => s.includes('FROM deal_party dp JOIN studio s'))).toHaveLength(1);
    expect(parties).toMatch(/s\.id, s\.name, s\.country FROM/);
    expect(parties).not.toContain('s.description');
    const names = (result.data as any).deals.nodes.flatMap((d: any) => d.parties.map((p: any) => p.studio.name));
    expect(names).toContain('Wanda Film');
  });

  test("a parent's latest films are ordered by the credit's copies of the film's keys (its index's order)", async () => {
    const { result, sql } = await interpreted('{ studios(first: 3) { nodes { films(first: 2) { nodes { title } } } } producers(first: 3) { nodes { films(first: 2, orderBy: [{ field: TITLE }]) { nodes { title } } } } }');
    expect(result.errors).toBeUndefined();
    expect(listSql(sql, 'film_studio fs')).toContain('ORDER BY fs.film_release_date DESC NULLS LAST, fs.film_title ASC NULLS LAST, fs.film_id ASC NULLS LAST, fs.role::text ASC');
    // An explicit order is the root list's, on the film's own columns.
    expect(listSql(sql, 'film_producer fp')).toContain('ORDER BY f.title ASC NULLS LAST, f.id ASC NULLS LAST, fp.role::text ASC');
  });

  test("one parent's page is a plain statement, several parents' one LATERAL batch, with the same rows", async () => {
    const one = await interpreted('{ studio(slug: "alibaba-pictures") { films(first: 3) { nodes { title } } } }');
    const many = await interpreted('{ studios(first: 20, orderBy: [{ field: NAME }]) { nodes { slug films(first: 3) { nodes { title } } } } }');
    const single = listSql(one.sql, 'film_studio fs');
    expect(single).not.toContain('unnest');
    expect(single).toMatch(/WHERE fs\.studio_id = \$\d+::int/);
    expect(listSql(many.sql, 'film_studio fs')).toContain('CROSS JOIN LATERAL');
    const fromMany = (many.result.data as any).studios.nodes.find((s: any) => s.slug === 'alibaba-pictures');
    expect((one.result.data as any).studio.films).toEqual(fromMany.films);
    expect(fromMany.films.nodes.length).toBeGreaterThan(0);
  });

  test('a lookup by slug or ID, and a studio\'s parent, read only the selected columns', async () => {
    const { result, sql } = await interpreted('{ film(slug: "steel-soldiers") { title } studio(slug: "alibaba-pictures") { name parent { name stockListing } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ film: { title: 'Steel Soldiers' }, studio: { name: 'Alibaba Pictures', parent: { name: 'Alibaba Group', stockListing: expect.any(String) } } });
    const film = sql.find((s) => s.includes('FROM film f WHERE f.slug'))!;
    expect(film).toMatch(/^SELECT f\.id, /);
    expect(film).toContain('f.title');
    expect(film).toContain('f.slug');
    expect(film).not.toContain('f.genres');
    expect(film).not.toContain('f.created_at');
    const studio = sql.find((s) => s.includes('FROM studio s WHERE s.slug'))!;
    expect(studio).toContain('s.parent_id');
    expect(studio).not.toContain('s.description');
    const parent = sql.find((s) => s.includes('FROM studio s WHERE s.id'))!;
    expect(parent).toContain('s.stock_listing');
    expect(parent).not.toContain('s.description');
  });

  test('lookups of one kind with different selections in one tick share one statement, reading both', async () => {
    const { result, sql } = await interpreted('{ a: film(slug: "steel-soldiers") { title } b: film(slug: "forrest-gump") { genres } c: film(slug: "steel-soldiers") { genres title } }');
    expect(result.errors).toBeUndefined();
    const films = sql.filter((s) => s.includes('FROM film f WHERE f.slug'));
    expect(films).toHaveLength(1);
    expect(films[0]).toContain('f.title');
    expect(films[0]).toContain('f.genres');
    const data = result.data as any;
    expect(data.a).toEqual({ title: 'Steel Soldiers' });
    expect(data.b.genres).toEqual(expect.any(Array));
    expect(data.c.title).toBe('Steel Soldiers');
  });

  test('rows carry their sort keys only when a cursor is selected, and cursors still page', async () => {
    const plain = await interpreted('{ films(first: 2, orderBy: [{ field: TITLE }]) { nodes { title } } }');
    expect(plain.result.errors).toBeUndefined();
    expect(plain.sql[0]).not.toContain('"_k0"');
    for (const [shape, cursorOf] of [
      ['edges { cursor node { title } }', (c: any) => c.edges[1].cursor],
      ['pageInfo { endCursor } nodes { title }', (c: any) => c.pageInfo.endCursor],
    ] as const) {
      const first = await interpreted(`{ films(first: 2, orderBy: [{ field: TITLE }]) { ${shape} } }`);
      expect(first.result.errors).toBeUndefined();
      expect(first.sql[0]).toContain('"_k0"');
      const after = cursorOf((first.result.data as any).films);
      const next = await interpreted(`{ films(first: 2, after: "${after}", orderBy: [{ field: TITLE }]) { nodes { title } } }`);
      const both = await interpreted('{ films(first: 4, orderBy: [{ field: TITLE }]) { nodes { title } } }');
      expect((next.result.data as any).films.nodes).toEqual((both.result.data as any).films.nodes.slice(2));
    }
    const nested = await interpreted('{ studios(first: 2) { nodes { a: films(first: 2) { nodes { title } } b: films(first: 1) { edges { cursor } } } } }');
    expect(nested.result.errors).toBeUndefined();
    const films = nested.sql.filter((s) => s.includes('JOIN film f'));
    expect(films).toHaveLength(2);
    expect(films.filter((s) => s.includes('"_k0"'))).toHaveLength(1);
    for (const studio of (nested.result.data as any).studios.nodes) for (const edge of studio.b.edges) expect(edge.cursor).toEqual(expect.any(String));
  });

  test('the same list asked with two selections (aliases) gets each its own columns', async () => {
    const { result } = await interpreted('{ a: films(first: 2) { nodes { title } } b: films(first: 2) { nodes { slug status } } }');
    expect(result.errors).toBeUndefined();
    expect((result.data as any).a.nodes[0].title).toEqual(expect.any(String));
    expect((result.data as any).b.nodes[0]).toEqual({ slug: expect.any(String), status: expect.any(String) });
  });

  test.each([
    ['Studio', STUDIO_COLUMNS],
    ['Producer', PRODUCER_COLUMNS],
    ['Film', FILM_COLUMNS],
    ['Deal', DEAL_COLUMNS],
  ] as const)('every field of %s that is not a relation says which columns it reads, all of them real', (typeName, columns: ColumnMap) => {
    // Relations have a resolver (and their own loader, by id); every other field is read from the row.
    const schemaWithoutDirect = schemaStandard.getType(typeName) as GraphQLObjectType;
    const plain = Object.values(schemaWithoutDirect.getFields())
      .filter((field) => !field.resolve)
      .map((field) => field.name);
    expect(plain.filter((name) => !(name in columns.byField))).toEqual([]);
    for (const used of Object.values(columns.byField).flat()) expect(columns.all).toContain(used);
  });
});

test("a connection's nodes are one list, however often the executor reads them", () => {
  // graphql-jit reads a list field five times before it maps it (null, error, string and iterable
  // checks): the list is built on the first read, not on each.
  const rows = [{ id: 1, name: 'Amblin Partners' }, { id: 2, name: 'STX Entertainment' }];
  const order = [{ name: 'id', sql: 's.id', type: 'int' as const }];
  const built: number[] = [];
  const makeEdge = (row: (typeof rows)[number]) => {
    built.push(row.id);
    return { node: { name: row.name } };
  };
  const connection = toConnection(rows, { limit: 10, backward: false }, order, makeEdge as never, async () => rows.length, { names: new Set(['name']), key: 'name', cursors: false });
  const first = connection.nodes;
  expect(connection.nodes).toBe(first);
  expect(first).toEqual([{ name: 'Amblin Partners' }, { name: 'STX Entertainment' }]);
  expect(connection.edges.map((e) => e.node)).toEqual(first);
  expect(built).toEqual([1, 2]);
});

describe("a finished request's rows", () => {
  test('are let go by its context once its loaders are released, even while the context itself is still reachable', async () => {
    // The HTTP server releases a request's loaders once the response is written: should anything keep
    // the context reachable after that (Apollo's gateway request context did, see gateway-context.ts),
    // the rows are not copied and promoted by V8's young-generation collector with it.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM deal ORDER BY id LIMIT 2');
    const context = createContext(new PoolQueryable(db.pool));
    const held = async (release: boolean) => {
      const parties = new WeakRef(await context.loaders.partiesByDealId.load(rows[0].id));
      if (release) releaseLoaders(context.loaders);
      // A WeakRef's target stays alive until the current job ends.
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      return parties.deref() !== undefined;
    };
    expect(await held(false)).toBe(true);
    expect(await held(true)).toBe(false);
    // A loader used after the release is made afresh and reads again.
    const before = context.db.statements;
    expect((await context.loaders.partiesByDealId.load(rows[1].id)).length).toBeGreaterThan(0);
    expect(context.db.statements).toBe(before + 1);
  });
});

