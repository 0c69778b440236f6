import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * Hosts of the topology test: one network namespace each (`ip netns`), joined by veth pairs to a
 * bridge that has no other port, so that nothing leaves the machine. The test itself runs in the
 * root namespace, on the bridge's address. Each host's /etc/hosts (`/etc/netns/<ns>/hosts`, which
 * `ip netns exec` mounts) names every other host, so the configuration files in docker/topology use
 * the same host names here as in docker/compose.yaml.
 */
export const SUBNET = '10.77.0';
const BRIDGE = 'mgbr0';
const PREFIX = 'mg-';

export const HOSTS = {
  etcd: `${SUBNET}.10`,
  pg1: `${SUBNET}.11`,
  pg2: `${SUBNET}.12`,
  pg3: `${SUBNET}.13`,
  haproxy: `${SUBNET}.20`,
  pgbouncer: `${SUBNET}.21`,
  api1: `${SUBNET}.31`,
  api2: `${SUBNET}.32`,
  api3: `${SUBNET}.33`,
} as const;

export type HostName = keyof typeof HOSTS;

const namespace = (host: HostName) => `${PREFIX}${host}`;
const hostLink = (host: HostName) => `mgv-${host}`;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quietly(run: () => unknown): void {
  try {
    run();
  } catch {
    // already gone
  }
}

/** Removes whatever an earlier run left: the namespaces (killing what runs in them), the bridge. */
export function removeNetwork(): void {
  const hosts = Object.keys(HOSTS) as HostName[];
  for (const host of hosts) killHost(host);
  // A namespace (and its end of a veth pair) lives on until its last process is gone.
  for (let waited = 0; hosts.some((host) => hostPids(host).length > 0) && waited < 100; waited++) execFileSync('sleep', ['0.05']);
  for (const host of hosts) {
    quietly(() => ip('netns', 'delete', namespace(host)));
    quietly(() => ip('link', 'delete', hostLink(host)));
    fs.rmSync(`/etc/netns/${namespace(host)}`, { recursive: true, force: true });
  }
  quietly(() => ip('link', 'delete', BRIDGE));
}

/** Makes the bridge and every host, each with loopback up and its address on eth0. */
export function createNetwork(): void {
  removeNetwork();
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${SUBNET}.1/24`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  const hostsFile = ['127.0.0.1 localhost', ...Object.entries(HOSTS).map(([name, address]) => `${address} ${name}`)].join('\n') + '\n';
  for (const [host, address] of Object.entries(HOSTS) as [HostName, string][]) {
    const ns = namespace(host);
    ip('netns', 'add', ns);
    ip('link', 'add', hostLink(host), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('link', 'set', hostLink(host), 'master', BRIDGE, 'up');
    ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    fs.mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    fs.writeFileSync(`/etc/netns/${ns}/hosts`, hostsFile);
  }
}

/** Cuts a host off the network (its link on the bridge goes down), or puts it back. */
export function setLink(host: HostName, up: boolean): void {
  ip('link', 'set', hostLink(host), up ? 'up' : 'down');
}

/** The pids of every process in a host's namespace. */
export function hostPids(host: HostName): number[] {
  try {
    return ip('netns', 'pids', namespace(host)).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** kill -9 every process of a host, as a machine that loses power. */
export function killHost(host: HostName): void {
  for (const pid of hostPids(host)) quietly(() => process.kill(pid, 'SIGKILL'));
}

export interface HostProcess {
  host: HostName;
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs a command on a host (as `user` when given, through setpriv, which execs: no extra process),
 * keeping the last 64 KB of its output for failure messages.
 */
export function runOn(host: HostName, name: string, command: string[], options: { env?: Record<string, string>; cwd?: string; user?: string } = {}): HostProcess {
  const asUser = options.user ? ['setpriv', `--reuid=${options.user}`, `--regid=${options.user}`, '--init-groups', '--'] : [];
  const child = spawn('ip', ['netns', 'exec', namespace(host), ...asUser, ...command], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { host, name, child, output: () => output, exited };
}
