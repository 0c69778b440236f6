import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { feedSubscribers, gql, startTestServer, type TestServer, until } from './helpers/server';

// The playground in a real browser: Debian's chromium, driven by playwright-core, with every request
// to another host refused, so the page can only work from the project's own dependencies.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) {
  console.warn(`Playground browser test skipped: no chromium at ${CHROMIUM} (install Debian's "chromium" package, or set CHROMIUM_PATH).`);
}
const browserTest = available ? test : test.skip;
const SCREENSHOT = path.join(__dirname, '..', 'test-results', 'playground.png');

let db: TestDatabase;
let server: TestServer;
let browser: Browser | undefined;
let editorKey: string;

beforeAll(async () => {
  if (!available) return;
  db = await createTestDatabase();
  server = await startTestServer(db, { feed: true });
  editorKey = (await createApiKey(db.queryable, 'Playground editor', Role.EDITOR)).key;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The flags the machine's own probe uses: no sandbox as root, and no background traffic.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db?.drop();
});

browserTest('GraphiQL loads offline, opens with the examples, runs one, and shows the docs and the explorer', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const refused: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.url}/`)) return route.continue();
    refused.push(url);
    return route.abort();
  });

  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  // The editor holds the committed examples.
  await page.locator('.graphiql-query-editor').getByText('query StudioPartnersFilms').waitFor();

  // Run one: the run button lists the operations of the document.
  await page.click('.graphiql-execute-button');
  await page.getByRole('menuitem', { name: 'WandaToStx' }).click();
  const result = page.locator('.result-window');
  await result.getByText('"SUBSIDIARY"').waitFor();
  const text = await result.innerText();
  for (const expected of ['"length": 3', '"throughOwnership": true', 'Wanda Film', 'Alibaba Group', 'Alibaba Pictures', 'STX Entertainment']) {
    expect(text).toContain(expected);
  }

  // The docs pane shows the schema's descriptions.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
  await page.getByText('The media-industry graph: studios, producers, films and the deals between them.').waitFor();
  await page.locator('.graphiql-doc-explorer').getByText('dealPath', { exact: true }).first().click();
  await page.getByText('The shortest chain of deals linking two studios').first().waitFor();

  // The explorer plugin builds queries by clicking.
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  await page.locator('.graphiql-explorer-root').waitFor();
  expect(await page.locator('.graphiql-explorer-root').innerText()).toContain('dealPath');

  // The headers editor is there for an API key.
  expect(await page.getByText('Headers', { exact: true }).count()).toBeGreaterThan(0);

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  expect(refused).toEqual([]);
});

browserTest('a subscription run in the playground shows each deal as it is announced', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route('**/*', (route) => (route.request().url().startsWith(`${server.url}/`) ? route.continue() : route.abort()));
  // GraphiQL opens on the last query it kept: this subscription.
  await page.addInitScript(() => {
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('graphiql:query', 'subscription Feed { dealAnnounced(kinds: [CO_PRODUCTION]) { title kind parties { studio { name } } } }');
  });
  await page.goto(`${server.url}/playground`);
  await page.locator('.graphiql-query-editor').getByText('dealAnnounced').waitFor();
  await page.click('.graphiql-execute-button');
  // Once the subscription is registered, a co-production is written through the API.
  await until(async () => (await feedSubscribers(server.url)) === 1, 'the subscription', 15_000);
  const created = await gql(
    server.url,
    `mutation { createDeal(input: { kind: CO_PRODUCTION, title: "Seen In The Playground", parties: [{ studio: "alibaba-pictures", role: PARTNER }, { studio: "amblin-partners", role: PARTNER }] }) { deal { id } } }`,
    undefined,
    { key: editorKey },
  );
  expect(created.body.errors).toBeUndefined();
  const result = page.locator('.result-window');
  await result.getByText('Seen In The Playground').waitFor({ timeout: 15_000 });
  expect(await result.innerText()).toContain('Amblin Partners');
});

browserTest('the list an operation asks for downloads from the playground as CSV, every row', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await page.route('**/*', (route) => (route.request().url().startsWith(`${server.url}/`) ? route.continue() : route.abort()));
  await page.addInitScript(() => {
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('graphiql:query', 'query Everything { films(orderBy: [{ field: TITLE }]) { nodes { title studios { nodes { name } } } } }');
  });
  await page.goto(`${server.url}/playground`);
  await page.locator('.graphiql-query-editor').getByText('query Everything').waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export every row of this list as CSV' }).click();
  const file = await (await download).path();
  const lines = fs.readFileSync(file!, 'utf8').trim().split('\r\n');
  const { films } = (await gql(server.url, '{ films { totalCount } }')).body.data as { films: { totalCount: number } };
  expect(lines[0]).toBe('title,studios.name');
  expect(lines).toHaveLength(films.totalCount + 1);
  expect(lines).toContain('Steel Soldiers,Alibaba Pictures | STX Entertainment');
  expect((await download).suggestedFilename()).toBe('films.csv');
});
