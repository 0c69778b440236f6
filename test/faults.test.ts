import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { killOrphans } from '../src/db/supervisor';
import { startWriteLoad, tally, type Outcome } from './helpers/load';
import { embeddedConnection, kill, pgCtl, run, type Running, scratchCluster, startService } from './helpers/processes';
import { freePort, until } from './helpers/server';

// Fault injection with real processes: the service and its embedded PostgreSQL, broken the ways they
// break in production. PostgreSQL killed (-9) or shut down from outside under four concurrent writers,
// during a command's import, and with DATABASE_URL; the service killed mid-write; SIGTERM right after
// a burst of requests. Each time: the service stays up and heals, every acknowledged write is in the
// database, and no write reported as failed is.

let dir: string;
let dataDir: string;
let port: number;
let url: string;
let service: Running;
let key: string;
const others: Running[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-faults-'));
  await fs.chmod(dir, 0o755);
  dataDir = path.join(dir, 'data');
  port = await freePort();
  ({ service, url } = await startService({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '10000' }, port));
  const created = run('cli/keys.js', ['create', '--role', 'editor', '--name', 'Faults'], { DATA_DIR: dataDir });
  expect(await created.exited).toBe(0);
  key = /(mgk_\S+)/.exec(created.output())![1];
}, 90_000);

afterAll(async () => {
  for (const child of [service, ...others]) if (child) await kill(child);
  try {
    pgCtl(['stop', '-D', path.join(dataDir, 'pg'), '-m', 'immediate']);
  } catch {
    // already stopped
  }
  await fs.rm(dir, { recursive: true, force: true });
});

async function postmasterPid(): Promise<number | undefined> {
  const text = await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
  return text ? Number(text.split('\n')[0]) : undefined;
}

async function readyStatus(base = url): Promise<number> {
  return fetch(`${base}/ready`).then(
    (r) => r.status,
    () => 0,
  );
}

/** The studios whose names start with `prefix`, read straight from PostgreSQL. */
async function storedNames(prefix: string, connection?: string): Promise<Set<string>> {
  let config: pg.ClientConfig;
  if (connection) config = { connectionString: connection };
  else {
    const { port: pgPort, user, password } = await embeddedConnection(dataDir);
    config = { host: '127.0.0.1', port: pgPort, user, password, database: 'media_graph' };
  }
  const client = new pg.Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM studio WHERE name LIKE $1', [`${prefix} %`]);
    return new Set(rows.map((r) => r.name));
  } finally {
    await client.end();
  }
}

/** Acknowledged but missing, and reported failed but stored: both must be empty. */
function lostAndPhantom(outcomes: Outcome[], stored: Set<string>) {
  return {
    lost: outcomes.filter((o) => o.acknowledged && !stored.has(o.name)).map((o) => o.name),
    phantom: outcomes.filter((o) => !o.acknowledged && stored.has(o.name)).map((o) => `${o.name} (${o.code})`),
  };
}

async function restartsInMetrics(): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^mediagraph_embedded_postgres_restarts_total (\d+)/m.exec(text)?.[1] ?? NaN);
}

/**
 * PostgreSQL goes away under four writers, by `signal` to its postmaster: the service process stays
 * up, starts PostgreSQL again (crash recovery), and answers every request in between with
 * SERVICE_UNAVAILABLE and Retry-After, never a reset connection or an internal error.
 */
