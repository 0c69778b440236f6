import pg from 'pg';
import { until } from '../helpers/until';
import { API_NODES, apiUrl, LB_URL, missingPrograms, PG_NODES, type PgNode, PRIMARY_URL, SUPERUSER_URL, Topology } from './cluster';
import { answered, feedSubscribers, longestGap, post, readLoad, storedTitles, subscribe, writeLoad } from './load';
import { HOSTS, setLink } from './network';

/**
 * The production topology, run for real on hosts this test makes (docker/topology has its
 * configuration, shared with docker/compose.yaml). Each test prints what it measured.
 */
if (process.getuid?.() !== 0) throw new Error('the topology test makes network namespaces and runs PostgreSQL as the postgres user: run it as root');
const missing = missingPrograms();
if (missing.length) throw new Error(`the topology test needs ${missing.join(', ')}: .ci/run installs them with apt-get`);

// Anonymous callers get 30 requests a minute (the rate-limit test); the other tests call with a key.
const topology = new Topology({ RATE_LIMIT_ANONYMOUS_PER_MINUTE: '30', RATE_LIMIT_BURST: '10', RATE_LIMIT_KEY_PER_MINUTE: '1000000' });
const keyed = () => ({ authorization: `Bearer ${topology.editorKey}` });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

beforeAll(async () => {
  await topology.start();
}, 300_000);

afterAll(async () => {
  await topology.stop();
}, 60_000);

test('the load balancer spreads requests over the three instances; losing one loses no acknowledged write and no retried read', async () => {
  const before = await Promise.all(API_NODES.map((node) => answered(apiUrl(node), 'Spread')));
  for (let i = 0; i < 60; i++) {
    const { body } = await post(LB_URL, 'query Spread { studio(slug: "stx-entertainment") { name } }', {}, keyed());
    expect(body).toEqual({ data: { studio: { name: 'STX Entertainment' } } });
  }
  const shares = (await Promise.all(API_NODES.map((node) => answered(apiUrl(node), 'Spread')))).map((n, i) => n - before[i]);
  console.log(`60 reads through HAProxy, answered by api1/api2/api3: ${shares.join(' / ')}`);
  expect(shares.reduce((a, b) => a + b, 0)).toBe(60);
  for (const share of shares) expect(share).toBeGreaterThanOrEqual(15);

  const writes = writeLoad(LB_URL, topology.editorKey, 'Instance loss');
  const reads = readLoad(LB_URL, keyed());
  await until(() => writes.acknowledged.length >= 20 && reads.reads >= 20, 'load before the kill', 30_000);
  const killedAt = Date.now();
  topology.kill('api2');
  await until(() => writes.ackTimes.filter((t) => t > killedAt + 3_000).length >= 20, 'writes to go on without api2', 30_000);
  await Promise.all([writes.stop(), reads.stop()]);

  const stored = await storedTitles(PRIMARY_URL, writes.acknowledged);
  console.log(
    `api2 killed under load: ${writes.acknowledged.length} writes acknowledged (all stored: ${stored.size}), ${writes.failed} failed attempts; ` +
      `${reads.reads} reads, ${reads.retried} retried, ${reads.errors.length} failed after retrying; longest wait between writes ${seconds(longestGap(writes.ackTimes, killedAt))}`,
  );
  expect(reads.errors).toEqual([]);
  expect(stored.size).toBe(writes.acknowledged.length);

  topology.startApi('api2');
  await topology.waitForApi('api2');
  await until(async () => (await topology.upServers('api')).length === 3, 'HAProxy to send requests to api2 again', 30_000);
});

