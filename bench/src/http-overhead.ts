import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { processCpuMs } from './cpu';

/**
 * What Fastify costs over node:http, alone: the same POST of a GraphQL-sized JSON body, parsed, and
 * the same 1 KB JSON answer, from a bare node:http server and from a Fastify server with the settings
 * the service uses (request ids, a body limit, JSON parsing). No database, no GraphQL: only the HTTP
 * layer, which is what moved from one to the other. Each server is its own process; rounds alternate;
 * the ratio is the median of the rounds' ratios. Run: npm run bench:http [-- rounds seconds connections]
 */

const ANSWER = JSON.stringify({ data: { studio: { name: 'Wanda Film', films: { nodes: Array.from({ length: 12 }, (_, i) => ({ title: `Film number ${i}`, releasedOn: '2016-07-22' })) } } } });
const BODY = JSON.stringify({ query: '{ studio(slug: "wanda-film") { name films(first: 12) { nodes { title releasedOn } } } }' });

function serveNode(port: number): void {
  http
    .createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        JSON.parse(body);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ANSWER), 'x-request-id': req.headers['x-request-id'] ?? crypto.randomUUID() });
        res.end(ANSWER);
      });
    })
    .listen(port, '127.0.0.1');
}

function serveFastify(port: number): void {
  const app = Fastify({ bodyLimit: 1_048_576, requestIdHeader: 'x-request-id', genReqId: () => crypto.randomUUID(), logger: false });
  app.addHook('onSend', async (request, reply) => void reply.header('x-request-id', request.id));
  app.post('/graphql', async (_request, reply) => reply.type('application/json; charset=utf-8').send(ANSWER));
  void app.listen({ port, host: '127.0.0.1' });
}

interface Round {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
}

async function load(child: ChildProcess, port: number, seconds: number, connections: number): Promise<Round> {
  const before = processCpuMs(child.pid!);
  const result = await autocannon({ url: `http://127.0.0.1:${port}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, connections, duration: seconds });
  const cpu = processCpuMs(child.pid!) - before;
  if (result.errors || result.non2xx) throw new Error(`errors while measuring port ${port}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuMsPerRequest: cpu / result.requests.total };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const [rounds = 5, seconds = 5, connections = 10] = process.argv.slice(2).map(Number);
  const ports = { node: 24_101, fastify: 24_102 };
  const children = Object.fromEntries(
    Object.entries(ports).map(([kind, port]) => [kind, spawn(process.execPath, [__filename, 'serve', kind, String(port)], { stdio: 'inherit' })]),
  ) as Record<keyof typeof ports, ChildProcess>;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Warm-up, both.
    for (const kind of ['node', 'fastify'] as const) await load(children[kind], ports[kind], 2, connections);
    const results: Record<'node' | 'fastify', Round[]> = { node: [], fastify: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['node', 'fastify'] as const) : (['fastify', 'node'] as const);
      for (const kind of order) results[kind].push(await load(children[kind], ports[kind], seconds, connections));
    }
    const ratios = results.node.map((n, i) => results.fastify[i].rps / n.rps);
    const cpuRatios = results.node.map((n, i) => results.fastify[i].cpuMsPerRequest / n.cpuMsPerRequest);
    console.log(`HTTP layer alone: ${rounds} alternating rounds of ${seconds} s at ${connections} connections, Node ${process.version}\n`);
    console.log('| server | requests/s | p50 ms | p99 ms | server CPU ms/request |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const kind of ['node', 'fastify'] as const) {
      const r = results[kind];
      console.log(`| ${kind === 'node' ? 'node:http' : 'Fastify 5'} | ${median(r.map((x) => x.rps)).toFixed(0)} | ${median(r.map((x) => x.p50)).toFixed(1)} | ${median(r.map((x) => x.p99)).toFixed(1)} | ${median(r.map((x) => x.cpuMsPerRequest)).toFixed(3)} |`);
    }
    console.log(`\nFastify / node:http: throughput ${median(ratios).toFixed(2)}x, CPU per request ${median(cpuRatios).toFixed(2)}x (medians of the rounds' ratios)`);
  } finally {
    for (const child of Object.values(children)) child.kill('SIGTERM');
  }
}

if (process.argv[2] === 'serve') {
  if (process.argv[3] === 'fastify') serveFastify(Number(process.argv[4]));
  else serveNode(Number(process.argv[4]));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