async function postgresGoesAway(signal: NodeJS.Signals, prefix: string, restartsBefore: number): Promise<void> {
  const pid = (await postmasterPid())!;
  const load = startWriteLoad(url, key, { writers: 4, prefix });
  await until(() => load.outcomes.filter((o) => o.acknowledged).length >= 40, 'writes before the fault', 30_000);
  process.kill(pid, signal);
  const hit = Date.now();
  // Back by itself within 15 s: a new postmaster, ready, and writes acknowledged again.
  await until(async () => (await postmasterPid()) !== pid && (await readyStatus()) === 200, 'the service to be ready again', 15_000);
  const failedBefore = load.outcomes.length;
  await until(() => load.outcomes.slice(failedBefore).some((o) => o.acknowledged), 'a write acknowledged after the restart', 15_000);
  const healedMs = Date.now() - hit;
  const outcomes = await load.stop();

  expect(service.process.exitCode).toBeNull();
  const failed = outcomes.filter((o) => !o.acknowledged);
  // The fault was felt, and every failure says the database was unavailable, nothing else.
  expect(failed.length).toBeGreaterThan(0);
  const unexpected = failed.filter((o) => o.code !== 'SERVICE_UNAVAILABLE' || o.status !== 503);
  if (unexpected.length) {
    const errors = service.output().split('\n').filter((line) => /"level":(50|60)/.test(line)).slice(-10).join('\n');
    throw new Error(`unexpected failures ${JSON.stringify(tally(unexpected))}; the service's last errors:\n${errors}`);
  }
  expect(failed.every((o) => o.retryAfter === '1')).toBe(true);
  expect(lostAndPhantom(outcomes, await storedNames(prefix))).toEqual({ lost: [], phantom: [] });
  expect(await restartsInMetrics()).toBe(restartsBefore + 1);
  expect(service.output()).toContain('the embedded PostgreSQL is running again (after crash recovery)');
  console.log(`${signal} to the postmaster: healed in ${healedMs} ms; ${tally(outcomes)['200 OK']} writes acknowledged, ${failed.length} refused with 503`);
}

test('kill -9 of PostgreSQL under four writers: the service stays up, restarts it, and loses nothing acknowledged', async () => {
  await postgresGoesAway('SIGKILL', 'Kill9', 0);
}, 90_000);

test('PostgreSQL shut down from outside (SIGINT) under four writers: the same', async () => {
  await postgresGoesAway('SIGINT', 'Sigint', 1);
}, 90_000);

test('a command run after PostgreSQL restarted joins it and leaves it running for the service', async () => {
  const pid = await postmasterPid();
  const keys = run('cli/keys.js', ['list'], { DATA_DIR: dataDir });
  expect(await keys.exited).toBe(0);
  expect(keys.output()).toContain('joining the embedded PostgreSQL already running on this DATA_DIR');
  expect(keys.output()).toContain('embedded PostgreSQL left running: other processes still use it');
  expect(await postmasterPid()).toBe(pid);
  expect(await readyStatus()).toBe(200);
});

test('PostgreSQL dies during an import: the service heals, the import stops with a clear message and resumes', async () => {
  const file = path.join(dir, 'catalogue.jsonl');
  const records = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ title: `Fault Film ${i}`, releaseDate: '2015-06-01', distributor: 'STX Entertainment' }));
  await fs.writeFile(file, `${records.join('\n')}\n`);
  const first = run('cli/import.js', [file, '--batch-size', '50', '--max-rate', '600'], { DATA_DIR: dataDir }, dir);
  others.push(first);
  await until(() => /\d+\/3000 records/.test(first.output()), 'the import to make progress', 30_000);
  process.kill((await postmasterPid())!, 'SIGKILL');
  expect(await first.exited).toBe(1);
  expect(first.output()).toContain('the database went away');
  expect(first.output()).toContain('run the same command again to resume');

  await until(async () => (await readyStatus()) === 200, 'the service to heal', 15_000);
  expect(service.process.exitCode).toBeNull();
  const second = run('cli/import.js', [file, '--batch-size', '50'], { DATA_DIR: dataDir }, dir);
  others.push(second);
  expect(await second.exited).toBe(0);
  expect(second.output()).toMatch(/Resuming import run \d+ of .* after record [1-9]\d* of 3000\./);
  expect(second.output()).toContain('Done: 3000 records');
  const films = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ films(search: "Fault Film", first: 1) { totalCount } }' }),
  });
  expect(((await films.json()) as any).data.films.totalCount).toBe(3000);
}, 120_000);

