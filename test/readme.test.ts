import fs from 'node:fs';
import path from 'node:path';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startTestServer, type TestServer } from './helpers/server';

// What the README shows, runs: every GraphQL block in it is executed against the seeded database.

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let db: TestDatabase;
let server: TestServer;
let key: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db);
  // The README's mutations and audit queries are shown with a key; an ADMIN key runs them all.
  key = (await createApiKey(db.queryable, 'README', Role.ADMIN)).key;
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

test('the README has GraphQL examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

test.each(blocks.map((block, i) => [i + 1, block]))('README GraphQL block %i runs without errors', async (_, block) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: block }),
  });
  const body = (await response.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(response.status).toBe(200);
});
