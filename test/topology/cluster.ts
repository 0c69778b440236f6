import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { until } from '../helpers/until';
import { createNetwork, hostPids, HOSTS, type HostName, type HostProcess, killHost, removeNetwork, runOn } from './network';

/**
 * The production topology on the test's own hosts, from Debian's packages and the configuration
 * files in docker/topology (the ones docker/compose.yaml mounts): etcd; three PostgreSQL nodes under
 * Patroni with synchronous replication; HAProxy (HTTP over the API instances, PostgreSQL to the
 * primary and to the replicas, by Patroni's REST health checks); PgBouncer in transaction mode in
 * front of HAProxy; three API instances.
 */
export const root = path.join(__dirname, '..', '..');
const config = (file: string) => path.join(root, 'docker', 'topology', file);

export const PASSWORD = 'topology-test';
export const PG_NODES = ['pg1', 'pg2', 'pg3'] as const;
export const API_NODES = ['api1', 'api2', 'api3'] as const;
export type PgNode = (typeof PG_NODES)[number];
export type ApiNode = (typeof API_NODES)[number];

/** What each program needs, and the Debian package it comes from (.ci/run installs them). */
export const PROGRAMS = { etcd: 'etcd-server', patroni: 'patroni', haproxy: 'haproxy', pgbouncer: 'pgbouncer', setpriv: 'util-linux' } as const;

