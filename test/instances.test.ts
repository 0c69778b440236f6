import http from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { run, type Running, waitUntilReady } from './helpers/processes';
import { feedSubscribers, freePort, gql, until } from './helpers/server';

// Several instances of the service on one database, as behind a load balancer: every answer is the
// same whichever instance gives it, and a deal written through one reaches subscribers on all.

let db: TestDatabase;
const instances: Array<{ url: string; service: Running }> = [];
let proxy: http.Server;
let proxyUrl: string;
let editorKey: string;
let viewerKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  editorKey = (await createApiKey(db.queryable, 'Feed editor', Role.EDITOR)).key;
  viewerKey = (await createApiKey(db.queryable, 'Feed viewer', Role.VIEWER)).key;
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = run('index.js', [], { DATABASE_URL: db.url, PORT: String(port), RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_KEY_PER_MINUTE: '0' });
    instances.push({ url, service });
  }
  await Promise.all(instances.map(({ url, service }) => waitUntilReady(url, service)));
  // A round-robin proxy on loopback, standing in for the load balancer.
  let next = 0;
  proxy = http.createServer((req, res) => {
    const target = new URL(instances[next++ % instances.length].url);
    const forward = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  proxy?.close();
  for (const { service } of instances) {
    if (service.process.exitCode === null) {
      service.process.kill('SIGTERM');
      await service.exited;
    }
  }
  await db?.drop();
});

interface Subscription {
  events: Array<{ data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  closed: Promise<{ code?: number; reason?: string } | undefined>;
}

/** Subscribes on one instance with the graphql-ws client, collecting what arrives. */
function subscribe(url: string, query: string, variables: Record<string, unknown> = {}, connectionParams?: Record<string, unknown>): Subscription {
  const events: Subscription['events'] = [];
  let closed!: (value: { code?: number; reason?: string } | undefined) => void;
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // Refusals are asserted through `closed` below, not printed.
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code?: number; reason?: string };
        closed?.({ code, reason });
      },
    },
  });
  clients.push(client);
  const done = new Promise<{ code?: number; reason?: string } | undefined>((resolve) => (closed = resolve));
  client.subscribe(
    { query, variables },
    {
      next: (value) => events.push(value as Subscription['events'][number]),
      error: (error) => {
        if (Array.isArray(error)) events.push({ errors: error });
        else closed({ code: (error as { code?: number }).code, reason: (error as { reason?: string }).reason });
      },
      complete: () => undefined,
    },
  );
  return { events, closed: done };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

const createDeal = (url: string, title: string, kind = 'PARTNERSHIP', studio = 'alibaba-pictures') =>
  gql(
    url,
    `mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { id title } } }`,
    { input: { kind, title, status: 'ANNOUNCED', parties: [{ studio, role: 'PARTNER' }, { studio: 'amblin-partners', role: 'PARTNER' }] } },
    { key: editorKey },
  );

const DEAL_ANNOUNCED = `subscription ($kinds: [DealKind!], $studio: String) {
  dealAnnounced(kinds: $kinds, studio: $studio) { id title kind parties { role studio { slug } } }
}`;

test('two instances behind a round-robin proxy give the same answers, before and after a write through either', async () => {
  const read = () => gql(proxyUrl, '{ studio(slug: "alibaba-pictures") { name deals(first: 50) { totalCount } } }');
  const before = await Promise.all([read(), read(), read(), read()]);
  expect(new Set(before.map((r) => JSON.stringify(r.body))).size).toBe(1);
  const count = (before[0].body.data!.studio as { deals: { totalCount: number } }).deals.totalCount;

  const written = await createDeal(proxyUrl, 'Proxy Partnership');
  expect(written.body.errors).toBeUndefined();
  const after = await Promise.all([read(), read(), read(), read()]);
  expect(after.map((r) => (r.body.data!.studio as { deals: { totalCount: number } }).deals.totalCount)).toEqual([count + 1, count + 1, count + 1, count + 1]);
});