// Before the failovers: a rate-limit store that cannot be asked lets a request through (by design),
// and an instance finds a pooled connection the failover broke only when it next uses it.
test('rate limits are shared by the three instances', async () => {
  // A caller of its own (HAProxy passes its address on in X-Forwarded-For; TRUST_PROXY=true).
  // 30 a minute in bursts of 10: 10 requests per 20 s window, counted in PostgreSQL for all three.
  const caller = { 'x-forwarded-for': '203.0.113.9' };
  const before = await Promise.all(API_NODES.map((node) => answered(apiUrl(node), 'Limited')));
  const statuses: number[] = [];
  for (let i = 0; i < 45; i++) statuses.push((await fetch(`${LB_URL}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...caller }, body: JSON.stringify({ query: 'query Limited { studio(slug: "amblin-partners") { name } }' }) })).status);
  const shares = (await Promise.all(API_NODES.map((node) => answered(apiUrl(node), 'Limited')))).map((n, i) => n - before[i]);
  const refused = statuses.filter((s) => s === 429).length;
  console.log(`45 requests of one caller over three instances, a budget of 10 per 20 s: ${45 - refused} answered (by api1/api2/api3: ${shares.join(' / ')}), ${refused} refused`);
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(refused).toBe(35);
  // Answered by more than one instance: each counted the others' requests.
  expect(shares.filter((n) => n > 0).length).toBeGreaterThan(1);
});

/**
 * A primary lost under a steady write load (kill -9 of its host's every process, or its network cut):
 * Patroni promotes the synchronous standby, HAProxy follows its REST checks, PgBouncer reconnects,
 * writes resume; every acknowledged write is on the new primary, and a subscriber on api1 receives
 * every acknowledged deal (most written through api2 and api3) once, across the failover.
 */
async function failover(label: string, lose: (primary: PgNode) => void, recover: (primary: PgNode) => void): Promise<void> {
  const primary = (await topology.leader())!;
  expect(PG_NODES).toContain(primary);
  const subscriber = subscribe(apiUrl('api1'), topology.editorKey);
  // Nothing else subscribes: once api1 counts one, this subscription runs and every later deal reaches it.
  await until(async () => (await feedSubscribers(apiUrl('api1'))) === 1, 'the subscription on api1');
  const writes = writeLoad(LB_URL, topology.editorKey, label);
  await until(() => writes.acknowledged.length >= 20, 'writes before the failover', 30_000);

  const lostAt = Date.now();
  lose(primary);
  let newPrimary: PgNode;
  let promotedAt: number;
  try {
    await until(async () => {
      const leader = await topology.leader();
      return leader !== undefined && leader !== primary;
    }, `a new primary after losing ${primary}`, 60_000);
    promotedAt = Date.now();
    await until(() => writes.ackTimes.some((t) => t > promotedAt), () => `writes to resume:\n${topology.diagnosis()}`, 60_000);
    await until(() => writes.ackTimes.filter((t) => t > promotedAt).length >= 20, 'writes after the failover', 60_000);
    newPrimary = (await topology.leader())!;
  } catch (error) {
    await writes.stop();
    await subscriber.client.dispose();
    recover(primary);
    // The next tests need the whole cluster again.
    await topology.waitForCluster(3, 120_000).catch(() => undefined);
    throw error;
  }
  await writes.stop();

  const stored = await storedTitles(PRIMARY_URL, writes.acknowledged);
  const outage = longestGap(writes.ackTimes, lostAt);
  console.log(
    `${label}: ${primary} lost, ${newPrimary} promoted after ${seconds(promotedAt - lostAt)}; writes resumed after ${seconds(outage)} ` +
      `(the longest wait between two acknowledgements); ${writes.acknowledged.length} acknowledged, ${stored.size} of them stored, ${writes.failed} failed attempts`,
  );
  expect(writes.acknowledged.length - stored.size).toBe(0);
  expect(outage).toBeLessThan(30_000);

  // The subscriber on api1 gets every acknowledged deal exactly once (unacknowledged ones may come too).
  const missing = () => writes.acknowledged.filter((t) => !subscriber.titles.includes(t));
  try {
    await until(() => missing().length === 0, 'api1\'s subscriber to receive every acknowledged deal', 30_000);
  } catch (error) {
    const client = new pg.Client({ connectionString: PRIMARY_URL });
    await client.connect();
    const { rows } = await client.query('SELECT a.seq, d.title FROM deal_announcement a JOIN deal d ON d.id = a.deal_id WHERE d.title LIKE $1 ORDER BY a.seq', [`${label}%`]);
    await client.end();
    const feedLog = topology.output('api1').split('\n').filter((line) => /feed|announce|"level":50/.test(line)).join('\n');
    recover(primary);
    await topology.waitForCluster(3, 120_000).catch(() => undefined);
    throw new Error(`${(error as Error).message}: missing ${missing().join(', ')}\nerrors: ${JSON.stringify(subscriber.errors).slice(0, 2000)}\nannounced: ${rows.map((r) => `${r.seq} ${r.title.replace(label, '')}${subscriber.titles.includes(r.title) ? '' : ' (not received)'}`).join(', ')}\nreceived: ${subscriber.titles.map((t) => t.replace(label, '')).join(', ')}\n${feedLog.slice(-6000)}`);
  }
  expect(new Set(subscriber.titles).size).toBe(subscriber.titles.length);
  expect(subscriber.errors).toEqual([]);
  console.log(`${label}: api1's subscriber received all ${writes.acknowledged.length} acknowledged deals once, ${subscriber.titles.length} events in all`);
  await subscriber.client.dispose();
  await until(async () => (await feedSubscribers(apiUrl('api1'))) === 0, 'the subscription on api1 to end');

  // The lost node comes back as a replica (pg_rewind when it has WAL the new primary never had).
  recover(primary);
  const members = await topology.waitForCluster(3, 120_000);
  expect(members.find((m) => m.name === primary)?.role).not.toBe('leader');
}

test('kill -9 of the primary host under write load: a standby is promoted, writes resume, no acknowledged write is lost', async () => {
  await failover('Crash failover', (primary) => topology.kill(primary), (primary) => topology.startPatroni(primary));
});

test('the primary cut off the network under write load: a standby is promoted, writes resume, no acknowledged write is lost', async () => {
  await failover('Partition failover', (primary) => setLink(primary, false), (primary) => setLink(primary, true));
});


/** Runs SQL on one node as the superuser, straight (not through HAProxy). */
async function onNode(node: PgNode, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: SUPERUSER_URL(node), connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

const replicasOf = async () => {
  const leader = await topology.leader();
  return PG_NODES.filter((node) => node !== leader);
};

test('a client reads its own write through another instance while the replicas are behind (X-Read-After)', async () => {
  const replicas = await replicasOf();
  const read = (url: string, headers: Record<string, string> = {}) => post(url, '{ studio(slug: "read-your-writes-pictures") { name } }', {}, { ...keyed(), ...headers });
  for (const node of replicas) topology.freezeReplay(node, true);
  try {
    const created = await fetch(`${apiUrl('api1')}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...keyed() },
      body: JSON.stringify({ query: 'mutation { createStudio(input: { name: "Read Your Writes Pictures", kind: STUDIO }) { studio { slug } } }' }),
    });
    expect(await created.json()).toEqual({ data: { createStudio: { studio: { slug: 'read-your-writes-pictures' } } } });
    const position = created.headers.get('x-read-after')!;
    expect(position).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // Another instance, reading from the replicas (both behind): without the position, the old answer;
    // with it, the write.
    expect((await read(apiUrl('api2'))).body).toEqual({ data: { studio: null } });
    expect((await read(apiUrl('api2'), { 'x-read-after': position })).body).toEqual({ data: { studio: { name: 'Read Your Writes Pictures' } } });
    for (let i = 0; i < 6; i++) expect((await read(LB_URL, { 'x-read-after': position })).body).toEqual({ data: { studio: { name: 'Read Your Writes Pictures' } } });
    console.log(`read-your-writes: written through api1 at ${position}, read back through api2 and HAProxy with both replicas' replay stopped`);
  } finally {
    for (const node of replicas) topology.freezeReplay(node, false);
  }
});

/** The replicas HAProxy sends reads to. */
const inReadRotation = () => topology.upServers('replicas');

test('a replica that lags or is cut off is taken out of the read rotation, and reads go on', async () => {
  // The asynchronous replica: losing the synchronous one would hold writes until Patroni picks another.
  const members = await topology.members();
  const lagging = members.find((m) => m.role === 'replica')!.name as PgNode;
  const other = members.find((m) => m.role === 'sync_standby')!.name;
  await until(async () => (await inReadRotation()).length === 2, 'both replicas in the read rotation', 30_000);
  const reads = readLoad(LB_URL, keyed());

  // Lagging: its replay stopped while the primary moves on (a WAL switch: to the next 16 MB
  // segment), past the 1 MB that HAProxy's check of Patroni (GET /replica?lag=1MB) allows.
  topology.freezeReplay(lagging, true);
  const leader = (await topology.leader())!;
  await onNode(leader, 'CREATE TEMP TABLE nudge AS SELECT 1; SELECT pg_switch_wal()');
  let began = Date.now();
  try {
    await until(async () => (await inReadRotation()).join() === other, `${lagging} out of the read rotation`, 30_000);
  } finally {
    topology.freezeReplay(lagging, false);
  }
  const lagOut = Date.now() - began;
  await until(async () => (await inReadRotation()).length === 2, `${lagging} back in the read rotation`, 30_000);

  // Cut off: its link down.
  setLink(lagging, false);
  began = Date.now();
  let cutOut: number;
  try {
    await until(async () => (await inReadRotation()).join() === other, `${lagging} out of the read rotation once cut off`, 30_000);
    cutOut = Date.now() - began;
    const readsBefore = reads.reads;
    await until(() => reads.reads >= readsBefore + 40, 'reads while it is out', 30_000);
  } finally {
    setLink(lagging, true);
  }
  await until(async () => (await inReadRotation()).length === 2, `${lagging} back in the read rotation`, 60_000);
  await reads.stop();
  console.log(
    `read rotation: ${lagging} out ${seconds(lagOut)} after falling 16 MB behind, ${seconds(cutOut)} after being cut off; ` +
      `${reads.reads} reads through HAProxy meanwhile, ${reads.retried} retried, ${reads.errors.length} failed after retrying`,
  );
  expect(reads.errors).toEqual([]);
});

/** Patroni's synchronous mode on or off (its dynamic configuration), once the cluster shows it. */
async function synchronous(on: boolean): Promise<void> {
  const leader = (await topology.leader())!;
  const response = await fetch(`http://${HOSTS[leader]}:8008/config`, { method: 'PATCH', body: JSON.stringify({ synchronous_mode: on, synchronous_mode_strict: on }) });
  expect(response.status).toBe(200);
  await until(async () => {
    const rows = await onNode(leader, "SELECT count(*)::int AS n FROM pg_stat_replication WHERE sync_state = 'sync'");
    return (rows[0].n === 1) === on;
  }, `synchronous replication ${on ? 'on' : 'off'}`, 30_000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('what synchronous replication costs a write, measured', async () => {
  const timings: Record<string, number[]> = {};
  let n = 0;
  const writes = async (label: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const began = performance.now();
      const { body } = await post(LB_URL, 'mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { title } } }', { input: { kind: 'PARTNERSHIP', title: `Cost ${++n}`, parties: [{ studio: 'alibaba-pictures', role: 'PARTNER' }, { studio: 'amblin-partners', role: 'PARTNER' }] } }, keyed());
      expect(body.errors).toBeUndefined();
      (timings[label] ??= []).push(performance.now() - began);
    }
  };
  try {
    // Alternating rounds, so that the machine's noise falls on both.
    for (let round = 0; round < 4; round++) {
      for (const on of [true, false]) {
        await synchronous(on);
        await writes(on ? 'sync' : 'async', 25);
      }
    }
  } finally {
    await synchronous(true);
  }
  const sync = median(timings.sync);
  const async = median(timings.async);
  const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)];
  console.log(
    `createDeal through HAProxy and PgBouncer, one at a time, 100 each: synchronous median ${sync.toFixed(1)} ms (p90 ${p90(timings.sync).toFixed(1)}), ` +
      `asynchronous ${async.toFixed(1)} ms (p90 ${p90(timings.async).toFixed(1)}): +${(sync - async).toFixed(1)} ms a write`,
  );
  expect(timings.sync).toHaveLength(100);
  expect(timings.async).toHaveLength(100);
});
