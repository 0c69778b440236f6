import fc from 'fast-check';
import { WATCHED_TABLES, UNWATCHED_TABLES } from '../src/db/reads';
import { useService } from './helpers/fixture';
import { gql, startTestServer, type TestServer, until } from './helpers/server';

// The response cache: repeated queries are answered without SQL; a committed write, from any
// instance or from psql, drops exactly the answers that read what it wrote, on every instance, before
// the write's acknowledgement can reach a reader; answers with errors are never kept; the cache is
// bounded in bytes, measured in /metrics, and can be turned off.

const SEED = Number(process.env.FC_SEED ?? 20261207);

const service = useService();
let b: TestServer;
let uncached: TestServer;

beforeAll(async () => {
  b = await startTestServer(service.db);
  uncached = await startTestServer(service.db, { env: { RESPONSE_CACHE: 'off' } });
});

afterAll(async () => {
  await b?.close();
  await uncached?.close();
});

const A = () => service.server;

/** Runs a query on `server`: its data, the SQL statements it cost, and whether it was a hit. */
async function ask(server: TestServer, document: string, variables?: Record<string, unknown>, key?: string) {
  const before = server.statements.statements;
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  return { body, statements: server.statements.statements - before, hit: response.headers.get('x-response-cache') === 'hit' };
}

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

const STUDIO = '{ studio(slug: "alibaba-pictures") { name films(first: 5) { nodes { title } } } }';

test('a repeated query is answered from the cache, without SQL, and counted in /metrics', async () => {
  const hitsBefore = await metric(A(), 'mediagraph_response_cache_hits_total');
  const first = await ask(A(), STUDIO);
  const second = await ask(A(), STUDIO);
  expect(first.hit).toBe(false);
  expect(first.statements).toBeGreaterThan(0);
  expect(second).toEqual({ body: first.body, statements: 0, hit: true });
  expect(await metric(A(), 'mediagraph_response_cache_hits_total')).toBe(hitsBefore + 1);
  expect(await metric(A(), 'mediagraph_response_cache_entries')).toBeGreaterThan(0);
  expect(await metric(A(), 'mediagraph_response_cache_bytes')).toBeGreaterThan(0);
});

test('each role has its own answers; variables and operation names are part of the key', async () => {
  const document = 'query One($slug: String!) { studio(slug: $slug) { name } }';
  await ask(A(), document, { slug: 'wanda-film' });
  expect((await ask(A(), document, { slug: 'wanda-film' })).hit).toBe(true);
  expect((await ask(A(), document, { slug: 'alibaba-pictures' })).hit).toBe(false);
  expect((await ask(A(), document, { slug: 'wanda-film' }, service.keys.viewer)).hit).toBe(false);
  expect((await ask(A(), document, { slug: 'wanda-film' }, service.keys.viewer)).hit).toBe(true);
});

test('answers with errors are never kept, and mutations never answered from it', async () => {
  const failing = '{ studio(slug: "alibaba-pictures") { name } films(first: 1000) { nodes { title } } }';
  for (let i = 0; i < 2; i++) {
    const { body, hit } = await ask(A(), failing);
    expect(body.errors).toBeDefined();
    expect(hit).toBe(false);
  }
  const admin = '{ auditLog(first: 1) { totalCount } }';
  expect((await ask(A(), admin, undefined, service.keys.admin)).hit).toBe(false);
  expect((await ask(A(), admin, undefined, service.keys.admin)).hit).toBe(true);
});

test('a write through one instance is seen at once through every instance, never the old answer', async () => {
  const { studio } = (await ask(A(), '{ studio(slug: "stx-entertainment") { id version } }')).body.data;
  let version = studio.version;
  const read = '{ studio(slug: "stx-entertainment") { name description } }';
  for (let i = 0; i < 15; i++) {
    // Both instances hold the answer...
    await ask(A(), read);
    await ask(b, read);
    expect((await ask(b, read)).hit).toBe(true);
    // ...a write through A is acknowledged...
    const description = `Round ${i} of the cache test`;
    const written = await gql(A().url, 'mutation ($id: ID!, $v: Int!, $d: String) { updateStudio(id: $id, expectedVersion: $v, input: { description: $d }) { studio { version } } }', { id: studio.id, v: version, d: description }, { key: service.keys.editor });
    expect(written.body.errors).toBeUndefined();
    version = (written.body.data as any).updateStudio.studio.version;
    // ...and neither instance answers with what was there before.
    const [throughB, throughA] = await Promise.all([ask(b, read), ask(A(), read)]);
    expect(throughB.body.data.studio.description).toBe(description);
    expect(throughA.body.data.studio.description).toBe(description);
  }
});

