import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadDataset, sizeAt } from '../src/dataset';
import { POSTGRAPHILE_FUNCTIONS } from '../src/prepare';
import { QUERIES } from '../src/queries';
import { checkAnswers, type HttpFloor, START_NODE_ARGS, startHttpFloor, startPostGraphile, stopProcesses, type Server } from '../src/servers';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { startTestServer, type TestServer } from '../../test/helpers/server';

// The benchmark's smoke test: on a tiny generated dataset, its four queries give the same answers
// from this service, from PostGraphile 5 and from the one-statement SQL floor. Nothing is timed here;
// `npm run bench` measures.

let db: TestDatabase;
let ours: TestServer;
let postgraphile: Server | undefined;
let httpFloor: HttpFloor | undefined;

beforeAll(async () => {
  db = await createTestDatabase({ seed: false });
  const client = await db.pool.connect();
  try {
    await loadDataset(client, sizeAt(0.02), 7, () => undefined);
    for (const sql of POSTGRAPHILE_FUNCTIONS) await client.query(sql);
  } finally {
    client.release();
  }
  ours = await startTestServer(db);
  postgraphile = await startPostGraphile(db.url, 2);
  httpFloor = await startHttpFloor(db.url, 2);
}, 120_000);

afterAll(async () => {
  await stopProcesses([postgraphile?.process, httpFloor?.process].filter((child) => child !== undefined));
  await ours?.close();
  await db?.drop();
});

test('the generated dataset has the shape the benchmark describes', async () => {
  const { rows } = await db.pool.query<{ studios: number; films: number; deals: number; parties: string; credits: string }>(
    `SELECT (SELECT count(*)::int FROM studio) AS studios, (SELECT count(*)::int FROM film) AS films, (SELECT count(*)::int FROM deal) AS deals,
            (SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM deal_party GROUP BY deal_id) x) AS parties,
            (SELECT min(n) || '-' || max(n) FROM (SELECT count(*) AS n FROM film_studio GROUP BY film_id) x) AS credits`,
  );
  expect(rows[0]).toEqual({ studios: 40, films: 1000, deals: 400, parties: '2-4', credits: '2-3' });
});

test('every query gives the same answer from this service, PostGraphile 5, the SQL floor and the floor over HTTP', async () => {
  const checked: string[] = [];
  await checkAnswers(
    [
      { name: 'ours', url: ours.url },
      { name: 'postgraphile', url: postgraphile!.url },
    ],
    db.url,
    (line) => checked.push(line),
    httpFloor,
  );
  expect(checked).toEqual(QUERIES.map((q) => `${q.id}: the same answer from ours, postgraphile, the floor, the floor over HTTP.`));
});

test('the floor over HTTP answers only its queries, and says which', async () => {
  const wrong = await fetch(`${httpFloor!.url}/graphql`, { method: 'POST', body: '{"query":"{ __typename }"}' });
  expect(wrong.status).toBe(404);
  expect(await wrong.json()).toEqual({ errors: [{ message: `POST one of ${QUERIES.map((q) => `/${q.id}`).join(', ')}` }] });
  const right = await fetch(`${httpFloor!.url}/${QUERIES[3].id}`, { method: 'POST' });
  expect(right.status).toBe(200);
  expect(right.headers.get('content-type')).toBe('application/json');
  const body = (await right.json()) as { data: { totalCount: number } };
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM film WHERE status = 'RELEASED'`);
  expect(body.data.totalCount).toBe(rows[0].n);
});

test('the benchmark runs the service with the Node flags of npm start, and so does the Docker image', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(pkg.scripts.start).toContain(`node ${START_NODE_ARGS.join(' ')} dist/index.js`);
  const dockerfile = fs.readFileSync(path.join(__dirname, '..', '..', 'docker', 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain(`CMD ["node", ${START_NODE_ARGS.map((a) => JSON.stringify(a)).join(', ')}, "dist/index.js"]`);
});
