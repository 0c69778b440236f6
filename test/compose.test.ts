import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config';
import { startNodeArgs } from '../bench/src/servers';

// The production compose file and the Dockerfile: checked for what the README promises of them, and
// by a compose client's own `config` where one is installed (no Docker engine is needed for that).

const root = path.join(__dirname, '..');
const composeFile = path.join(root, 'docker', 'compose.yaml');
const compose = parse(fs.readFileSync(composeFile, 'utf8'), { merge: true });
const services = compose.services as Record<string, any>;

/** `${NAME}`, `${NAME:?message}` and `${NAME:-default}` filled in as compose would with `env`. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::[?-]([^}]*))?\}/g, (_m, name: string, fallback?: string) => env[name] ?? fallback ?? '');
}

const topology = (file: string) => path.join(root, 'docker', 'topology', file);
const API = ['api1', 'api2', 'api3'];
const PG = ['pg1', 'pg2', 'pg3'];

test('it is the topology the topology test runs: etcd, three Patroni nodes, HAProxy, PgBouncer, the migrations, three API instances', () => {
  expect(Object.keys(services).sort()).toEqual(['api1', 'api2', 'api3', 'etcd', 'haproxy', 'migrate', 'pg1', 'pg2', 'pg3', 'pgbouncer']);
  // One source for both: the files test/topology starts its hosts with.
  for (const name of PG) {
    expect(services[name].command).toEqual(['patroni', '/srv/docker/topology/patroni.yml']);
    expect(services[name].environment).toMatchObject({ PATRONI_NAME: name, PATRONI_RESTAPI_CONNECT_ADDRESS: `${name}:8008`, PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${name}:5432`, PATRONI_ETCD3_HOSTS: 'etcd:2379' });
  }
  expect(services.haproxy.volumes).toContain('./topology/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  expect(services.pgbouncer.command).toEqual(['/srv/docker/topology/pgbouncer-start.sh']);
  expect(fs.readFileSync(topology('pgbouncer-start.sh'), 'utf8')).toContain('pgbouncer.ini');
  expect(fs.readFileSync(topology('pgbouncer.ini'), 'utf8')).toMatch(/^pool_mode = transaction$/m);
  // HAProxy knows every host compose names, by the names the test's hosts files give them.
  const haproxy = fs.readFileSync(topology('haproxy.cfg'), 'utf8');
  for (const name of [...API, ...PG]) expect(haproxy).toContain(`server ${name} ${name}:`);
  expect(haproxy).toMatch(/option httpchk GET \/primary/);
  expect(haproxy).toMatch(/option httpchk GET \/replica\?lag=1MB/);
  const patroni = parse(fs.readFileSync(topology('patroni.yml'), 'utf8'));
  expect(patroni.bootstrap.dcs).toMatchObject({ synchronous_mode: true, synchronous_mode_strict: true });
});

test('every long-running service has a health check, the API\'s on /ready; the migrations run once, before any API starts', () => {
  for (const [name, service] of Object.entries(services)) {
    if (name === 'migrate') continue;
    expect([name, service.healthcheck?.test]).toEqual([name, expect.any(Array)]);
  }
  for (const name of API) {
    expect(services[name].healthcheck.test.join(' ')).toContain('/ready');
    expect(services[name].depends_on.migrate.condition).toBe('service_completed_successfully');
  }
  expect(services.migrate.command.join(' ')).toContain('node dist/cli/db.js migrate');
});

test('secrets come from the environment, never from the file', () => {
  const text = fs.readFileSync(composeFile, 'utf8');
  for (const match of text.matchAll(/(PASSWORD: |:\/\/media_graph:)(\$\{[^}]*\}|[^\s@]+)/g)) expect(match[2]).toMatch(/^\$\{\w+(:\?[^}]*)?\}$/);
  expect(services.pg1.environment.PATRONI_SUPERUSER_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
});

test('the API instances are configured for it: writes and reads through PgBouncer, LISTEN through HAProxy to the primary, shared rate limits', () => {
  for (const name of API) {
    const env = Object.fromEntries(Object.entries(services[name].environment as Record<string, string>).map(([k, v]) => [k, interpolate(String(v), { MEDIA_GRAPH_PASSWORD: 'pw' })]));
    const config = loadConfig(env);
    expect(new URL(config.databaseUrl!).host).toBe('pgbouncer:6432');
    expect(config.replicaUrls.map((u) => new URL(u).pathname)).toEqual(['/media_graph_read']);
    // LISTEN needs a session: HAProxy's primary port, not transaction pooling.
    expect(new URL(config.listenUrl!).host).toBe('haproxy:5000');
    expect(config.pooler).toBe('pgbouncer');
    expect(config.rateLimit.store).toBe('postgres');
    expect(config.trustProxy).toBe(true);
  }
});

test('the Dockerfile is multi-stage and runs as a non-root user', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'docker', 'Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
  const user = /^USER (\S+)/m.exec(dockerfile)?.[1];
  expect(user).toBeDefined();
  expect(['root', '0']).not.toContain(user);
});

test('the image runs Node with the flags of npm start (the memory and GC settings measured in bench/results.md)', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'docker', 'Dockerfile'), 'utf8');
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
  const start = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start as string;
  const flags = startNodeArgs(start);
  expect(flags).toEqual(expect.arrayContaining(['--max-semi-space-size=32', '--heap-growing-percent=50']));
  expect(cmd).toEqual(['node', ...flags, 'dist/index.js']);
});

function composeClient(): { command: string; args: string[]; legacy: boolean } | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return { command: 'docker', args: ['compose'], legacy: false };
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return { command: 'docker-compose', args: [], legacy: true };
  return undefined;
}

const client = composeClient();
(client ? test : test.skip)(`the compose client accepts the file (${client ? `${client.command} ${client.args.join(' ')}`.trim() : 'no compose client installed: skipped'})`, () => {
  let file = composeFile;
  let copy: string | undefined;
  if (client!.legacy) {
    // docker-compose 1.x predates the top-level `name`; everything else it checks as v2 does.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'media-graph-compose-'));
    file = path.join(copy, 'compose.yaml');
    fs.writeFileSync(file, fs.readFileSync(composeFile, 'utf8').replace(/^name: .*$/m, ''));
    fs.cpSync(path.join(root, 'docker'), copy, { recursive: true, filter: (src) => !src.endsWith('compose.yaml') });
  }
  try {
    const output = execFileSync(client!.command, [...client!.args, '-f', file, 'config'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, POSTGRES_PASSWORD: 'pw', REPLICATION_PASSWORD: 'rpw', MEDIA_GRAPH_PASSWORD: 'mpw' },
    });
    expect(output).toContain('service_completed_successfully');
    // Without the secrets, the file refuses to start rather than run with an empty password.
    const missing = spawnSync(client!.command, [...client!.args, '-f', file, 'config'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set POSTGRES_PASSWORD');
  } finally {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  }
});
