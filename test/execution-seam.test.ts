import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSchema as buildSdlSchema, type GraphQLObjectType, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { Query, Resolver } from 'type-graphql';
import { RequiresRole } from '../src/auth/auth';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { DIRECT_FIELDS } from '../src/app/direct-fields';
import { buildAppSchema } from '../src/app/schema';
import { DirectResolverError, installDirectResolvers, isDirectResolver } from '../src/execution';
import { RequestRetention } from '../src/execution/retention';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, startTestServer } from './helpers/server';

// The execution seam (src/execution): direct resolvers fail closed, a field with a role is checked
// whichever way operations run, and each behaviour of a pinned library the seam relies on is checked
// here, so that an upgrade that changes it fails loudly.

@Resolver()
class SecretResolver {
  @RequiresRole(Role.ADMIN)
  @Query(() => String, { description: 'A field of this test only: it needs the ADMIN role.' })
  secretOfTheTest(): string {
    return 'only for admins';
  }
}

let db: TestDatabase;
const keys = { viewer: '', admin: '' };

beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
  keys.viewer = (await createApiKey(db.queryable, 'Seam viewer', Role.VIEWER)).key;
  keys.admin = (await createApiKey(db.queryable, 'Seam admin', Role.ADMIN)).key;
});

afterAll(async () => {
  await db?.drop();
});

describe('direct resolvers fail closed', () => {
  test('a field that requires a role in the list: the service refuses to start, naming it', async () => {
    const schema = await buildAppSchema({ direct: false, extraResolvers: [SecretResolver] });
    const withSecret = { ...DIRECT_FIELDS, 'Query.secretOfTheTest': () => 'never called', 'Query.auditLog': () => 'never called' };
    expect(() => installDirectResolvers(schema, withSecret)).toThrow(DirectResolverError);
    try {
      installDirectResolvers(schema, withSecret);
    } catch (error) {
      expect((error as DirectResolverError).problems).toEqual([
        'Query.secretOfTheTest requires the ADMIN role: it must always go through its authorization check, so it cannot be direct',
        'Query.auditLog requires the ADMIN role: it must always go through its authorization check, so it cannot be direct',
      ]);
    }
    // Nothing was installed: all or nothing.
    const query = schema.getQueryType()!.getFields();
    expect(isDirectResolver(query.studios.resolve)).toBe(false);
  });

  test('a listed field the schema does not have, or one without a resolver, is refused too', async () => {
    const schema = await buildAppSchema({ direct: false });
    expect(() => installDirectResolvers(schema, { 'Query.noSuchField': () => null, 'Studio.name': () => null })).toThrow(
      /Query\.noSuchField is not a field of the schema[\s\S]*Studio\.name has no resolver/,
    );
  });

  test('no source file uses type-graphql\'s @Authorized but through RequiresRole, which records the role', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (full.endsWith('.ts')) files.push(full);
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    const users = files.filter((f) => /\bAuthorized\b/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(path.join(__dirname, '..'), f));
    expect(users).toEqual(['src/auth/auth.ts']);
  });
});

describe.each([
  ['compiled', 'on'],
  ['compiled', 'off'],
  ['standard', 'on'],
  ['standard', 'off'],
])('a field with a role, executed %s with direct resolvers %s', (mode, direct) => {
  test('is refused without a key and with too small a role, and answered for its role', async () => {
    const schema = await buildAppSchema({ direct: direct === 'on', extraResolvers: [SecretResolver] });
    const server = await startTestServer(db, { schema, env: { GRAPHQL_EXECUTION: mode, GRAPHQL_DIRECT_RESOLVERS: direct } });
    try {
      const ask = (key?: string) => gql(server.url, '{ secretOfTheTest }', undefined, { key });
      const anonymous = await ask();
      const viewer = await ask(keys.viewer);
      const admin = await ask(keys.admin);
      expect([anonymous.body.errors?.[0]?.extensions?.code, viewer.body.errors?.[0]?.extensions?.code, admin.body]).toEqual([
        'UNAUTHENTICATED',
        'FORBIDDEN',
        { data: { secretOfTheTest: 'only for admins' } },
      ]);
      // The switches took: compiled operations or none, and the field's resolver as type-graphql made it.
      expect(server.http.execution.compiled > 0).toBe(mode === 'compiled');
      expect(isDirectResolver((schema.getType('Query') as GraphQLObjectType).getFields().secretOfTheTest.resolve)).toBe(false);
      expect(isDirectResolver((schema.getType('Query') as GraphQLObjectType).getFields().studios.resolve)).toBe(direct === 'on');
    } finally {
      await server.close();
    }
  });
});

