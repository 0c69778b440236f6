import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { print, parse } from 'graphql';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { buildManifest, MANIFEST } from '../src/limits/trusted-documents';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, startTestServer, type TestServer } from './helpers/server';

// Query limits: each abusive request is refused before any SQL runs, with its own code, and the
// server then answers a normal query. Introspection and suggestions as settings; persisted queries.

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db);
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const NORMAL = '{ studio(slug: "wanda-film") { name } }';

/** Sends an abusive request; checks it is refused with `status` and `code` before any SQL, and that a normal query then works. */
async function refused(send: () => Promise<{ status: number; body: any }>, status: number, code: string, target = server) {
  const before = target.statements.statements;
  const result = await send();
  expect(result.status).toBe(status);
  expect(result.body.errors[0].extensions.code).toBe(code);
  expect(target.statements.statements - before).toBe(0);
  expect((await gql(target.url, NORMAL)).body).toEqual({ data: { studio: { name: 'Wanda Film' } } });
  return result.body.errors[0];
}

test('depth: a query nested deeper than 12 levels', async () => {
  const deep = `{ studio(slug: "alibaba-pictures") { ${'parent { '.repeat(12)}name${' }'.repeat(12)} } }`;
  const error = await refused(() => gql(server.url, deep), 400, 'QUERY_TOO_DEEP');
  expect(error).toMatchObject({ message: 'The query is nested 14 levels deep; at most 12 are allowed. Split it into several queries.', extensions: { limit: 12, actual: 14 } });
});