test('a write from outside the service (psql, an import) invalidates too; a rolled-back one does not', async () => {
  const read = '{ films(first: 3, orderBy: [{ field: TITLE }]) { nodes { title } } }';
  const before = await ask(b, read);
  expect((await ask(b, read)).hit).toBe(true);
  const client = await service.db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`UPDATE film SET title = '  A rolled back title' WHERE slug = 'steel-soldiers'`);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  expect(await ask(b, read)).toEqual({ ...before, statements: 0, hit: true });
  await service.db.pool.query(`UPDATE film SET title = 'Aaa first by title' WHERE slug = 'steel-soldiers'`);
  try {
    const after = await ask(b, read);
    expect(after.hit).toBe(false);
    expect(after.body.data.films.nodes[0].title).toBe('Aaa first by title');
  } finally {
    await service.db.pool.query(`UPDATE film SET title = 'Steel Soldiers' WHERE slug = 'steel-soldiers'`);
  }
});

test('a write drops only the answers that read what it wrote', async () => {
  const deals = '{ deals(first: 2) { nodes { title } } }';
  const producers = '{ producers(first: 2) { nodes { name } } }';
  await ask(A(), deals);
  await ask(A(), producers);
  await service.db.pool.query(`UPDATE producer SET bio = bio WHERE slug = 'robert-zemeckis'`);
  expect((await ask(A(), deals)).hit).toBe(true);
  expect((await ask(A(), producers)).hit).toBe(false);
});

test('while its PostgreSQL connection is down the cache answers nothing, then starts again empty', async () => {
  const read = '{ studio(slug: "wanda-film") { name } }';
  await ask(A(), read);
  expect((await ask(A(), read)).hit).toBe(true);
  const { rows } = await service.db.pool.query(
    `SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE application_name = 'media-graph response cache' AND datname = current_database()`,
  );
  expect(rows.length).toBe(2);
  // Written while no instance listens: no notification will ever say so.
  await service.db.pool.query(`UPDATE studio SET name = 'Wanda Film (renamed)' WHERE slug = 'wanda-film'`);
  try {
    const during = await ask(A(), read);
    expect(during.body.data.studio.name).toBe('Wanda Film (renamed)');
    await until(async () => (await ask(A(), read)).hit, 'the cache to listen again', 10_000);
    expect((await ask(A(), read)).body.data.studio.name).toBe('Wanda Film (renamed)');
  } finally {
    await service.db.pool.query(`UPDATE studio SET name = 'Wanda Film' WHERE slug = 'wanda-film'`);
  }
});

