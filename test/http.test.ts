import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createPool } from '../src/db/pool';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, startTestServer, type TestServer } from './helpers/server';

// What is HTTP's, over real HTTP: routes, health and readiness, limits, CSRF, GET, and the masking
// of internal errors.

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db, { env: { MAX_BODY_BYTES: '4096' } });
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

test('/health says the process is up; /ready says the database answers', async () => {
  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(200);
  expect(health.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await health.json()).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number), pid: process.pid });
  const ready = await fetch(`${server.url}/ready`);
  expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', database: 'up' }]);
});

test('/ready is 503 with the reason when the database does not answer', async () => {
  // A pool pointed at a port where nothing listens: a database that is down.
  const deadPool = createPool('postgres://nobody@127.0.0.1:1/none', 1);
  const dead = await startTestServer(db, { pool: deadPool });
  try {
    const ready = await fetch(`${dead.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'down', reason: expect.stringContaining('ECONNREFUSED') });
    const health = await fetch(`${dead.url}/health`);
    expect(health.status).toBe(200);
  } finally {
    await dead.close();
    await deadPool.end();
  }
});

test('GET /graphql runs queries from the URL, as a plain fetch from any page would', async () => {
  // No preflight header: a GET runs queries only, which change nothing (a mutation gets 405, writes.test.ts).
  const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ studio(slug: "wanda-film") { name } }')}`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { studio: { name: 'Wanda Film' } } });
});

