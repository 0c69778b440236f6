import net from 'node:net';
import { loadConfig } from '../src/config';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { run, type Running, waitUntilReady } from './helpers/processes';
import { freePort, gql } from './helpers/server';

// DATABASE_POOLER=pgbouncer: PgBouncer in transaction mode refuses startup parameters it does not
// know ("unsupported startup parameter"). A loopback proxy in front of PostgreSQL reads each
// connection's startup message, as PgBouncer would, and records the parameters sent.

const PGBOUNCER_ACCEPTS = new Set(['user', 'database', 'application_name', 'client_encoding', 'DateStyle', 'TimeZone', 'standard_conforming_strings']);

let db: TestDatabase;
let proxy: net.Server;
const startups: Array<Record<string, string>> = [];
let service: Running | undefined;

/** The key/value pairs of a StartupMessage (protocol 3.0), or undefined for another first packet. */
function startupParameters(packet: Buffer): Record<string, string> | undefined {
  if (packet.length < 8 || packet.readInt32BE(4) !== 196608) return undefined;
  const parts = packet.subarray(8, packet.readInt32BE(0)).toString('utf8').split('\0').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) params[parts[i]] = parts[i + 1];
  return params;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const target = new URL(db.url);
  proxy = net.createServer((client) => {
    const server = net.connect(Number(target.port), target.hostname);
    client.once('data', (first) => {
      const params = startupParameters(first);
      if (params) startups.push(params);
      server.write(first);
      client.pipe(server);
      server.pipe(client);
    });
    const close = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', close);
    server.on('error', close);
    client.on('close', close);
    server.on('close', close);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  const pooled = new URL(db.url);
  pooled.host = `127.0.0.1:${port}`;
  const httpPort = await freePort();
  service = run('index.js', [], { DATABASE_URL: pooled.toString(), DATABASE_LISTEN_URL: db.url, DATABASE_POOLER: 'pgbouncer', PORT: String(httpPort) });
  await waitUntilReady(`http://127.0.0.1:${httpPort}`, service);
  const answer = await gql(`http://127.0.0.1:${httpPort}`, '{ studios(first: 3) { nodes { slug } } deals { totalCount } }');
  expect(answer.body.errors).toBeUndefined();
}, 60_000);

afterAll(async () => {
  if (service && service.process.exitCode === null) {
    service.process.kill('SIGTERM');
    await service.exited;
  }
  proxy?.close();
  await db?.drop();
});

test('through the pooler the service sends only startup parameters PgBouncer accepts (pool, readiness checks, rate limits)', () => {
  expect(startups.length).toBeGreaterThanOrEqual(2);
  for (const params of startups) expect(Object.keys(params).filter((key) => !PGBOUNCER_ACCEPTS.has(key))).toEqual([]);
  // Both the pool and the readiness checks' control pool went through it.
  expect(new Set(startups.map((p) => p.application_name))).toEqual(new Set(['media-graph', 'media-graph control']));
});

test('the migrations and the live feed use the direct session, not the pooler', () => {
  const names = startups.map((p) => p.application_name);
  expect(names).not.toContain('media-graph migration lock');
  expect(names).not.toContain('media-graph migrations');
  expect(names).not.toContain('media-graph deal feed');
});

test('DATABASE_POOLER=pgbouncer without a direct DATABASE_LISTEN_URL is refused at start, saying why', () => {
  expect(() => loadConfig({ DATABASE_URL: 'postgres://bouncer/db', DATABASE_POOLER: 'pgbouncer' })).toThrow(
    'DATABASE_LISTEN_URL: with DATABASE_POOLER=pgbouncer, set it to a direct connection to the primary',
  );
});