test('cost: connection sizes multiply what is nested under them', async () => {
  const costly = '{ films(first: 100) { nodes { studios(first: 100) { nodes { films(first: 100) { nodes { title } } } } } } }';
  const error = await refused(() => gql(server.url, costly), 400, 'QUERY_TOO_COSTLY');
  expect(error.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', limit: 50_000, actual: expect.any(Number) });
  expect(error.extensions.actual).toBeGreaterThan(1_000_000);
  // The same shape with small pages is fine.
  const small = await gql(server.url, '{ films(first: 5) { nodes { studios(first: 5) { nodes { films(first: 5) { nodes { title } } } } } } }');
  expect(small.body.errors).toBeUndefined();
});

test('cost: the same document is costed by its variables each time (the cost is remembered per document and variables)', async () => {
  const query = 'query ($n: Int) { films(first: $n) { nodes { studios(first: $n) { nodes { films(first: $n) { nodes { title } } } } } } }';
  for (let round = 0; round < 2; round++) {
    expect((await gql(server.url, query, { n: 5 })).body.errors).toBeUndefined();
    const error = await refused(() => gql(server.url, query, { n: 100 }), 400, 'QUERY_TOO_COSTLY');
    expect(error.extensions.actual).toBeGreaterThan(1_000_000);
  }
});

test('aliases: more than 30', async () => {
  const aliased = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: studio(slug: "wanda-film") { name }`).join(' ')} }`;
  const error = await refused(() => gql(server.url, aliased), 400, 'TOO_MANY_ALIASES');
  expect(error.message).toBe('The query uses 31 aliases; at most 30 are allowed.');
});

test('tokens: more than 5000', async () => {
  const long = `{ studios { nodes { ${'name '.repeat(5000)} } } }`;
  const error = await refused(() => gql(server.url, long), 400, 'TOO_MANY_TOKENS');
  expect(error.message).toBe('The query has more than 5000 tokens; split it into smaller queries.');
});

test('directives: more than the limit on one field', async () => {
  // The schema has two field directives, each usable once per field: a limit of 1 shows the check.
  const strict = await startTestServer(db, { env: { MAX_DIRECTIVES_PER_FIELD: '1' } });
  try {
    const directives = '{ studio(slug: "wanda-film") { name @include(if: true) @skip(if: false) } }';
    const error = await refused(() => gql(strict.url, directives), 400, 'TOO_MANY_DIRECTIVES', strict);
    expect(error.message).toBe('The field "name" has 2 directives; at most 1 is allowed on one field.');
  } finally {
    await strict.close();
  }
});

test('body: more than the byte limit', async () => {
  const small = await startTestServer(db, { env: { MAX_BODY_BYTES: '2048' } });
  try {
    const send = async () => {
      const response = await fetch(`${small.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: NORMAL, variables: { padding: 'x'.repeat(3000) } }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    await refused(send, 413, 'PAYLOAD_TOO_LARGE', small);
  } finally {
    await small.close();
  }
});

describe('batched operations', () => {
  const batch = (url: string, count: number) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: count }, () => ({ query: NORMAL }))),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any, cacheControl: r.headers.get('cache-control') }));

  test('off by default', async () => {
    const error = await refused(() => batch(server.url, 2), 400, 'TOO_MANY_OPERATIONS');
    expect(error.message).toBe('Batched requests are turned off here: send one operation per request.');
  });

  test('capped when on', async () => {
    const batching = await startTestServer(db, { env: { MAX_BATCH_OPERATIONS: '2' } });
    try {
      const two = await batch(batching.url, 2);
      // A batch's answers are never stored (each operation's own Cache-Control would be one of them).
      expect(two).toEqual({ status: 200, body: [{ data: { studio: { name: 'Wanda Film' } } }, { data: { studio: { name: 'Wanda Film' } } }], cacheControl: 'no-store' });
      const error = await refused(() => batch(batching.url, 3), 400, 'TOO_MANY_OPERATIONS', batching);
      expect(error.message).toBe('A batched request may hold at most 2 operations; this one has 3.');
    } finally {
      await batching.close();
    }
  });
});

describe('introspection and suggestions', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  test('in production, introspection needs a key, and suggestions are off', async () => {
    const production = await startTestServer(db, { env: { NODE_ENV: 'production' } });
    const key = (await createApiKey(db.queryable, 'Analyst', Role.VIEWER)).key;
    try {
      const anonymous = await gql(production.url, INTROSPECT);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      expect(anonymous.body.errors![0].message).toContain('Introspection needs an API key here');
      const withKey = await gql(production.url, INTROSPECT, undefined, { key: key });
      expect(withKey.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const typo = await gql(production.url, '{ studios { nodes { nme } } }');
      expect(typo.body.errors![0].message).toBe('Cannot query field "nme" on type "Studio".');
      // __typename is not introspection.
      expect((await gql(production.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await production.close();
    }
  });

  // What a caller can hide introspection in: an inline fragment, a named fragment, an alias, nesting.
  const HIDDEN = [
    '{ ... on Query { __schema { types { name } } } }',
    'query { ...Types } fragment Types on Query { key: __type(name: "ApiKey") { name fields { name } } }',
    '{ ... on Query { ... { ...Deep } } } fragment Deep on Query { ... on Query { s: __schema { queryType { name } } } }',
    'query A { __typename } query B { ...F } fragment F on Query { __type(name: "Studio") { name } }',
  ];

  test.each(['production', 'off'] as const)('introspection hidden in fragments and aliases is refused too (%s)', async (mode) => {
    const env: Record<string, string> = mode === 'production' ? { NODE_ENV: 'production' } : { GRAPHQL_INTROSPECTION: 'off' };
    const guarded = await startTestServer(db, { env });
    try {
      for (const document of HIDDEN) {
        const operationName = document.startsWith('query A') ? 'B' : undefined;
        const result = await gql(guarded.url, document, undefined, { operationName });
        expect({ document, status: result.status, code: result.body.errors?.[0]?.extensions?.code, data: result.body.data ?? null }).toEqual({
          document,
          status: mode === 'production' ? 401 : 403,
          code: mode === 'production' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          data: null,
        });
      }
      // The other operation of the same document is not introspection.
      expect((await gql(guarded.url, HIDDEN[3], undefined, { operationName: 'A' })).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await guarded.close();
    }
  });

  test('introspection can be turned off, and is on in development', async () => {
    const off = await startTestServer(db, { env: { GRAPHQL_INTROSPECTION: 'off' } });
    try {
      const result = await gql(off.url, INTROSPECT);
      expect(result.status).toBe(403);
      expect(result.body.errors![0]).toMatchObject({ message: 'Introspection is turned off on this service.', extensions: { code: 'FORBIDDEN' } });
    } finally {
      await off.close();
    }
    expect((await gql(server.url, INTROSPECT)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await gql(server.url, '{ studios { nodes { nme } } }')).body.errors![0].message).toBe('Cannot query field "nme" on type "Studio". Did you mean "name"?');
  });
});

describe('persisted queries', () => {
  const hashOf = (query: string) => createHash('sha256').update(query).digest('hex');
  const persisted = (url: string, hash: string, query?: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  test('automatic persisted queries: a hash alone works once the query has been sent with it', async () => {
    const query = '{ studio(slug: "amblin-partners") { name } }';
    const first = await persisted(server.url, hashOf(query));
    expect(first.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await persisted(server.url, hashOf(query), query)).body).toEqual({ data: { studio: { name: 'Amblin Partners' } } });
    expect((await persisted(server.url, hashOf(query))).body).toEqual({ data: { studio: { name: 'Amblin Partners' } } });
  });

  test('trusted documents: only the operations of the manifest run, by text or by hash', async () => {
    const trusted = await startTestServer(db, { env: { TRUSTED_DOCUMENTS: 'true' } });
    try {
      const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
      const [hash, operation] = Object.entries(manifest).find(([, op]) => op.startsWith('query AlibabaGroup'))!;
      expect(hash).toBe(hashOf(print(parse(operation))));
      const byHash = await persisted(trusted.url, hash);
      expect(byHash.body.data.studio.name).toBe('Alibaba Group');
      // The same operation written differently (whitespace, a comment) is the same document.
      const byText = await gql(trusted.url, `# registered\n${operation.replace(/\n\s*/g, ' ')}`);
      expect(byText.body.data!.studio).toMatchObject({ name: 'Alibaba Group' });
      const before = trusted.statements.statements;
      const unregistered = await gql(trusted.url, '{ studios { totalCount } }');
      expect(unregistered.status).toBe(400);
      expect(unregistered.body.errors![0]).toMatchObject({ extensions: { code: 'OPERATION_NOT_TRUSTED' } });
      expect(unregistered.body.errors![0].message).toContain('Add it to schema/operations/ and run `npm run trusted-documents`');
      expect(trusted.statements.statements - before).toBe(0);
      // A new hash cannot be registered on the fly.
      const query = '{ studios { totalCount } }';
      await persisted(trusted.url, hashOf(query), query);
      expect((await persisted(trusted.url, hashOf(query))).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await trusted.close();
    }
  });

  test('the committed manifest holds exactly the committed operations (run `npm run trusted-documents`)', () => {
    expect(JSON.parse(fs.readFileSync(MANIFEST, 'utf8'))).toEqual(buildManifest());
  });
});
