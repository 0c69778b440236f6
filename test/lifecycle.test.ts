import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from './helpers/database';
import { pgCtl, run as runProcess, type Running, waitUntilReady } from './helpers/processes';
import { freePort, query, until } from './helpers/server';

// The real process, as `npm start` runs it: an empty DATA_DIR gets an embedded PostgreSQL seeded with
// the article; signals stop it cleanly; the data survives a restart; commands join the running server.

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  // Whatever a failed test left behind: its processes, its PostgreSQL, its directories.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

type Service = Running;

/** A process of the service or a command, killed after the test if it is still running. */
function run(script: string, args: string[], env: Record<string, string>): Running {
  const child = runProcess(script, args, env);
  cleanups.push(async () => {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  });
  return child;
}

async function stop(service: Service, signal: NodeJS.Signals): Promise<number | null> {
  service.process.kill(signal);
  return service.exited;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.chmod(dir, 0o755);
  cleanups.push(async () => {
    const pgData = path.join(dir, 'data', 'pg');
    if (await fs.access(path.join(pgData, 'postmaster.pid')).then(() => true, () => false)) pgCtl(['stop', '-D', pgData, '-m', 'immediate']);
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}

test('start on an empty DATA_DIR, stop, start again with the data kept', async () => {
  const dataDir = path.join(await tempDir('media-graph-life-'), 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: dataDir, PORT: String(port) };

  // First start: a new cluster, migrated and seeded with the article.
  const first = run('index.js', [], env);
  await waitUntilReady(url, first);
  expect(first.output()).toContain('initialising a new embedded PostgreSQL cluster');
  expect(first.output()).toContain('applied the article seed, version 2, which this database had not had');
  const seeded = await query(url, '{ studio(slug: "wanda-film") { name } deals { totalCount } }');
  expect(seeded).toEqual({ studio: { name: 'Wanda Film' }, deals: { totalCount: 6 } });

  // A command on the same DATA_DIR joins the running server and leaves it running.
  const seed = run('cli/db.js', ['seed'], env);
  expect(await seed.exited).toBe(0);
  expect(seed.output()).toContain('joining the embedded PostgreSQL already running on this DATA_DIR');
  expect(seed.output()).toContain('Seed "article" version 2 is already applied; nothing to do');
  expect((await fetch(`${url}/ready`)).status).toBe(200);

  // So do the keys and import commands.
  const key = run('cli/keys.js', ['create', '--role', 'editor', '--name', 'Lifecycle editor'], env);
  expect(await key.exited).toBe(0);
  expect(key.output()).toMatch(/Created EDITOR key "Lifecycle editor"\. Store it now: it will not be shown again\.\n\n {2}mgk_/);
  const editorKey = /(mgk_\S+)/.exec(key.output())![1];
  const created = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${editorKey}` },
    body: JSON.stringify({ query: 'mutation { createStudio(input: { name: "Made With A Command Key", kind: STUDIO }) { studio { slug version } } }' }),
  });
  expect(await created.json()).toEqual({ data: { createStudio: { studio: { slug: 'made-with-a-command-key', version: 1 } } } });
  const catalogue = path.join(path.dirname(dataDir), 'catalogue.jsonl');
  await fs.writeFile(catalogue, '{"title": "Joined Import", "releaseDate": "2010-01-01", "distributor": "STX Entertainment"}\n');
  const imported = run('cli/import.js', [catalogue], env);
  expect(await imported.exited).toBe(0);
  expect(imported.output()).toContain('Done: 1 records: 1 inserted, 0 updated, 0 unchanged, 0 rejected.');
  expect(await query(url, '{ film(slug: "joined-import-2010") { studios { edges { role node { slug } } } } }')).toEqual({
    film: { studios: { edges: [{ role: 'DISTRIBUTION', node: { slug: 'stx-entertainment' } }] } },
  });
  expect((await fetch(`${url}/ready`)).status).toBe(200);

  // Data written while running...
  const credentials = JSON.parse(await fs.readFile(path.join(dataDir, 'embedded.json'), 'utf8'));
  const pgPort = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: credentials.user, password: credentials.password, database: 'media_graph' });
  await client.connect();
  await client.query(`INSERT INTO studio (slug, name, kind) VALUES ('kept-across-restarts', 'Kept Across Restarts', 'STUDIO')`);
  // The key made on the command line is in the audit history: who ran it, which key, never the secret.
  const { rows: keyAudit } = await client.query(`SELECT actor, operation, after FROM audit_log WHERE entity_type = 'ApiKey'`);
  expect(keyAudit).toEqual([
    { actor: expect.stringMatching(/^keys command \(user .+\)$/), operation: 'createApiKey', after: expect.objectContaining({ name: 'Lifecycle editor', role: 'EDITOR', keyId: editorKey.slice(4, 16) }) },
  ]);
  expect(JSON.stringify(keyAudit)).not.toContain(editorKey.slice(17));
  await client.end();

  // ... SIGTERM stops the service and its PostgreSQL cleanly...
  expect(await stop(first, 'SIGTERM')).toBe(0);
  expect(first.output()).toContain('embedded PostgreSQL stopped');
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
  expect(await portOpen(pgPort)).toBe(false);

  // ... and is there after a restart, which neither re-initialises nor re-seeds.
  const second = run('index.js', [], env);
  await waitUntilReady(url, second);
  expect(second.output()).not.toContain('initialising');
  const editorKeyStillWorks = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${editorKey}` },
    body: JSON.stringify({ query: '{ studio(slug: "made-with-a-command-key") { name } }' }),
  });
  expect(await editorKeyStillWorks.json()).toEqual({ data: { studio: { name: 'Made With A Command Key' } } });
  expect(second.output()).not.toContain('seeded');
  const kept = await query(url, '{ studio(slug: "kept-across-restarts") { name } studios { totalCount } }');
  expect(kept).toEqual({ studio: { name: 'Kept Across Restarts' }, studios: { totalCount: 7 } });
  // Keys never reach the logs.
  expect(first.output()).not.toContain(editorKey.slice(17));
  expect(await stop(second, 'SIGINT')).toBe(0);
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
});

