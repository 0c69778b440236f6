import pg from 'pg';
import { loadConfig } from '../src/config';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { PoolQueryable } from '../src/db/pool';
import { run, type Running, waitUntilReady } from './helpers/processes';
import { type ReplicatedPair, startReplicatedPair } from './helpers/replication';
import { freePort, gql, until } from './helpers/server';

// Reads on a streaming replica, writes on the primary: a real primary and a real standby (started
// from the project's PostgreSQL binaries), and the service as a process with DATABASE_REPLICA_URLS.

let pair: ReplicatedPair;
let service: Running;
let url: string;
let editorKey: string;

beforeAll(async () => {
  pair = await startReplicatedPair();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = run('index.js', [], { DATABASE_URL: pair.primaryUrl, DATABASE_REPLICA_URLS: pair.replicaUrl, PORT: String(port), LOG_LEVEL: 'info' });
  await waitUntilReady(url, service);
  const primary = new pg.Pool({ connectionString: pair.primaryUrl, max: 1 });
  try {
    editorKey = (await createApiKey(new PoolQueryable(primary), 'Replica editor', Role.EDITOR)).key;
  } finally {
    await primary.end();
  }
  // The key reaches the replica through replication; requests are authenticated on the primary anyway.
  await until(async () => (await replicaCount("SELECT count(*)::int AS n FROM api_key WHERE name = 'Replica editor'")) === 1, 'the key on the replica', 20_000);
}, 120_000);

afterAll(async () => {
  if (service && service.process.exitCode === null) {
    service.process.kill('SIGTERM');
    await service.exited;
  }
  await pair?.stop();
});

async function replicaCount(text: string): Promise<number> {
  const client = new pg.Client({ connectionString: pair.replicaUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows[0].n;
  } finally {
    await client.end();
  }
}

const asEditor = (query: string, variables?: Record<string, unknown>) => gql(url, query, variables, { key: editorKey });

test('the service says it runs on a replica, and /ready checks it', async () => {
  expect(service.output()).toContain('reads go to 1 read replica(s), writes to the primary');
  const ready = await fetch(`${url}/ready`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', database: 'up', replicas: ['up'] });
});

test('reads are served by the replica, a write and the rest of its request by the primary, and the write reaches the replica', async () => {
  await pair.pauseReplay();
  try {
    // The mutation writes on the primary and reads its own write back in the same request.
    const created = await asEditor('mutation { createStudio(input: { name: "Replica Pictures", kind: STUDIO, country: "CN" }) { studio { id slug name } } }');
    expect(created.body.errors).toBeUndefined();
    const studio = (created.body.data!.createStudio as { studio: { id: string; slug: string; name: string } }).studio;
    expect(studio).toMatchObject({ slug: 'replica-pictures', name: 'Replica Pictures' });

    // The replica has stopped replaying: a plain read there does not see the studio yet, so the
    // read was served by the replica, not the primary.
    const before = await gql(url, 'query ($slug: String) { studio(slug: $slug) { name } }', { slug: 'replica-pictures' });
    expect(before.body).toEqual({ data: { studio: null } });
  } finally {
    await pair.resumeReplay();
  }
  // Once replayed, the same read finds it.
  await until(async () => {
    const after = await gql(url, 'query ($slug: String) { studio(slug: $slug) { name } }', { slug: 'replica-pictures' });
    return (after.body.data?.studio as { name: string } | null)?.name === 'Replica Pictures';
  }, 'the studio on the replica', 20_000);
});

test('a client that sends back X-Read-After reads its own write, from the replica once it has it, from the primary until then', async () => {
  const onPrimary = async () => Number(/^mediagraph_read_after_on_primary_total (\d+)/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
  const read = (headers: Record<string, string> = {}) => gql(url, 'query ($slug: String) { studio(slug: $slug) { name } }', { slug: 'read-after-pictures' }, { headers });
  await pair.pauseReplay();
  let position: string;
  try {
    const created = await asEditor('mutation { createStudio(input: { name: "Read After Pictures", kind: STUDIO }) { studio { slug } } }');
    expect(created.body.errors).toBeUndefined();
    position = created.headers.get('x-read-after')!;
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Reads that come without it may see the replica as it was.
    expect((await read()).body).toEqual({ data: { studio: null } });
    // With it, the replica has not replayed the write: the request reads from the primary.
    const before = await onPrimary();
    const answer = await read({ 'x-read-after': position });
    expect(answer.body).toEqual({ data: { studio: { name: 'Read After Pictures' } } });
    expect(await onPrimary()).toBe(before + 1);
  } finally {
    await pair.resumeReplay();
  }
  // Once the replica has it, the same request is served there.
  await until(async () => (await read()).body.data?.studio !== null, 'the studio on the replica', 20_000);
  const before = await onPrimary();
  expect((await read({ 'x-read-after': position })).body).toEqual({ data: { studio: { name: 'Read After Pictures' } } });
  expect(await onPrimary()).toBe(before);
  // A request that only reads gives no position.
  expect((await read()).headers.get('x-read-after')).toBeNull();
});

test('an X-Read-After that is not a WAL position is refused, naming the header', async () => {
  const refused = await gql(url, '{ studio(slug: "stx-entertainment") { name } }', undefined, { headers: { 'x-read-after': 'yesterday' } });
  expect(refused.status).toBe(400);
  expect(refused.body.errors?.[0]).toMatchObject({
    message: "X-Read-After must be a WAL position such as 0/3000148, as the X-Read-After header of a write's answer gives it.",
    extensions: { code: 'BAD_USER_INPUT' },
  });
});

test('a write refused by validation changes nothing on either server', async () => {
  const refused = await asEditor('mutation { createStudio(input: { name: "", kind: STUDIO, country: "China" }) { studio { id } } }');
  expect(refused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await replicaCount("SELECT count(*)::int AS n FROM studio WHERE name = ''")).toBe(0);
});

test('replica settings are checked at start and explain themselves', () => {
  expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://a/b' })).toThrow(
    'DATABASE_REPLICA_URLS: replicas need an external primary: set DATABASE_URL too (the embedded PostgreSQL has no replicas)',
  );
  expect(() => loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_REPLICA_URLS: 'postgres://r1/db, mysql://r2/db' })).toThrow(
    'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// URLs',
  );
  const config = loadConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_REPLICA_URLS: 'postgres://r1/db, postgresql://r2/db,' });
  expect(config.replicaUrls).toEqual(['postgres://r1/db', 'postgresql://r2/db']);
  expect(() => loadConfig({ DATABASE_POOLER: 'pgpool' })).toThrow('DATABASE_POOLER');
});