test('a deal written through one instance reaches a subscriber on the other, once, with its parties', async () => {
  const [a, b] = instances;
  const all = subscribe(a.url, DEAL_ANNOUNCED);
  await until(async () => (await feedSubscribers(a.url)) === 1, 'the subscription on instance A');

  const written = await createDeal(b.url, 'Cross-instance Partnership');
  expect(written.body.errors).toBeUndefined();
  const id = (written.body.data!.createDeal as { deal: { id: string } }).deal.id;

  await until(() => all.events.length > 0, 'the event on instance A');
  await settle();
  expect(all.events).toEqual([
    {
      data: {
        dealAnnounced: {
          id,
          title: 'Cross-instance Partnership',
          kind: 'PARTNERSHIP',
          parties: expect.arrayContaining([
            { role: 'PARTNER', studio: { slug: 'alibaba-pictures' } },
            { role: 'PARTNER', studio: { slug: 'amblin-partners' } },
          ]),
        },
      },
    },
  ]);
});

test('filters by kind and studio; subscribers on both instances each get the matching deals once', async () => {
  const [a, b] = instances;
  const financingOnA = subscribe(a.url, DEAL_ANNOUNCED, { kinds: ['CO_FINANCING', 'INVESTMENT'] }, { authorization: `Bearer ${viewerKey}` });
  const wandaOnB = subscribe(b.url, DEAL_ANNOUNCED, { studio: 'wanda-film' });
  await until(async () => (await feedSubscribers(a.url)) >= 1 && (await feedSubscribers(b.url)) >= 1, 'both subscriptions');

  expect((await createDeal(a.url, 'A co-financing', 'CO_FINANCING', 'wanda-film')).body.errors).toBeUndefined();
  expect((await createDeal(b.url, 'A distribution deal', 'DISTRIBUTION', 'wanda-film')).body.errors).toBeUndefined();
  expect((await createDeal(b.url, 'An investment', 'INVESTMENT')).body.errors).toBeUndefined();

  await until(() => financingOnA.events.length >= 2 && wandaOnB.events.length >= 2, 'the filtered events');
  await settle();
  expect(financingOnA.events.map((e) => e.data?.dealAnnounced.title)).toEqual(['A co-financing', 'An investment']);
  expect(wandaOnB.events.map((e) => e.data?.dealAnnounced.title)).toEqual(['A co-financing', 'A distribution deal']);
});