export function missingPrograms(): string[] {
  const missing: Array<[string, string]> = Object.entries(PROGRAMS).filter(([program]) => {
    try {
      execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (!fs.existsSync('/usr/lib/postgresql/15/bin/postgres')) missing.push(['postgres 15', 'postgresql-15']);
  return missing.map(([program, pkg]) => `${program} (Debian package ${pkg})`);
}

export const apiUrl = (node: ApiNode) => `http://${HOSTS[node]}:4000`;
export const LB_URL = `http://${HOSTS.haproxy}:4000`;
/** The primary, through HAProxy (as the API's LISTEN connection reaches it). */
export const PRIMARY_URL = `postgres://media_graph:${PASSWORD}@${HOSTS.haproxy}:5000/media_graph`;
/** A replica, through HAProxy. */
export const REPLICAS_URL = `postgres://media_graph:${PASSWORD}@${HOSTS.haproxy}:5001/media_graph`;
export const SUPERUSER_URL = (node: PgNode) => `postgres://postgres:${PASSWORD}@${HOSTS[node]}:5432/media_graph`;

interface Member {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
  timeline?: number;
}

export class Topology {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-graph-topology-'));
  private readonly processes = new Map<string, HostProcess>();
  /** An editor's API key, for writes. */
  editorKey = '';

  constructor(private readonly apiEnv: Record<string, string> = {}) {
    fs.chmodSync(this.dir, 0o755);
  }

  /** Everything running: prints what each step took. */
  async start(): Promise<void> {
    const began = Date.now();
    createNetwork();
    this.startEtcd();
    await until(async () => (await fetch(`http://${HOSTS.etcd}:2379/health`).then((r) => r.ok, () => false)), () => `etcd to answer:\n${this.output('etcd')}`, 30_000);
    for (const node of PG_NODES) this.startPatroni(node);
    await this.waitForCluster(3, 120_000);
    const cluster = Date.now();
    this.startHaproxy();
    this.startPgbouncer();
    await this.waitForRouting();
    await this.runCommand('api1', 'migrate', ['cli/db.js', 'migrate']);
    await this.runCommand('api1', 'seed', ['cli/db.js', 'seed']);
    this.editorKey = /(mgk_\S+)/.exec(await this.runCommand('api1', 'keys', ['cli/keys.js', 'create', '--role', 'editor', '--name', 'Topology']))![1];
    for (const node of API_NODES) this.startApi(node);
    for (const node of API_NODES) await this.waitForApi(node);
    await until(async () => (await this.upServers('api')).length === API_NODES.length, 'HAProxy to send requests to the three instances', 30_000);
    console.log(`topology up in ${((Date.now() - began) / 1000).toFixed(1)} s (Patroni cluster with a synchronous standby: ${((cluster - began) / 1000).toFixed(1)} s)`);
  }

  async stop(): Promise<void> {
    const exits = [...this.processes.values()].map((p) => p.exited);
    removeNetwork();
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  output(name: string): string {
    return this.processes.get(name)?.output() ?? `(${name} never started)`;
  }

  private track(process: HostProcess): HostProcess {
    this.processes.set(process.name, process);
    return process;
  }

  private startEtcd(): void {
    const data = path.join(this.dir, 'etcd');
    this.track(
      runOn('etcd', 'etcd', [
        'etcd',
        '--name=etcd',
        `--data-dir=${data}`,
        '--listen-client-urls=http://0.0.0.0:2379',
        '--advertise-client-urls=http://etcd:2379',
        '--listen-peer-urls=http://0.0.0.0:2380',
        '--initial-advertise-peer-urls=http://etcd:2380',
        '--initial-cluster=etcd=http://etcd:2380',
        '--log-level=warn',
      ]),
    );
  }

  /** Starts (or starts again, after a kill) Patroni on a node; a node with data rejoins as it can. */
  startPatroni(node: PgNode): void {
    const home = path.join(this.dir, node);
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    execFileSync('chown', ['-R', 'postgres:postgres', home]);
    this.track(
      runOn(node, node, ['patroni', config('patroni.yml')], {
        user: 'postgres',
        cwd: root,
        env: {
          HOME: home,
          PATRONI_NAME: node,
          PATRONI_RESTAPI_CONNECT_ADDRESS: `${node}:8008`,
          PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${node}:5432`,
          PATRONI_POSTGRESQL_DATA_DIR: path.join(home, 'data'),
          PATRONI_POSTGRESQL_PGPASS: path.join(home, 'pgpass'),
          PATRONI_ETCD3_HOSTS: 'etcd:2379',
          PATRONI_SUPERUSER_PASSWORD: PASSWORD,
          PATRONI_REPLICATION_PASSWORD: PASSWORD,
          PATRONI_REWIND_PASSWORD: PASSWORD,
          MEDIA_GRAPH_PASSWORD: PASSWORD,
        },
      }),
    );
  }

  private startHaproxy(): void {
    this.track(runOn('haproxy', 'haproxy', ['haproxy', '-W', '-db', '-f', config('haproxy.cfg')]));
  }

  private startPgbouncer(): void {
    const home = path.join(this.dir, 'pgbouncer');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'userlist.txt'), `"media_graph" "${PASSWORD}"\n`);
    // The shared file, with this host's own place for the password file.
    const ini = fs.readFileSync(config('pgbouncer.ini'), 'utf8').replace(/^auth_file = .*$/m, `auth_file = ${path.join(home, 'userlist.txt')}`);
    fs.writeFileSync(path.join(home, 'pgbouncer.ini'), ini);
    execFileSync('chown', ['-R', 'postgres:postgres', home]);
    this.track(runOn('pgbouncer', 'pgbouncer', ['pgbouncer', path.join(home, 'pgbouncer.ini')], { user: 'postgres' }));
  }

  /** The API's environment: as docker/compose.yaml gives it. */
  private apiEnvironment(): Record<string, string> {
    return {
      HOME: this.dir,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '0.0.0.0',
      PORT: '4000',
      DATABASE_URL: `postgres://media_graph:${PASSWORD}@pgbouncer:6432/media_graph`,
      DATABASE_REPLICA_URLS: `postgres://media_graph:${PASSWORD}@pgbouncer:6432/media_graph_read`,
      DATABASE_POOLER: 'pgbouncer',
      DATABASE_LISTEN_URL: `postgres://media_graph:${PASSWORD}@haproxy:5000/media_graph`,
      RATE_LIMIT_STORE: 'postgres',
      TRUST_PROXY: 'true',
      ...this.apiEnv,
    };
  }

  /** A command of the service (dist/cli) on an API host, straight to the primary; its output. */
  async runCommand(host: ApiNode, name: string, args: string[]): Promise<string> {
    const env = { ...this.apiEnvironment(), DATABASE_URL: this.apiEnvironment().DATABASE_LISTEN_URL };
    const command = this.track(runOn(host, name, [process.execPath, path.join(root, 'dist', args[0]), ...args.slice(1)], { env, cwd: root }));
    const code = await command.exited;
    if (code !== 0) throw new Error(`${name} exited with ${code}:\n${command.output()}`);
    return command.output();
  }

  startApi(node: ApiNode): void {
    this.track(runOn(node, node, [process.execPath, '--max-semi-space-size=32', '--heap-growing-percent=50', path.join(root, 'dist', 'index.js')], { env: this.apiEnvironment(), cwd: root }));
  }

  async waitForApi(node: ApiNode, timeoutMs = 60_000): Promise<void> {
    await until(async () => (await fetch(`${apiUrl(node)}/ready`).then((r) => r.status, () => 0)) === 200, () => `${node} to be ready:\n${this.output(node)}`, timeoutMs);
  }

  /** The servers of an HAProxy backend (`api`, `primary`, `replicas`) that it has up (its statistics, as CSV). */
  async upServers(backend: string): Promise<string[]> {
    const csv = await fetch(`http://${HOSTS.haproxy}:8404/stats;csv`).then((r) => r.text(), () => '');
    return csv
      .split('\n')
      .map((line) => line.split(','))
      .filter((fields) => fields[0] === backend && fields[1] !== 'BACKEND' && fields[1] !== 'FRONTEND' && fields[17] === 'UP')
      .map((fields) => fields[1]);
  }

  /** Until HAProxy sends its primary port to the primary and its replica port to a replica. */
  async waitForRouting(timeoutMs = 30_000): Promise<void> {
    const inRecovery = async (url: string) => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        return (await client.query('SELECT pg_is_in_recovery() AS standby')).rows[0].standby as boolean;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    // HAProxy (2.6) counts a server as up until its checks say otherwise (two failed checks, about
    // 2 s): until then its primary port may send a session to a replica, and cut it (on-marked-down
    // shutdown-sessions) once the checks mark that replica down. A migration started in that window
    // failed with "Connection terminated unexpectedly". So first the checks' verdict: one primary,
    // every replica in the read rotation.
    await until(
      async () => (await this.upServers('primary')).length === 1 && (await this.upServers('replicas')).length === PG_NODES.length - 1,
      `HAProxy's checks to find one primary and ${PG_NODES.length - 1} replicas`,
      timeoutMs,
    );
    await until(async () => (await inRecovery(PRIMARY_URL)) === false && (await inRecovery(REPLICAS_URL)) === true, 'HAProxy to route to the primary and to a replica', timeoutMs);
  }

  /**
   * Stops (SIGSTOP) or resumes a replica's WAL replay: its startup process. It goes on receiving
   * and confirming WAL (a synchronous standby still acknowledges commits), but answers reads as of
   * the moment it stopped, and Patroni sees its replay fall behind. (pg_wal_replay_pause() would not
   * hold: Patroni resumes a paused replay on its next loop.)
   */
  freezeReplay(node: PgNode, frozen: boolean): void {
    const startup = hostPids(node).filter((pid) => {
      try {
        return /startup/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        return false;
      }
    });
    if (startup.length !== 1) throw new Error(`${node} has ${startup.length} startup processes: is it a replica?`);
    process.kill(startup[0], frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** kill -9 every process of a host. */
  kill(host: HostName): void {
    killHost(host);
  }

  async members(): Promise<Member[]> {
    for (const node of PG_NODES) {
      const cluster = (await fetch(`http://${HOSTS[node]}:8008/cluster`, { signal: AbortSignal.timeout(1_000) }).then((r) => (r.ok ? r.json() : undefined), () => undefined)) as { members?: Member[] } | undefined;
      if (cluster?.members) return cluster.members;
    }
    return [];
  }

  /** The cluster as Patroni sees it, and the end of each node's output: for failure messages. */
  diagnosis(): string {
    return PG_NODES.map((n) => `--- ${n}\n${this.output(n).split('\n').filter((line) => !/no action|Lock owner/.test(line)).slice(-40).join('\n')}`).join('\n');
  }

  /** The node Patroni has as leader, once one is running. */
  async leader(): Promise<PgNode | undefined> {
    const member = (await this.members()).find((m) => m.role === 'leader' && m.state === 'running');
    return member?.name as PgNode | undefined;
  }

  /** Waits for a running leader, `members - 1` streaming replicas, and a synchronous standby among them. */
  async waitForCluster(members: number, timeoutMs: number): Promise<Member[]> {
    let last: Member[] = [];
    await until(
      async () => {
        last = await this.members();
        const leader = last.filter((m) => m.role === 'leader' && m.state === 'running');
        // On the leader's timeline: a node that came back with WAL the new primary never had must
        // have been rewound to follow it.
        const replicas = last.filter(
          (m) => (m.role === 'replica' || m.role === 'sync_standby') && (m.state === 'streaming' || m.state === 'running') && typeof m.lag === 'number' && m.timeline === leader[0]?.timeline,
        );
        return leader.length === 1 && replicas.length === members - 1 && replicas.some((m) => m.role === 'sync_standby');
      },
      () => `a Patroni cluster of ${members} with a synchronous standby (last seen ${JSON.stringify(last)}):\n${PG_NODES.map((n) => `--- ${n}\n${this.output(n).slice(-3000)}`).join('\n')}`,
      timeoutMs,
    );
    return last;
  }
}
