import { createApiKey } from '../../src/auth/keys';
import { Role } from '../../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './database';
import { gql, type GraphQLResult, query, type RequestOptions, startTestServer, type TestServer } from './server';

export interface ServiceFixture {
  readonly db: TestDatabase;
  readonly server: TestServer;
  readonly url: string;
  /** An API key of each role, made for this file's database. */
  readonly keys: Readonly<Record<'viewer' | 'editor' | 'admin', string>>;
  gql(document: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResult>;
  /** Fails on any error; returns `data`. */
  query<T = Record<string, any>>(document: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<T>;
}

/**
 * The set-up most test files share: a database of their own on the run's PostgreSQL (seeded with the
 * article unless `seed: false`; `prepare` adds what the file needs), the service over it on real
 * HTTP (`env`: settings), and an API key of each role (named by `keyNames`, which the audit history
 * shows). Call it at the top of a file: it registers the file's beforeAll and afterAll.
 */
export function useService(
  options: { seed?: boolean; prepare?: (db: TestDatabase) => Promise<void>; env?: Record<string, string>; keyNames?: Partial<Record<'viewer' | 'editor' | 'admin', string>> } = {},
): ServiceFixture {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  const keys = { viewer: '', editor: '', admin: '' };
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the fixture's ${what} is used before beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ seed: options.seed });
    await options.prepare?.(db);
    for (const [role, name] of [
      ['viewer', options.keyNames?.viewer ?? 'Test viewer'],
      ['editor', options.keyNames?.editor ?? 'Test editor'],
      ['admin', options.keyNames?.admin ?? 'Test admin'],
    ] as const) {
      keys[role] = (await createApiKey(db.queryable, name, role === 'viewer' ? Role.VIEWER : role === 'editor' ? Role.EDITOR : Role.ADMIN)).key;
    }
    server = await startTestServer(db, { env: options.env });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  return {
    get db() {
      return ready(db, 'database');
    },
    get server() {
      return ready(server, 'server');
    },
    get url() {
      return ready(server, 'server').url;
    },
    keys,
    gql: (document, variables, requestOptions) => gql(ready(server, 'server').url, document, variables, requestOptions),
    query: (document, variables, requestOptions) => query(ready(server, 'server').url, document, variables, requestOptions),
  };
}