test('a rolled-back write announces nothing', async () => {
  const [a, b] = instances;
  const all = subscribe(a.url, DEAL_ANNOUNCED);
  await until(async () => (await feedSubscribers(a.url)) >= 1, 'the subscription');
  // The second party does not exist: validation refuses it, and nothing is written or announced.
  const refused = await createDeal(b.url, 'Never happened', 'PARTNERSHIP', 'no-such-studio');
  expect(refused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const [{ n }] = await db.queryable.query<{ n: number }>("SELECT count(*)::int AS n FROM deal WHERE title = 'Never happened'");
  expect(n).toBe(0);
  // A raw insert that rolls back is not announced either (NOTIFY is delivered at commit only).
  await db.queryable.transaction(async (tx) => {
    await tx.query("INSERT INTO deal (slug, kind, title, status) VALUES ('rolled-back', 'PARTNERSHIP', 'Rolled back', 'ANNOUNCED')");
    throw new Error('roll back');
  }).catch(() => undefined);
  expect((await createDeal(b.url, 'After the failures')).body.errors).toBeUndefined();
  await until(() => all.events.length >= 1, 'the event');
  await settle();
  expect(all.events.map((e) => e.data?.dealAnnounced.title)).toEqual(['After the failures']);
});

test('subscriptions obey the API-key rules and the query limits, with errors that explain themselves', async () => {
  const [a] = instances;
  const badKey = subscribe(a.url, DEAL_ANNOUNCED, {}, { authorization: 'Bearer mgk_000000000000_not-a-real-key-not-a-real-key-not-a-real-k' });
  expect(await badKey.closed).toEqual({ code: 4403, reason: 'The API key is not valid: it is unknown, revoked or mistyped.' });

  const unknownStudio = subscribe(a.url, DEAL_ANNOUNCED, { studio: 'no-such-studio' });
  await until(() => unknownStudio.events.length > 0, 'the error');
  expect(unknownStudio.events[0].errors?.[0]).toMatchObject({
    message: 'No studio has the slug "no-such-studio": subscribe with an existing studio\'s slug or ID.',
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'studio' },
  });

  const badKind = subscribe(a.url, DEAL_ANNOUNCED, { kinds: ['MERGER'] });
  await until(() => badKind.events.length > 0, 'the error');
  expect(badKind.events[0].errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(badKind.events[0].errors?.[0].message).toContain('MERGER');

  const query = subscribe(a.url, '{ studios { totalCount } }');
  await until(() => query.events.length > 0, 'the error');
  expect(query.events[0].errors?.[0]).toMatchObject({ message: expect.stringContaining('Send queries over HTTP (POST /graphql)'), extensions: { code: 'BAD_REQUEST' } });

  const costly = subscribe(a.url, 'subscription { dealAnnounced { films(first: 100) { nodes { deals(first: 100) { nodes { films(first: 100) { nodes { title } } } } } } } }');
  await until(() => costly.events.length > 0, 'the error');
  expect(costly.events[0].errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');

  const long = subscribe(a.url, `subscription { dealAnnounced { ${'id '.repeat(6_000)}} }`);
  await until(() => long.events.length > 0, 'the error');
  expect(long.events[0].errors?.[0]).toMatchObject({ message: 'The query has more than 5000 tokens; split it into smaller queries.', extensions: { code: 'TOO_MANY_TOKENS' } });

  const overHttp = await gql(a.url, 'subscription { dealAnnounced { id } }');
  expect(overHttp.status).toBe(400);
  expect(overHttp.body.errors?.[0]).toEqual({ message: 'Subscriptions are served over WebSocket on /graphql (the graphql-ws protocol), not over HTTP POST or GET.', extensions: { code: 'BAD_REQUEST' } });
});

test('with READS_REQUIRE_KEY, a socket without a key is refused and one with a key is served', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = run('index.js', [], { DATABASE_URL: db.url, PORT: String(port), READS_REQUIRE_KEY: 'true' });
  try {
    await waitUntilReady(url, service);
    const anonymous = subscribe(url, DEAL_ANNOUNCED);
    expect(await anonymous.closed).toEqual({ code: 4403, reason: 'This service requires an API key for every request: send "Authorization: Bearer <key>".' });
    const keyed = subscribe(url, DEAL_ANNOUNCED, {}, { authorization: `Bearer ${viewerKey}` });
    await until(async () => (await feedSubscribers(url)) === 1, 'the keyed subscription');
    expect((await createDeal(url, 'Keyed feed')).body.errors).toBeUndefined();
    await until(() => keyed.events.length > 0, 'the event');
    expect(keyed.events[0].data?.dealAnnounced.title).toBe('Keyed feed');
  } finally {
    service.process.kill('SIGTERM');
    await service.exited;
  }
});

test('an instance whose LISTEN connection is cut reconnects and keeps delivering', async () => {
  const [a, b] = instances;
  const all = subscribe(a.url, DEAL_ANNOUNCED);
  await until(async () => (await feedSubscribers(a.url)) >= 1, 'the subscription');
  // Cut every feed connection (both instances') from the database side.
  const cut = await db.queryable.query<{ n: number }>(
    "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'media-graph deal feed' AND datname = current_database()",
  );
  expect(cut[0].n).toBe(2);
  await until(() => a.service.output().includes('the live deal feed is listening again'), 'the reconnection');
  expect((await createDeal(b.url, 'After the cut')).body.errors).toBeUndefined();
  await until(() => all.events.length >= 1, 'the event');
  await settle();
  expect(all.events.map((e) => e.data?.dealAnnounced.title)).toEqual(['After the cut']);
});