describe('cacheable GETs', () => {
  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, { headers });

  test('an answer carries Cache-Control from the hints of what it reads, and an ETag', async () => {
    const plain = await get('{ studio(slug: "wanda-film") { name films { nodes { title } } } }');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=60');
    expect(plain.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(plain.headers.get('vary')).toContain('authorization');
    // Deal: 30 s; stats: 300 s; the shortest wins.
    expect((await get('{ deals(first: 2) { nodes { kind } } }')).headers.get('cache-control')).toBe('public, max-age=30');
    expect((await get('{ dealStats(groupBy: [KIND]) { count } }')).headers.get('cache-control')).toBe('public, max-age=300');
    expect((await get('{ dealStats(groupBy: [KIND]) { count } deals(first: 1) { nodes { kind } } }')).headers.get('cache-control')).toBe(
      'public, max-age=30',
    );
  });

  test('If-None-Match with the current ETag gets 304 and no body', async () => {
    const query = '{ studio(slug: "stx-entertainment") { name } }';
    const first = await get(query);
    const tag = first.headers.get('etag')!;
    const again = await get(query, { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const changed = await get('{ studio(slug: "stx-entertainment") { name slug } }', { 'if-none-match': tag });
    expect(changed.status).toBe(200);
  });

  test('what is read with a key is private; answers with errors are never stored', async () => {
    const { key } = await createApiKey(db.queryable, 'Cache test', Role.VIEWER);
    const keyed = await get('{ studio(slug: "wanda-film") { name } }', { authorization: `Bearer ${key}` });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('cache-control')).toBe('private, max-age=60');
    // The key's own records are PRIVATE by their hint, and never reused without asking.
    const admin = await createApiKey(db.queryable, 'Cache admin', Role.ADMIN);
    expect((await get('{ apiKeys { name } }', { authorization: `Bearer ${admin.key}` })).headers.get('cache-control')).toBe('private, no-cache');
    const refused = await get('{ studio(slug: "wanda-film") { name } }', { authorization: 'Bearer mgk_000000000000_notakeynotakeynotakeynotakeynotakeynotakey0' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const failed = await get('{ studios(first: 1000) { totalCount } }');
    expect(failed.headers.get('cache-control')).toBe('no-store');
  });

  test('a persisted query runs from its hash over GET, cacheable like any other', async () => {
    const query = '{ studio(slug: "alibaba-pictures") { name } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const byHash = () => fetch(`${server.url}/graphql?extensions=${encodeURIComponent(extensions)}`);
    const unknown = await byHash();
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}&extensions=${encodeURIComponent(extensions)}`);
    const known = await byHash();
    expect(known.status).toBe(200);
    expect(known.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await known.json()).toEqual({ data: { studio: { name: 'Alibaba Pictures' } } });
  });
});

test('an operation name the document does not define is a 400 that says so, not an internal error', async () => {
  const post = (body: object) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const unknown = await post({ query: 'query A { studios { totalCount } }', operationName: 'B' });
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as any).errors).toEqual([{ message: 'Unknown operation named "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
  const unnamed = await post({ query: 'query A { studios { totalCount } } query B { films { totalCount } }' });
  expect(unnamed.status).toBe(400);
  expect(((await unnamed.json()) as any).errors[0]).toMatchObject({ message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
  const named = await post({ query: 'query A { studios { totalCount } } query B { films { totalCount } }', operationName: 'B' });
  expect(named.status).toBe(200);
});

test('a request id is taken from x-request-id or generated, and echoed', async () => {
  const given = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
  expect(given.headers.get('x-request-id')).toBe('abc-123');
  const generated = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test.each([
  ['text/plain', JSON.stringify({ query: '{ studios { totalCount } }' })],
  ['application/x-www-form-urlencoded', 'query=%7B%20studios%20%7B%20totalCount%20%7D%20%7D'],
])('a %s POST (what a page sends across origins without a preflight: a CSRF vector) is refused', async (type, body) => {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': type }, body });
  expect(response.status).toBe(415);
  const answer = (await response.json()) as { errors: Array<{ message: string; extensions: unknown }> };
  expect(answer.errors[0].message).toContain(`not ${type}`);
  expect(answer.errors[0].message).toContain('cross-site request forgery');
  expect(answer.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
});

test('a body over the limit is answered 413 without being read', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ studios { totalCount } }${' '.repeat(5000)}` }),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toEqual({
    errors: [{ message: 'Request body exceeds the limit of 4096 bytes.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
  });
});

test('invalid JSON is a 400 that says so', async () => {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
  expect(response.status).toBe(400);
  const body = (await response.json()) as { errors: Array<{ message: string; extensions: unknown }> };
  expect(body.errors[0].message).toMatch(/^The request body is not valid JSON: /);
  expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
});

test('syntax and validation errors are 400s that explain themselves', async () => {
  const syntax = await gql(server.url, '{ studios { ');
  expect(syntax.status).toBe(400);
  expect(syntax.body.errors![0]).toMatchObject({ message: 'Syntax Error: Expected Name, found <EOF>.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  const unknown = await gql(server.url, '{ studios { nodes { revenue } } }');
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors![0]).toMatchObject({
    message: 'Cannot query field "revenue" on type "Studio".',
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });
});

test('unknown routes are 404s that list the routes', async () => {
  const response = await fetch(`${server.url}/graphiql`);
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({
    error: 'No route for GET /graphiql.',
    routes: ['POST /graphql', 'GET /graphql (queries only)', 'POST or GET /graphql/export', 'GET /playground', 'GET /health', 'GET /ready', 'GET /metrics'],
  });
});

test('CORS preflight is answered for browser clients', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
});

describe('internal errors are masked', () => {
  let broken: TestDatabase;
  let brokenServer: TestServer;
  const lines: Record<string, any>[] = [];

  beforeAll(async () => {
    broken = await createTestDatabase();
    // A schema the code does not expect: every query touching the column fails inside PostgreSQL.
    await broken.pool.query('ALTER TABLE studio RENAME COLUMN headquarters TO hq');
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    brokenServer = await startTestServer(broken, { log: pino({ level: 'error' }, sink), env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'on' } });
  });

  afterAll(async () => {
    await brokenServer?.close();
    await broken?.drop();
  });

  test('the client gets a message and an error id; SQL text and stack go only to the log, under that id', async () => {
    const result = await gql(brokenServer.url, '{ studio(slug: "stx-entertainment") { name headquarters } }');
    expect(result.status).toBe(200);
    const [error] = result.body.errors!;
    const errorId = error.extensions!.errorId as string;
    expect(result.body).toEqual({
      errors: [
        {
          message: `Internal server error. Quote error id ${errorId} when reporting it.`,
          locations: [{ line: 1, column: 3 }],
          path: ['studio'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
        },
      ],
      data: { studio: null },
    });
    const text = JSON.stringify(result.body);
    for (const leak of ['does not exist', 'headquarters', 'SELECT', 'stack', 'pg-pool', '42703']) expect(text).not.toContain(leak);

    const logged = lines.find((line) => line.errorId === errorId);
    expect(logged).toMatchObject({ msg: 'internal error while executing a GraphQL operation', err: { message: 'column s.headquarters does not exist' } });
  });

  test('client errors are not masked, even in production', async () => {
    const result = await gql(brokenServer.url, '{ studios(first: 1000) { totalCount } }');
    expect(result.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  test('in production, validation errors do not suggest field names', async () => {
    const result = await gql(brokenServer.url, '{ studios { nodes { nam } } }');
    expect(result.body.errors![0].message).toBe('Cannot query field "nam" on type "Studio".');
    const development = await gql(server.url, '{ studios { nodes { nam } } }');
    expect(development.body.errors![0].message).toBe('Cannot query field "nam" on type "Studio". Did you mean "name"?');
  });
});

describe('the playground', () => {
  test('a browser opening /graphql gets the playground page, which loads nothing from other hosts', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<title>Media graph: GraphQL playground</title>');
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.sort()).toEqual([
      '/playground/cytoscape.js',
      '/playground/explorer.css',
      '/playground/explorer.js',
      '/playground/favicon.svg',
      '/playground/graphiql.css',
      '/playground/graphiql.js',
      '/playground/react-dom.js',
      '/playground/react.js',
      '/playground/vega-lite.js',
      '/playground/vega.js',
      '/playground/views.js',
    ]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  test.each([
    ['react.js', 'text/javascript; charset=utf-8', 'React'],
    ['react-dom.js', 'text/javascript; charset=utf-8', 'ReactDOM'],
    ['graphiql.js', 'text/javascript; charset=utf-8', 'GraphiQL'],
    ['explorer.js', 'text/javascript; charset=utf-8', 'MediaGraphViews.explorerList'],
    ['vega.js', 'text/javascript; charset=utf-8', '.vega={}'],
    ['vega-lite.js', 'text/javascript; charset=utf-8', '.vegaLite={}'],
    ['cytoscape.js', 'text/javascript; charset=utf-8', 'cytoscape'],
    ['views.js', 'text/javascript; charset=utf-8', 'window.MediaGraphViews'],
    ['favicon.svg', 'image/svg+xml; charset=utf-8', '<svg'],
    ['graphiql.css', 'text/css; charset=utf-8', '.graphiql-container'],
    ['explorer.css', 'text/css; charset=utf-8', 'docExplorer'],
    ['examples.graphql', 'text/plain; charset=utf-8', 'query StudioPartnersFilms'],
  ])('its asset %s is served from the project\'s own dependencies', async (name, type, marker) => {
    const response = await fetch(`${server.url}/playground/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toContain(marker);
  });
});
