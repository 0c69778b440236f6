import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { feedCursor } from '../src/deal/deal-feed';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { feedSubscribers, gql, query, startTestServer, type TestServer, until } from './helpers/server';

// The live deal feed loses nothing: every new deal is numbered in an outbox when it commits, in
// commit order, and NOTIFY only wakes the instances. An instance whose LISTEN connection dropped
// reads what it missed; a client that was away resumes with `dealAnnounced(after:)` and receives
// exactly what it missed, in order, then the live deals, with no gap and no repeat.

let db: TestDatabase;
let a: TestServer;
let b: TestServer;
let editorKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  editorKey = (await createApiKey(db.queryable, 'Replay editor', Role.EDITOR)).key;
  a = await startTestServer(db, { feed: true });
  b = await startTestServer(db, { feed: true });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all([a?.close(), b?.close()]);
  await db?.drop();
});

interface Event {
  data?: { dealAnnounced: { title: string; kind: string; feedCursor: string } } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Subscribes with the graphql-ws client; `events` fills as they arrive; `stop` closes the socket. */
function subscribe(url: string, variables: Record<string, unknown> = {}): { events: Event[]; stop: () => Promise<void> } {
  const events: Event[] = [];
  const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  clients.push(client);
  client.subscribe(
    { query: 'subscription ($after: String, $kinds: [DealKind!]) { dealAnnounced(after: $after, kinds: $kinds) { title kind feedCursor } }', variables },
    { next: (value) => events.push(value as Event), error: (error) => events.push({ errors: Array.isArray(error) ? error : [{ message: String(error) }] }), complete: () => undefined },
  );
  return { events, stop: () => client.dispose() as Promise<void> };
}

const titles = (events: Event[]) => events.map((e) => e.data?.dealAnnounced.title);
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

let made = 0;
async function createDeal(url: string, title: string, kind = 'PARTNERSHIP'): Promise<void> {
  const roles = kind === 'INVESTMENT' ? ['INVESTOR', 'INVESTEE'] : ['PARTNER', 'PARTNER'];
  await query(
    url,
    'mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }',
    { input: { kind, title, slug: `replay-${++made}`, parties: [{ studio: 'alibaba-pictures', role: roles[0] }, { studio: 'amblin-partners', role: roles[1] }] } },
    { key: editorKey },
  );
}

/** The subscribers on both instances, once their subscriptions are running. */
async function subscribersRunning(n: number): Promise<void> {
  await until(async () => (await feedSubscribers(a.url)) + (await feedSubscribers(b.url)) >= n, `${n} subscriptions`);
}

test('a subscriber that comes back with its last cursor receives exactly the deals it missed, in order, then the live ones', async () => {
  const first = subscribe(a.url);
  await subscribersRunning(1);
  await createDeal(b.url, 'Seen live');
  await until(() => first.events.length === 1, 'the live event');
  const cursor = first.events[0].data!.dealAnnounced.feedCursor;
  expect(cursor).toEqual(expect.any(String));
  await first.stop();
  await until(async () => (await feedSubscribers(a.url)) === 0, 'the subscription to end');

  // Away: ten deals through both instances, two of them investments.
  const missed = Array.from({ length: 10 }, (_, i) => `Missed ${i + 1}`);
  for (const [i, title] of missed.entries()) await createDeal(i % 2 ? a.url : b.url, title, i === 3 || i === 7 ? 'INVESTMENT' : 'PARTNERSHIP');

  const back = subscribe(a.url, { after: cursor });
  const investments = subscribe(b.url, { after: cursor, kinds: ['INVESTMENT'] });
  await until(() => back.events.length >= 10 && investments.events.length >= 2, 'the replay');
  expect(titles(back.events)).toEqual(missed);
  expect(titles(investments.events)).toEqual(['Missed 4', 'Missed 8']);
  // Then live, after the replay, once.
  await subscribersRunning(2);
  await createDeal(b.url, 'Live again', 'INVESTMENT');
  await until(() => back.events.length >= 11 && investments.events.length >= 3, 'the live event after the replay');
  await settle();
  expect(titles(back.events)).toEqual([...missed, 'Live again']);
  expect(titles(investments.events)).toEqual(['Missed 4', 'Missed 8', 'Live again']);
  // Each event's cursor resumes after it: from the fifth, the last six.
  const fifth = back.events[4].data!.dealAnnounced.feedCursor;
  const fromFifth = subscribe(b.url, { after: fifth });
  await until(() => fromFifth.events.length >= 6, 'the replay from the fifth');
  await settle();
  expect(titles(fromFifth.events)).toEqual([...missed.slice(5), 'Live again']);
  await Promise.all([back.stop(), investments.stop(), fromFifth.stop()]);
});

test("deals committed while an instance's LISTEN connection is down still reach its subscribers, once, in order", async () => {
  const listening = subscribe(a.url);
  await subscribersRunning(1);
  // Cut both instances' LISTEN connections, and write at once, before they are back (250 ms).
  const { rows } = await db.pool.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'media-graph deal feed' AND datname = current_database()");
  expect(rows.length).toBe(2);
  const written = ['While deaf 1', 'While deaf 2', 'While deaf 3'];
  for (const title of written) {
    await db.pool.query(`INSERT INTO deal (slug, kind, title, status) VALUES ($1, 'PARTNERSHIP', $2, 'ANNOUNCED')`, [`deaf-${title.slice(-1)}`, title]);
  }
  await until(() => listening.events.length >= 3, 'the deals written while the feed was not listening', 15_000);
  await settle();
  expect(titles(listening.events)).toEqual(written);
  await listening.stop();
});

test('announcements are numbered in commit order, not in the order the deals were inserted', async () => {
  const listening = subscribe(b.url);
  await subscribersRunning(1);
  const early = await db.pool.connect();
  try {
    await early.query('BEGIN');
    await early.query(`INSERT INTO deal (slug, kind, title, status) VALUES ('inserted-first', 'PARTNERSHIP', 'Inserted first, committed last', 'ANNOUNCED')`);
    await db.pool.query(`INSERT INTO deal (slug, kind, title, status) VALUES ('inserted-second', 'PARTNERSHIP', 'Inserted second, committed first', 'ANNOUNCED')`);
    await early.query('COMMIT');
  } finally {
    early.release();
  }
  await until(() => listening.events.length >= 2, 'both deals');
  expect(titles(listening.events)).toEqual(['Inserted second, committed first', 'Inserted first, committed last']);
  const { rows } = await db.pool.query(`SELECT d.slug FROM deal_announcement a JOIN deal d ON d.id = a.deal_id WHERE d.slug LIKE 'inserted-%' ORDER BY a.seq`);
  expect(rows.map((r) => r.slug)).toEqual(['inserted-second', 'inserted-first']);
  // A client resuming after the first committed gets the second: nothing skipped.
  const resumed = subscribe(a.url, { after: listening.events[0].data!.dealAnnounced.feedCursor });
  await until(() => resumed.events.length >= 1, 'the replay');
  expect(titles(resumed.events)).toEqual(['Inserted first, committed last']);
  await Promise.all([listening.stop(), resumed.stop()]);
});

test('a cursor that cannot be resumed is refused with an error naming after, and says what to do', async () => {
  const refusal = async (after: string) => {
    const s = subscribe(a.url, { after });
    await until(() => s.events.length > 0, 'the refusal');
    await s.stop();
    return s.events[0].errors?.[0];
  };
  expect(await refusal('not-a-cursor')).toMatchObject({
    message: '"not-a-cursor" is not a cursor of the deal feed: pass the feedCursor of the last deal you received.',
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
  expect(await refusal(feedCursor(10_000_000))).toMatchObject({ message: expect.stringContaining('ahead of the deal feed'), extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });

  // Retention: announcements older than DEAL_FEED_RETENTION_DAYS are removed (at start, then hourly).
  const { rows } = await db.pool.query<{ seq: string }>('SELECT seq FROM deal_announcement ORDER BY seq LIMIT 3');
  await db.pool.query(`UPDATE deal_announcement SET announced_at = now() - interval '8 days' WHERE seq <= $1`, [rows[2].seq]);
  const pruning = await startTestServer(db, { feed: true, env: { DEAL_FEED_RETENTION_DAYS: '7' } });
  try {
    await until(async () => (await db.pool.query('SELECT pruned_through FROM deal_feed_state')).rows[0].pruned_through === rows[2].seq, 'the old announcements to go');
    expect(await refusal(feedCursor(Number(rows[0].seq)))).toMatchObject({
      message: 'This cursor is older than the feed keeps (7 days): the announcements after it were removed. Read the deals you missed with deals (latest first), then subscribe without after.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
    });
    // The last one removed is still a place to resume from: nothing after it is missing.
    const fromEdge = subscribe(a.url, { after: feedCursor(Number(rows[2].seq)) });
    await until(() => fromEdge.events.length >= 1, 'the replay from the edge');
    expect(fromEdge.events[0].errors).toBeUndefined();
    await fromEdge.stop();
  } finally {
    await pruning.close();
  }
});

test("Deal.feedCursor over HTTP: one statement for a page of deals, null once retention removed a deal's announcement", async () => {
  const before = a.statements.statements;
  const data = await query(a.url, '{ deals(first: 20) { nodes { slug feedCursor } } }');
  expect(a.statements.statements - before).toBe(2);
  const nodes = (data.deals as { nodes: Array<{ slug: string; feedCursor: string | null }> }).nodes;
  expect(nodes.filter((n) => n.feedCursor !== null).length).toBeGreaterThan(10);
  const { rows } = await db.pool.query(`SELECT d.slug FROM deal d WHERE NOT EXISTS (SELECT 1 FROM deal_announcement a WHERE a.deal_id = d.id) LIMIT 1`);
  const gone = await gql(a.url, `{ deal(slug: "${rows[0].slug}") { feedCursor } }`);
  expect(gone.body).toEqual({ data: { deal: { feedCursor: null } } });
});