test('a command with nothing running starts the embedded server for its duration only', async () => {
  const dataDir = path.join(await tempDir('media-graph-cmd-'), 'data');
  const migrate = run('cli/db.js', ['migrate'], { DATA_DIR: dataDir });
  expect(await migrate.exited).toBe(0);
  expect(migrate.output()).toMatch(/Applied \d+ migration\(s\): Initial/);
  expect(migrate.output()).toContain('embedded PostgreSQL stopped');
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
  const keys = run('cli/keys.js', ['list'], { DATA_DIR: dataDir });
  expect(await keys.exited).toBe(0);
  expect(keys.output()).toContain('No API keys yet.');
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
});

test('with DATABASE_URL the service uses that server and starts nothing', async () => {
  const db = await createTestDatabase({ migrate: false });
  const dataDir = path.join(await tempDir('media-graph-ext-'), 'never-created');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = run('index.js', [], { DATABASE_URL: db.url, DATA_DIR: dataDir, PORT: String(port) });
  try {
    await waitUntilReady(url, service);
    // Migrated at start; an external database is not seeded behind the operator's back.
    expect(await query(url, '{ studios { totalCount } }')).toEqual({ studios: { totalCount: 0 } });
    expect(service.output()).toContain('using the external PostgreSQL of DATABASE_URL');
    const password = decodeURIComponent(new URL(db.url).password);
    if (password) expect(service.output()).not.toContain(password);
    await expect(fs.access(dataDir)).rejects.toThrow();
    expect(await stop(service, 'SIGTERM')).toBe(0);
  } finally {
    service.process.kill('SIGKILL');
    await db.drop();
  }
});

test('a port already in use is a clear startup error', async () => {
  const db = await createTestDatabase({ seed: false });
  const blocker = net.createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    const service = run('index.js', [], { DATABASE_URL: db.url, PORT: String(port) });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain(`port ${port} is already in use: set PORT to a free port`);
  } finally {
    blocker.close();
    await db.drop();
  }
});

test('a bad setting is refused at start with every problem listed', async () => {
  const service = run('index.js', [], { PORT: 'eighty', DATABASE_POOL_SIZE: '0' });
  expect(await service.exited).toBe(1);
  expect(service.output()).toContain('Invalid configuration:');
  expect(service.output()).toContain('PORT: PORT must be a whole number (got "eighty")');
  expect(service.output()).toContain('DATABASE_POOL_SIZE: DATABASE_POOL_SIZE must be between 1 and 200 (got "0")');
});

(process.getuid?.() === 0 ? test : test.skip)('as root, a DATA_DIR the postgres user cannot reach is explained before initdb fails', async () => {
  const locked = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-locked-'));
  await fs.chmod(locked, 0o700);
  cleanups.push(() => fs.rm(locked, { recursive: true, force: true }));
  const service = run('index.js', [], { DATA_DIR: path.join(locked, 'data'), PORT: String(await freePort()) });
  expect(await service.exited).toBe(1);
  expect(service.output()).toContain(`that user cannot enter ${locked} (mode 700)`);
  expect(service.output()).toContain('Set DATA_DIR to a directory outside it');
});

test('WORKERS=2: the primary starts the embedded PostgreSQL once, two workers share the port, SIGTERM stops them all and then PostgreSQL', async () => {
  const dataDir = path.join(await tempDir('media-graph-workers-'), 'data');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = run('index.js', [], { DATA_DIR: dataDir, PORT: String(port), WORKERS: '2' });
  await waitUntilReady(url, service);
  // Ready means one worker answers; wait for the primary to report both.
  await until(() => service.output().includes(`ready: 2 workers share port ${port}`), () => `both workers to start:\n${service.output()}`, 30_000);
  const log = service.output();
  expect(log.match(/initialising a new embedded PostgreSQL cluster/g)).toHaveLength(1);
  expect(log.match(/applied the article seed, version \d+, which this database had not had/g)).toHaveLength(1);
  expect(log).not.toContain('joining the embedded PostgreSQL');
  expect(log.match(/"worker":\d+,.*ready: GraphQL API and playground/g)).toHaveLength(2);

  // New connections are spread over the workers: both answer, and both are children of the primary.
  const pids = new Set<number>();
  for (let i = 0; i < 40 && pids.size < 2; i++) {
    const health = await fetch(`${url}/health`, { headers: { connection: 'close' } });
    pids.add(((await health.json()) as { pid: number }).pid);
  }
  expect(pids.size).toBe(2);
  for (const pid of pids) {
    const parent = Number((await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')[1]);
    expect(parent).toBe(service.process.pid);
  }
  // Every worker answers the same data.
  const answers = await Promise.all(Array.from({ length: 6 }, () => query(url, '{ deals { totalCount } }')));
  expect(answers).toEqual(Array(6).fill({ deals: { totalCount: 6 } }));

  const pgPort = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  expect(await stop(service, 'SIGTERM')).toBe(0);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  expect(service.output()).toContain('embedded PostgreSQL stopped');
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
  expect(await portOpen(pgPort)).toBe(false);
});
