import http from 'node:http';
import pg from 'pg';
import { QUERIES } from './queries';

/**
 * The floor over HTTP: a bare `node:http` server that answers `POST /<query id>` (Q1 ... Q4) with that
 * query's one hand-written SQL statement, its JSON passed through as text: no GraphQL, no framework,
 * no parsing of the answer. It is what any Node server answering these queries over HTTP spends at
 * the least, so beside it the benchmark shows what GraphQL costs here, and how much of a tail belongs
 * to HTTP on a machine whose cores the load generator, the server and PostgreSQL share. Run as its own
 * process by the benchmark (servers.ts), on the same Node as this service, with a pool of POOL_SIZE.
 */

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
// Named, so each connection plans a statement once, as this service's statements are.
const statements = new Map(QUERIES.map((q) => [`/${q.id}`, { name: `floor_${q.id}`, text: `SELECT answer::text AS answer FROM (${q.floor}) f` }]));

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const statement = statements.get(req.url ?? '');
    if (req.method !== 'POST' || !statement) {
      reply(res, 404, JSON.stringify({ errors: [{ message: `POST one of ${[...statements.keys()].join(', ')}` }] }));
      return;
    }
    pool.query<{ answer: string }>(statement).then(
      (result) => reply(res, 200, `{"data":${result.rows[0].answer}}`),
      (error: Error) => reply(res, 500, JSON.stringify({ errors: [{ message: error.message }] })),
    );
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