test.each([0, 20, 300])('SIGTERM %i ms after a burst of 50 requests: every one is answered', async (delay) => {
  if (service.process.exitCode !== null || service.process.signalCode !== null) ({ service, url } = await startService({ DATA_DIR: dataDir }, port));
  const requests = Array.from({ length: 50 }, (_, i) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(
        i % 2
          ? { query: '{ search(query: "alibaba", first: 5) { edges { node { __typename } } } }' }
          : { query: 'mutation ($name: String!) { createStudio(input: { name: $name, kind: STUDIO }) { studio { name } } }', variables: { name: `Burst ${delay} ${i}` } },
      ),
    }).then(
      async (response) => `${response.status} ${((await response.json()) as any).errors?.[0]?.extensions?.code ?? 'OK'}`,
      (error: Error & { cause?: { code?: string } }) => `NETWORK ${error.cause?.code ?? error.message}`,
    ),
  );
  setTimeout(() => service.process.kill('SIGTERM'), delay);
  const answers = await Promise.all(requests);
  expect(answers.filter((a) => a !== '200 OK')).toEqual([]);
  expect(await service.exited).toBe(0);
}, 60_000);

test('kill -9 of the service mid-write: after a restart, every acknowledged write is there', async () => {
  ({ service, url } = await startService({ DATA_DIR: dataDir }, port));
  const load = startWriteLoad(url, key, { writers: 4, prefix: 'Killed' });
  await until(() => load.outcomes.filter((o) => o.acknowledged).length >= 40, 'writes before the kill', 30_000);
  await kill(service);
  const outcomes = await load.stop();
  // PostgreSQL outlives the service; the next start joins it.
  ({ service, url } = await startService({ DATA_DIR: dataDir }, port));
  expect(service.output()).toContain('joining the embedded PostgreSQL already running on this DATA_DIR');
  const stored = await storedNames('Killed');
  const { lost, phantom } = lostAndPhantom(outcomes, stored);
  expect(lost).toEqual([]);
  // A write cut off by the kill may or may not have committed: only those refused with an answer must be absent.
  expect(phantom.filter((p) => !p.includes('NETWORK'))).toEqual([]);
  // The killed service's lease is stale: stopping this one stops PostgreSQL.
  service.process.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(service.output()).toContain('embedded PostgreSQL stopped');
  expect(await postmasterPid()).toBeUndefined();
}, 90_000);