describe('reliances on pinned libraries (each fails loudly if an upgrade changes the behaviour)', () => {
  test('type-graphql: RequiresRole leaves the role in the field\'s extensions; simpleResolvers leaves plain properties; simple: false gives a resolver', async () => {
    const schema = await buildAppSchema({ direct: false });
    const fields = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    expect(fields('Query').auditLog.extensions).toEqual({ requiredRole: 'ADMIN' });
    expect(fields('Mutation').createStudio.extensions).toEqual({ requiredRole: 'EDITOR' });
    expect(fields('Query').studios.extensions).toEqual({});
    expect(fields('FilmConnection').nodes.resolve).toBeUndefined();
    expect(fields('FilmConnection').totalCount.resolve).toBeDefined();
  });

  test('graphql-jit: a field without a resolver is read as a plain property, and a promise held there is not awaited', async () => {
    // Why the fields that hold a loader's promise say `simple: false` (src/execution/compiled.ts):
    // without a resolver anywhere, a compiled operation even runs synchronously.
    const schema = buildSdlSchema('type Query { list: [Item] } type Item { name: String, child: Child } type Child { name: String }');
    const compiled = compileQuery(schema, parse('{ list { name child { name } } }'));
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    const result = compiled.query({ list: [{ name: 'item', child: Promise.resolve({ name: 'late' }) }] }, {}, {});
    expect(result).toEqual({ data: { list: [{ name: 'item', child: { name: null } }] } });
    // With a resolver, its promise is awaited.
    (schema.getType('Item') as GraphQLObjectType).getFields().child.resolve = (item: { child: unknown }) => item.child;
    const resolved = compileQuery(schema, parse('{ list { name child { name } } }'));
    if (!isCompiledQuery(resolved)) throw new Error('did not compile');
    expect(await resolved.query({ list: [{ name: 'item', child: Promise.resolve({ name: 'awaited' }) }] }, {}, {})).toEqual({ data: { list: [{ name: 'item', child: { name: 'awaited' } }] } });
  });

  test('Apollo Server: plugins see the response object it answers from, and a copy of the context sharing its objects', async () => {
    // Why retention.ts keys a request by its `loaders` object and empties the response it was handed.
    const retention = new RequestRetention();
    let seen: { response: { body?: unknown }; contextValue: Record<string, unknown> } | undefined;
    const apollo = new ApolloServer<{ loaders: object; big: unknown }>({
      typeDefs: 'type Query { a: String }',
      resolvers: { Query: { a: () => 'answer' } },
      plugins: [retention.plugin, { requestDidStart: async () => ({ willSendResponse: async (context) => void (seen = context as never) }) }],
    });
    await apollo.start();
    try {
      const loaders = {};
      const mine = { loaders, big: { rows: [1, 2, 3] } };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: '{ a }' } },
        context: async () => mine,
      });
      expect(response.body).toEqual({ kind: 'complete', string: '{"data":{"a":"answer"}}\n' });
      expect(seen!.contextValue).not.toBe(mine);
      expect(seen!.contextValue.loaders).toBe(loaders);
      retention.release(loaders);
      expect(seen!.response.body).toBeUndefined();
      expect(Object.values(seen!.contextValue).every((value) => value === undefined)).toBe(true);
      expect(retention.released).toBe(1);
    } finally {
      await apollo.stop();
    }
  });

  test('the service lets go of every answer it wrote', async () => {
    const server = await startTestServer(db);
    try {
      for (let i = 0; i < 3; i++) expect((await gql(server.url, '{ studios { totalCount } }')).status).toBe(200);
      expect(server.http.execution.released()).toBe(3);
    } finally {
      await server.close();
    }
  });

  test('the packages the seam relies on are pinned to exact versions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    for (const name of ['graphql-jit', 'type-graphql', '@apollo/server']) {
      expect([name, pkg.dependencies[name]]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+(-[\w.]+)?$/)]);
      const installed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
      expect([name, installed]).toEqual([name, pkg.dependencies[name]]);
    }
  });
});
