import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { useService } from './helpers/fixture';
import { startTestServer } from './helpers/server';

// The typed client of examples/client: its types generated from schema/schema.graphql by GraphQL
// Code Generator (client preset), type-checked, and run against the service: a query from
// schema/examples.graphql, a mutation with a key, a subscription.

const execFileAsync = promisify(execFile);
const root = path.join(__dirname, '..');
const clientDir = path.join(root, 'examples', 'client');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

const service = useService({ keyNames: { editor: 'Typed client' } });

beforeAll(async () => {
  // What `npm run client` does: generate, then type-check and compile.
  await execFileAsync(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: clientDir });
  await execFileAsync(bin('tsc'), ['-p', '.'], { cwd: clientDir });
}, 120_000);

test('the client program runs against the service: query, keyed mutation, subscription', async () => {
  const withFeed = await startTestServer(service.db, { feed: true });
  try {
    const { stdout } = await execFileAsync(process.execPath, [path.join(clientDir, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH, API_URL: `${withFeed.url}/graphql`, API_KEY: service.keys.editor },
      timeout: 30_000,
    });
    expect(stdout).toContain('query: Alibaba acquires a 7.66% stake in Wanda Film: 7.66% for 4680000000 CNY (744000000 USD)');
    const slug = /^mutation: (\S+) with Alibaba Pictures \(ACQUIRER\), Wanda Film \(TARGET\)$/m.exec(stdout)?.[1];
    expect(slug).toMatch(/^a-typed-client-s-stake-in-wanda-film-/);
    expect(stdout).toContain(`subscription: ${slug} EQUITY_STAKE`);
  } finally {
    await withFeed.close();
  }
});

test('a schema change that breaks the client\'s operations breaks its build', async () => {
  // The committed schema without Deal.stakePercent, which the client's operations select.
  // Inside the project, where the preset resolves from its node_modules.
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'test-results', 'client-'));
  const schema = fs.readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8');
  const lines = schema.split('\n');
  const type = lines.findIndex((line) => line.startsWith('type Deal '));
  const field = lines.findIndex((line, i) => i > type && line === '  stakePercent: Decimal');
  // The field and its description: a one-line """...""", or the lines from the opening """.
  let from = field - 1;
  if (lines[from].trim() === '"""') do from--; while (lines[from].trim() !== '"""');
  expect(lines.slice(type, field).some((line) => line === '}')).toBe(false);
  const broken = [...lines.slice(0, from), ...lines.slice(field + 1)].join('\n');
  expect(broken).not.toBe(schema);
  fs.writeFileSync(path.join(dir, 'schema.graphql'), broken);
  // The client's own configuration, pointed at that schema.
  const config = fs
    .readFileSync(path.join(clientDir, 'codegen.ts'), 'utf8')
    .replace("'../../schema/schema.graphql'", JSON.stringify(path.join(dir, 'schema.graphql')))
    .replace("'../../schema/examples.graphql'", JSON.stringify(path.join(root, 'schema', 'examples.graphql')))
    .replace("'src/operations.graphql'", JSON.stringify(path.join(clientDir, 'src', 'operations.graphql')))
    .replace("'src/gql/'", JSON.stringify(`${path.join(dir, 'gql')}/`));
  expect(config).toContain(dir);
  fs.writeFileSync(path.join(dir, 'codegen.ts'), config);
  try {
    const failure = await execFileAsync(bin('graphql-codegen'), ['--config', path.join(dir, 'codegen.ts'), '--verbose'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' } }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(`${failure?.stdout}${failure?.stderr}`).toContain('Cannot query field "stakePercent" on type "Deal"');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
