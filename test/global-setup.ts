import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { acquireEmbeddedPostgres } from '../src/db/embedded';
import { withDatabase } from '../src/db/server';
import { createLogger } from '../src/logger';

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set (any database on that server; test
 * databases are created next to it), otherwise an embedded one in a temporary directory. Workers get
 * its address through MG_TEST_SERVER_URL and create a database per test file.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  // Tests that run the service and its commands as processes use the compiled code, as npm start does.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const client = new pg.Client({ connectionString: external, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.end();
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL is set but its server does not answer: ${(error as Error).message}`);
    }
    process.env.MG_TEST_SERVER_URL = withDatabase(external, 'postgres');
    return;
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-graph-test-'));
  // The embedded server runs as the postgres user when we are root: it must be able to enter dataDir.
  await fs.chmod(dataDir, 0o755);
  const embedded = await acquireEmbeddedPostgres({ dataDir, log: createLogger('warn', 'test-postgres') });
  process.env.MG_TEST_SERVER_URL = embedded.adminUrl;
  (globalThis as Record<string, unknown>).__mgTestPostgres = { embedded, dataDir };
}
