import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, startTestServer, type TestServer } from './helpers/server';

// What the README shows, runs: every GraphQL block in it is executed against the seeded database.

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer(db);
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

test('the README has GraphQL examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

test.each(blocks.map((block, i) => [i + 1, block]))('README GraphQL block %i runs without errors', async (_, block) => {
  const result = await gql(server.url, block as string);
  expect(result.body.errors).toBeUndefined();
  expect(result.status).toBe(200);
});
