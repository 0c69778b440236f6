import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { feedSubscribers, query, startTestServer, type TestServer, until } from './helpers/server';

// WebSocket connections and running subscriptions are limited per caller (an API key, or an address
// without one) on each instance: a connection over the limit is closed with code 4290 and a reason
// that says what to do; a subscription over the limit is refused with TOO_MANY_SUBSCRIPTIONS while
// the caller's other subscriptions keep running.

let db: TestDatabase;
let server: TestServer;
let editorKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  editorKey = (await createApiKey(db.queryable, 'Socket editor', Role.EDITOR)).key;
  server = await startTestServer(db, { feed: true, env: { WS_MAX_CONNECTIONS_PER_CALLER: '2', WS_MAX_SUBSCRIPTIONS_PER_CALLER: '3' } });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.close();
  await db?.drop();
});

/** A connection, resolved once the server accepted it, or with the close code and reason it was refused with. */
function connect(key?: string): Promise<{ client: Client } | { code: number; reason: string }> {
  return new Promise((resolve) => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: key ? { authorization: `Bearer ${key}` } : undefined,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: {
        connected: () => resolve({ client }),
        closed: (event) => resolve({ code: (event as { code: number }).code, reason: (event as { reason: string }).reason }),
      },
    });
    clients.push(client);
  });
}

interface Events {
  next: string[];
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  stop: () => void;
}

function subscribe(client: Client): Events {
  const events: Events = { next: [], errors: [], stop: () => undefined };
  events.stop = client.subscribe(
    { query: 'subscription { dealAnnounced { title } }' },
    { next: (v) => events.next.push((v.data as { dealAnnounced: { title: string } }).dealAnnounced.title), error: (e) => events.errors.push(...(e as Events['errors'])), complete: () => undefined },
  );
  return events;
}

test('a caller over its connection limit is closed with code 4290 and a reason that says what to do; an API key counts apart', async () => {
  const first = await connect();
  const second = await connect();
  expect('client' in first && 'client' in second).toBe(true);
  expect(await connect()).toEqual({
    code: 4290,
    reason: 'Too many WebSocket connections from this address: at most 2; close one, or share one.',
  });
  // With a key, the key has its own count.
  expect('client' in (await connect(editorKey))).toBe(true);
  // Closing one makes room.
  await (first as { client: Client }).client.dispose();
  await until(async () => 'client' in (await connect()), 'room for another connection');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/mediagraph_websocket_refused_total\{limit="connections"\} [1-9]/);
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});

test('a caller over its subscription limit is refused that one subscription; the others keep running', async () => {
  const connected = await connect(editorKey);
  if (!('client' in connected)) throw new Error(`refused: ${connected.reason}`);
  const running = [subscribe(connected.client), subscribe(connected.client), subscribe(connected.client)];
  await until(async () => (await feedSubscribers(server.url)) === 3, 'three subscriptions');
  const refused = subscribe(connected.client);
  await until(() => refused.errors.length > 0, 'the refusal');
  expect(refused.errors[0]).toMatchObject({
    message: 'Too many subscriptions from this API key: at most 3 running at once on this instance. Complete one before starting another; the others keep running.',
    extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 },
  });
  // The three still receive deals.
  await query(server.url, 'mutation { createDeal(input: { kind: PARTNERSHIP, title: "Still running", parties: [{ studio: "alibaba-pictures", role: PARTNER }, { studio: "amblin-partners", role: PARTNER }] }) { deal { id } } }', undefined, { key: editorKey });
  await until(() => running.every((s) => s.next.length === 1), 'the deal on every running subscription');
  expect(running.map((s) => s.next)).toEqual([['Still running'], ['Still running'], ['Still running']]);
  // Completing one makes room for another.
  running[0].stop();
  await until(async () => (await feedSubscribers(server.url)) === 2, 'the completed subscription to end');
  const another = subscribe(connected.client);
  await until(async () => (await feedSubscribers(server.url)) === 3, 'the new subscription');
  expect(another.errors).toEqual([]);
});