test('SIGTERM with a write in flight: it completes, /ready says the service is draining, then the port closes', async () => {
  // The write waits on a row lock for as long as the test says: no statement timeout or deadline cuts it.
  ({ service, url } = await startService({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '10000', SQL_STATEMENT_TIMEOUT_MS: '60000', REQUEST_DEADLINE_MS: '60000' }, port));
  const { port: pgPort, user, password } = await embeddedConnection(dataDir);
  const blocker = new pg.Client({ host: '127.0.0.1', port: pgPort, user, password, database: 'media_graph' });
  blocker.on('error', () => undefined);
  await blocker.connect();
  const post = (query: string, variables?: Record<string, unknown>) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const studio = ((await (await post('{ studio(slug: "wanda-film") { id version } }')).json()) as any).data.studio;
  // Someone else holds the row: the update below stays in flight until they let go.
  await blocker.query('BEGIN');
  await blocker.query(`SELECT id FROM studio WHERE slug = 'wanda-film' FOR UPDATE`);
  const inFlight = post('mutation ($id: ID!, $v: Int!) { updateStudio(id: $id, expectedVersion: $v, input: { headquarters: "Beijing" }) { studio { version headquarters } } }', {
    id: studio.id,
    v: studio.version,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
  await until(async () => {
    const { rows } = await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`);
    return rows[0].n > 0;
  }, 'the update to wait for the row');

  service.process.kill('SIGTERM');
  await until(() => service.output().includes('shutting down'), 'the shutdown to start', 5_000);
  expect(await readyStatus()).toBe(503);
  // Once nothing new has come for a moment, the port closes; the write is still in flight.
  await until(async () => (await readyStatus()) === 0, 'the listener to close', 10_000);

  await blocker.query('ROLLBACK');
  await blocker.end();
  expect(await inFlight).toEqual({ status: 200, body: { data: { updateStudio: { studio: { version: studio.version + 1, headquarters: 'Beijing' } } } } });
  expect(await service.exited).toBe(0);
  expect(service.output()).toContain('embedded PostgreSQL stopped');
  expect(await postmasterPid()).toBeUndefined();
}, 60_000);

test('PostgreSQL that cannot start again: the service stops trying after 5 starts in a minute, says why, and stays up', async () => {
  const brokenDir = path.join(dir, 'broken');
  const brokenPort = await freePort();
  const { service: broken, url: brokenUrl } = await startService({ DATA_DIR: brokenDir }, brokenPort);
  others.push(broken);
  // A configuration PostgreSQL refuses, then the postmaster dies: every start fails from now on.
  await fs.appendFile(path.join(brokenDir, 'pg', 'postgresql.conf'), '\nshared_buffers = nonsense\n');
  const pid = Number((await fs.readFile(path.join(brokenDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  await until(() => broken.output().includes('the embedded PostgreSQL keeps failing'), 'the supervisor to give up', 40_000);
  expect(broken.process.exitCode).toBeNull();
  const ready = await fetch(`${brokenUrl}/ready`);
  expect(ready.status).toBe(503);
  const body = (await ready.json()) as { reason: string };
  expect(body.reason).toContain('The embedded PostgreSQL is no longer restarted: it had to be started 5 times within a minute');
  expect(body.reason).toContain('shared_buffers');
  const metrics = await (await fetch(`${brokenUrl}/metrics`)).text();
  expect(metrics).toMatch(/^mediagraph_embedded_postgres_given_up 1$/m);
  const answer = await fetch(`${brokenUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ studios { totalCount } }"}' });
  expect(answer.status).toBe(503);
  expect(((await answer.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
  await kill(broken);
}, 90_000);

test('with DATABASE_URL: the service waits for the server at start and comes back by itself after it restarts', async () => {
  const external = await scratchCluster(path.join(dir, 'external'), await freePort());
  const servicePort = await freePort();
  const base = `http://127.0.0.1:${servicePort}`;
  try {
    // Down before the service starts: it waits, saying so, and is ready once the server is up.
    external.stop();
    const waiting = run('index.js', [], { DATABASE_URL: external.url, PORT: String(servicePort), RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0', RATE_LIMIT_KEY_PER_MINUTE: '0' });
    others.push(waiting);
    await until(() => waiting.output().includes('the database is not reachable while applying the migrations; waiting for it'), 'the service to wait', 20_000);
    expect(waiting.process.exitCode).toBeNull();
    external.start();
    await until(async () => (await readyStatus(base)) === 200, 'the service to be ready', 30_000);

    const keyed = run('cli/keys.js', ['create', '--role', 'editor', '--name', 'External'], { DATABASE_URL: external.url });
    expect(await keyed.exited).toBe(0);
    const externalKey = /(mgk_\S+)/.exec(keyed.output())![1];
    const load = startWriteLoad(base, externalKey, { writers: 4, prefix: 'External' });
    await until(() => load.outcomes.filter((o) => o.acknowledged).length >= 40, 'writes before the fault', 30_000);
    process.kill(await external.postmasterPid(), 'SIGKILL');
    await until(() => load.outcomes.slice(-4).some((o) => o.code === 'SERVICE_UNAVAILABLE'), 'the outage to be felt', 10_000);
    // The operator's server comes back (crash recovery); nothing is done to the service.
    await killOrphans(external.pgData);
    await fs.rm(path.join(external.pgData, 'postmaster.pid'), { force: true });
    external.start();
    const after = load.outcomes.length;
    await until(() => load.outcomes.slice(after).some((o) => o.acknowledged), 'writes acknowledged again', 15_000);
    const outcomes = await load.stop();
    expect(waiting.process.exitCode).toBeNull();
    const failed = outcomes.filter((o) => !o.acknowledged);
    expect(tally(failed)).toEqual({ '503 SERVICE_UNAVAILABLE': failed.length });
    expect(lostAndPhantom(outcomes, await storedNames('External', external.url))).toEqual({ lost: [], phantom: [] });
    waiting.process.kill('SIGTERM');
    expect(await waiting.exited).toBe(0);
  } finally {
    try {
      pgCtl(['stop', '-D', external.pgData, '-m', 'immediate']);
    } catch {
      // already stopped
    }
  }
}, 120_000);