test('a listening connection that stops answering (SIGSTOP) makes misses: never a hit it cannot vouch for, never a hang', async () => {
  const read = '{ studio(slug: "amblin-partners") { name } }';
  await ask(A(), read);
  expect((await ask(A(), read)).hit).toBe(true);
  const { rows } = await service.db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE application_name = 'media-graph response cache' AND datname = current_database()`,
  );
  expect(rows.length).toBe(2);
  for (const { pid } of rows) process.kill(pid, 'SIGSTOP');
  try {
    // The notification of this write cannot reach the stopped listeners.
    await service.db.pool.query(`UPDATE studio SET name = 'Amblin Partners (paused)' WHERE slug = 'amblin-partners'`);
    const started = Date.now();
    const during = await ask(A(), read);
    expect(during.hit).toBe(false);
    expect(during.body.data.studio.name).toBe('Amblin Partners (paused)');
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    for (const { pid } of rows) process.kill(pid, 'SIGCONT');
    await service.db.pool.query(`UPDATE studio SET name = 'Amblin Partners' WHERE slug = 'amblin-partners'`);
  }
  await until(async () => (await ask(A(), read)).body.data.studio.name === 'Amblin Partners', 'the original name back');
});

test('RESPONSE_CACHE=off answers every query from PostgreSQL', async () => {
  await ask(uncached, STUDIO);
  const again = await ask(uncached, STUDIO);
  expect(again.hit).toBe(false);
  expect(again.statements).toBeGreaterThan(0);
  expect(uncached.http.responseCache).toBeUndefined();
});

test('the cache is bounded in bytes', async () => {
  const small = await startTestServer(service.db, { env: { RESPONSE_CACHE_MAX_MB: '0.02' } });
  try {
    for (let i = 0; i < 40; i++) await ask(small, `{ films(first: ${i + 10}) { nodes { title logline } } }`);
    const bytes = await metric(small, 'mediagraph_response_cache_bytes');
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(0.02 * 1024 * 1024);
    expect(await metric(small, 'mediagraph_response_cache_entries')).toBeLessThan(40);
  } finally {
    await small.close();
  }
});

test('every table is either watched (its writes notify) or never read by an answer kept', async () => {
  const { rows } = await service.db.pool.query<{ table: string; notifies: boolean }>(
    `SELECT c.relname AS table, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = c.relname || '_cache') AS notifies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
  );
  expect(rows.filter((r) => r.notifies).map((r) => r.table).sort()).toEqual([...WATCHED_TABLES].sort());
  expect(rows.filter((r) => !r.notifies).map((r) => r.table).sort()).toEqual([...UNWATCHED_TABLES].sort());
});

// Random writes (through either instance, or straight to the database) between random reads through
// either instance: every answer equals the uncached server's at that moment.
const READS = [
  '{ studio(slug: "alibaba-pictures") { name description films(first: 3) { nodes { title releaseDate } } } }',
  '{ films(first: 5, orderBy: [{ field: RELEASE_DATE, direction: DESC }]) { nodes { title studios { nodes { name } } } } }',
  '{ producer(slug: "robert-zemeckis") { name bio films(first: 3) { nodes { title } } } }',
  '{ deals(first: 3) { totalCount nodes { title parties { studio { name } } } } }',
  '{ search(query: "steel", first: 3) { nodes { __typename ... on Film { title } } } }',
];
const WRITES = [
  (n: number) => [`UPDATE studio SET description = 'Description ${n}' WHERE slug = 'alibaba-pictures'`],
  (n: number) => [`UPDATE film SET release_date = DATE '2016-01-01' + ${n % 400} WHERE slug = 'steel-soldiers'`],
  (n: number) => [`UPDATE producer SET bio = 'Bio ${n}' WHERE slug = 'robert-zemeckis'`],
  (n: number) => [`UPDATE deal SET title = 'Deal title ${n}' WHERE id = (SELECT min(id) FROM deal)`],
  (n: number) => [`UPDATE film SET title = 'Steel Soldiers ${n % 3 === 0 ? '' : n}' WHERE slug = 'steel-soldiers'`],
];

test('random writes and reads on two instances: every cached answer is the uncached one', async () => {
  let compared = 0;
  let hits = 0;
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(fc.record({ read: fc.nat(READS.length - 1), through: fc.boolean() }), fc.record({ write: fc.nat(WRITES.length - 1) })), { minLength: 4, maxLength: 20 }),
      async (steps) => {
        for (const step of steps) {
          if ('write' in step) {
            for (const sql of WRITES[step.write](++n)) await service.db.pool.query(sql);
            continue;
          }
          const cached = await ask(step.through ? A() : b, READS[step.read]);
          const truth = await ask(uncached, READS[step.read]);
          expect(cached.body).toEqual(truth.body);
          compared++;
          if (cached.hit) hits++;
        }
      },
    ),
    { seed: SEED, numRuns: 25 },
  );
  expect(compared).toBeGreaterThan(100);
  expect(hits).toBeGreaterThan(10);
}, 120_000);
