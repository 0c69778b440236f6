import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { feedSubscribers, gql, startTestServer, type TestServer, until } from './helpers/server';

// The playground in a real browser: Debian's chromium, driven by playwright-core, with every request
// to another host refused (and recorded), so the page can only work from the project's own
// dependencies; console errors and warnings fail a test. Screenshots of each view go to test-results/.

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

/** A page that may only reach the service: other hosts are refused and recorded, as are console errors and warnings. */
async function openPage(viewport = { width: 1280, height: 800 }, options: { acceptDownloads?: boolean } = {}) {
  const page = await browser!.newPage({ viewport, ...options });
  const foreign: string[] = [];
  const console: string[] = [];
  const requests: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${server.url}/`)) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) console.push(`${response.status()} for ${response.url()}`);
  });
  return { page, foreign, console, requests };
}

/** An example's tab, by its exact title. */
const tabOf = (page: Page, name: string) => page.locator('.graphiql-tab-button', { hasText: new RegExp(`^\\s*${name}\\s*$`) });

/** The example operations as the playground splits them: one per tab, its comment first. */
const EXAMPLES = fs.readFileSync(path.join(__dirname, '..', 'schema', 'examples.graphql'), 'utf8');
const OPERATIONS = [...EXAMPLES.matchAll(/^(query|mutation|subscription) (\w+)/gm)].map((m) => m[2]);

function documentOf(name: string): string {
  const lines = EXAMPLES.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(line));
  let end = start + 1;
  while (end < lines.length && lines[end] !== '}') end++;
  return lines.slice(start, end + 1).join('\n');
}

/** The list at a dotted path of an answer, as the table shows it (a connection's nodes or edges). */
function listAt(data: any, dotted: string): unknown[] {
  const value = dotted.split('.').reduce((v, key) => v?.[key], data);
  return Array.isArray(value) ? value : (value?.nodes ?? value?.edges ?? []);
}

const screenshots: string[] = [];
function screenshotPath(name: string): string {
  const file = path.join(__dirname, '..', 'test-results', `playground-${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  screenshots.push(file);
  return file;
}

afterAll(() => {
  if (screenshots.length) console.log(`Playground screenshots:\n  ${screenshots.join('\n  ')}`);
});

browserTest('GraphiQL loads offline with one tab per example, runs one, and shows the docs and the explorer', async () => {
  // Tall enough for the whole answer: the editor renders only the lines in view.
  const { page, foreign, console: messages, requests } = await openPage({ width: 1400, height: 1300 });
  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  // One tab per example operation, each opening with its comment.
  expect(await page.locator('.graphiql-tab').allInnerTexts()).toEqual(OPERATIONS);
  await page.locator('.graphiql-query-editor').getByText('query StudioPartnersFilms').waitFor();
  expect(await page.locator('.graphiql-query-editor').innerText()).toContain('# Alibaba Pictures, its parent');
  // A favicon, from the service.
  expect(requests).toContain(`${server.url}/playground/favicon.svg`);

  await tabOf(page, 'WandaToStx').click();
  await page.locator('.graphiql-query-editor').getByText('query WandaToStx').waitFor();
  await page.click('.graphiql-execute-button');
  const result = page.locator('.result-window');
  await result.getByText('"SUBSIDIARY"').waitFor();
  const text = await result.innerText();
  for (const expected of ['"length": 3', '"throughOwnership": true', 'Wanda Film', 'Alibaba Group', 'Alibaba Pictures', 'STX Entertainment']) {
    expect(text).toContain(expected);
  }

  // The docs pane opens on the operation's root field, and shows the schema's descriptions.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.locator('.graphiql-doc-explorer-title').getByText('dealPath', { exact: true }).waitFor();
  await page.getByText('The shortest chain of deals linking two studios').first().waitFor();
  await page.locator('.graphiql-doc-explorer-back').click();
  await page.locator('.graphiql-doc-explorer-title').getByText('Query', { exact: true }).waitFor();
  await page.getByText('The media-industry graph: studios, producers, films and the deals between them.').waitFor();

  // The explorer plugin builds queries by clicking.
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  await page.locator('.graphiql-explorer-root').waitFor();
  expect(await page.locator('.graphiql-explorer-root').innerText()).toContain('dealPath');

  // The headers editor is there for an API key.
  expect(await page.getByText('Headers', { exact: true }).count()).toBeGreaterThan(0);

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  expect(foreign).toEqual([]);
  expect(messages).toEqual([]);
});

browserTest('every example runs in its tab, and each answer shows as the table, chart or graph it holds', async () => {
  const { page, foreign, console: messages } = await openPage();
  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  const seen = { Table: 0, Chart: 0, Graph: 0 };
  for (const name of OPERATIONS) {
    await tabOf(page, name).click();
    await page.locator('.graphiql-query-editor').getByText(`query ${name}`).waitFor();
    await page.click('.graphiql-execute-button');
    await page.locator('.result-window').getByText('"data"').waitFor();
    const answer = (await gql(server.url, documentOf(name))).body;
    expect(answer.errors).toBeUndefined();
    const enabled = await page.locator('.mg-tab:not([disabled])').allInnerTexts();
    expect(enabled[0]).toBe('JSON');

    if (enabled.includes('Table')) {
      await page.getByRole('tab', { name: 'Table' }).click();
      const shown = (await page.locator('.mg-table-view .mg-bar select option:checked, .mg-table-view .mg-bar .mg-path').first().innerText()).trim();
      const rows = await page.locator('.mg-table tbody tr').count();
      expect({ name, rows }).toEqual({ name, rows: listAt(answer.data, shown).length });
      expect(await page.locator('.mg-count').first().innerText()).toBe(`${rows} ${rows === 1 ? 'row' : 'rows'}`);
      seen.Table++;
    }
    if (/Stats\(/.test(documentOf(name))) {
      const stats = listAt(answer.data, Object.keys(answer.data!)[0]) as Record<string, unknown>[];
      expect({ name, chart: enabled.includes('Chart') }).toEqual({ name, chart: stats.length > 0 });
    }
    if (enabled.includes('Chart')) {
      await page.getByRole('tab', { name: 'Chart' }).click();
      await page.locator('.mg-chart svg').waitFor();
      const groups = Number(await page.locator('.mg-chart').getAttribute('data-groups'));
      // One bar, or one point of a line, per group (Vega's SVG marks carry their role).
      await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.mg-chart [aria-roledescription="bar"], .mg-chart [aria-roledescription="point"]').length === n, groups);
      const axes = await page.locator('.mg-chart [aria-roledescription="axis"]').count();
      expect(axes).toBe(2);
      seen.Chart++;
    }
    expect({ name, graph: enabled.includes('Graph') }).toEqual({ name, graph: /\b(dealPath|network|partners)\s*[({]/.test(documentOf(name)) });
    if (enabled.includes('Graph')) {
      await page.getByRole('tab', { name: 'Graph' }).click();
      await page.locator('.mg-graph canvas').first().waitFor();
      const drawn = await page.evaluate(() => {
        const cy = (globalThis as any).mgGraph;
        return { nodes: cy.nodes().map((n: any) => n.id()).sort(), edges: cy.edges().length };
      });
      const studios = new Set<string>();
      const links = new Set<string>();
      JSON.stringify(answer.data, (key, value) => {
        if (value && typeof value === 'object' && value.from?.slug && value.to?.slug && value.link) {
          studios.add(value.from.slug).add(value.to.slug);
          links.add(`${value.from.slug}>${value.to.slug}`);
        }
        return value;
      });
      const d = answer.data as any;
      for (const connection of [d.studio?.network, d.studio?.partners]) {
        if (!connection) continue;
        studios.add(d.studio.slug ?? d.studio.name);
        for (const edge of connection.edges) {
          studios.add(edge.node.slug ?? edge.node.name);
          if (!edge.path) links.add(`${d.studio.slug ?? d.studio.name}>${edge.node.slug ?? edge.node.name}`);
        }
      }
      expect({ name, nodes: drawn.nodes, edges: drawn.edges }).toEqual({ name, nodes: [...studios].sort(), edges: links.size });
      seen.Graph++;
    }
    // Back to JSON, for the next tab's answer to show as text first.
    await page.getByRole('tab', { name: 'JSON' }).click();
  }
  expect(seen.Table).toBeGreaterThan(10);
  expect(seen.Chart).toBeGreaterThanOrEqual(4);
  expect(seen.Graph).toBe(3);
  expect(foreign).toEqual([]);
  expect(messages).toEqual([]);
});

browserTest('the views: a sortable table that downloads what it shows, a chart, a graph with the path; the choice is kept per operation', async () => {
  const { page, foreign, console: messages } = await openPage({ width: 1280, height: 800 }, { acceptDownloads: true });
  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  const run = async (name: string) => {
    await tabOf(page, name).click();
    await page.locator('.graphiql-query-editor').getByText(`query ${name}`).waitFor();
    await page.click('.graphiql-execute-button');
    await page.locator('.mg-tab', { hasText: 'Table' }).and(page.locator(':not([disabled])')).waitFor();
  };

  // Table: sorted by a click on a column, downloaded as shown.
  await run('AlibabaInvestments');
  await page.getByRole('tab', { name: 'Table' }).click();
  const header = page.locator('.mg-table th').first();
  const column = (await header.innerText()).trim();
  await header.click();
  await header.click();
  expect(await header.getAttribute('aria-sort')).toBe('descending');
  const cells = await page.locator('.mg-table tbody tr td:first-child').allInnerTexts();
  expect(cells.length).toBeGreaterThan(1);
  expect([...cells].sort((a, b) => b.localeCompare(a))).toEqual(cells);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = fs.readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
  expect(csv[0].split(',')[0]).toBe(column.replace(/ [\u25B2\u25BC]$/, ''));
  expect(csv).toHaveLength(cells.length + 1);
  const firstRow = await page.locator('.mg-table tbody tr').first().locator('td').allInnerTexts();
  const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  expect(csv[1]).toBe(firstRow.map(cell).join(','));
  await page.screenshot({ path: screenshotPath('table') });

  // Chart: a line per kind over the years, its axes named.
  await run('ChineseInvestmentByYear');
  await page.getByRole('tab', { name: 'Chart' }).click();
  await page.locator('.mg-chart svg').waitFor();
  const chart = await page.locator('.mg-chart').innerText();
  expect(chart).toContain('year');
  await page.getByLabel('Aggregate charted').selectOption('totalValueUsd');
  await page.locator('.mg-chart').getByText('totalValueUsd (USD)').waitFor();
  await page.screenshot({ path: screenshotPath('chart') });

  // The choice is remembered per operation: back on the first, its table again.
  await tabOf(page, 'AlibabaInvestments').click();
  await page.locator('.mg-table').waitFor();
  expect(await page.getByRole('tab', { name: 'Table' }).getAttribute('aria-selected')).toBe('true');

  // Graph: the path highlighted; a click on a studio names it.
  await run('WandaToStx');
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.locator('.mg-graph canvas').first().waitFor();
  const onPath = await page.evaluate(() => (globalThis as any).mgGraph.$('.path').length);
  expect(onPath).toBe(4 + 3);
  const position = await page.evaluate(() => {
    const node = (globalThis as any).mgGraph.getElementById('alibaba-group');
    const box = (globalThis as any).document.querySelector('.mg-graph').getBoundingClientRect();
    return { x: box.left + node.renderedPosition().x, y: box.top + node.renderedPosition().y };
  });
  await page.mouse.click(position.x, position.y);
  await page.getByRole('status').getByText('Alibaba Group (alibaba-group), CONGLOMERATE').waitFor();
  // A studio can be dragged, and the picture zoomed with the wheel.
  const before = await page.evaluate(() => (globalThis as any).mgGraph.getElementById('alibaba-group').position());
  await page.mouse.move(position.x, position.y);
  await page.mouse.down();
  await page.mouse.move(position.x + 80, position.y + 30, { steps: 8 });
  await page.mouse.up();
  const after = await page.evaluate(() => (globalThis as any).mgGraph.getElementById('alibaba-group').position());
  expect(Math.hypot(after.x - before.x, after.y - before.y)).toBeGreaterThan(20);
  const zoom = await page.evaluate(() => (globalThis as any).mgGraph.zoom());
  await page.mouse.move(position.x - 100, position.y);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction((z) => (globalThis as any).mgGraph.zoom() !== z, zoom);
  await page.screenshot({ path: screenshotPath('graph') });
  for (const file of screenshots) expect(fs.statSync(file).size).toBeGreaterThan(10_000);

  expect(foreign).toEqual([]);
  expect(messages).toEqual([]);
});

browserTest('the explorer edits list and enum arguments and keeps the tab\'s comment; the docs follow the tab', async () => {
  const { page, foreign, console: messages } = await openPage({ width: 1400, height: 1000 });
  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  const editor = () => page.locator('.graphiql-query-editor').innerText();

  // The Docs pane opens on the root field of the active tab's operation.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await tabOf(page, 'WandaToStx').click();
  await page.locator('.graphiql-doc-explorer-title').getByText('dealPath', { exact: true }).waitFor();
  await tabOf(page, 'ChineseInvestmentByYear').click();
  await page.locator('.graphiql-doc-explorer-title').getByText('dealStats', { exact: true }).waitFor();

  // groupBy: [YEAR, KIND] and role: { in: [INVESTOR, ACQUIRER] } are lists of enums: each a multiple choice.
  await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
  await page.locator('.graphiql-explorer-root').waitFor();
  const groupBy = page.getByLabel('List of DealGroupBy values');
  expect(await groupBy.evaluate((select: any) => Array.from(select.selectedOptions).map((o: any) => o.value))).toEqual(['YEAR', 'KIND']);
  await groupBy.selectOption(['YEAR', 'STUDIO']);
  await page.locator('.graphiql-query-editor').getByText('groupBy: [YEAR, STUDIO]').waitFor();
  await page.getByLabel('List of DealPartyRole values').selectOption(['INVESTOR']);
  await page.locator('.graphiql-query-editor').getByText('role: {in: [INVESTOR]}').waitFor();
  // The explorer reprints the operation; the comment that opens the tab stays.
  expect(await editor()).toContain('# What Chinese studios invested or acquired each year, in US dollars.');
  // The edited operation runs.
  await page.click('.graphiql-execute-button');
  await page.locator('.result-window').getByText('"dealStats"').waitFor();
  expect(await page.locator('.result-window').innerText()).not.toContain('"errors"');

  expect(foreign).toEqual([]);
  expect(messages).toEqual([]);
});

browserTest.each([
  [1280, 800],
  [900, 800],
])('at %i x %i the editor, the result and its views do not overlap', async (width, height) => {
  const { page, console: messages } = await openPage({ width, height });
  await page.goto(`${server.url}/graphql`);
  await page.waitForSelector('.graphiql-container');
  await tabOf(page, 'DealVolumeByYear').click();
  await page.click('.graphiql-execute-button');
  await page.getByRole('tab', { name: 'Chart' }).click();
  await page.locator('.mg-chart svg').waitFor();
  const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
  const editors = await box('.graphiql-editors');
  const response = await box('.graphiql-response');
  const views = await box('.mg-views');
  expect(editors.x + editors.width).toBeLessThanOrEqual(response.x);
  expect(response.x + response.width).toBeLessThanOrEqual(width);
  expect(views.x).toBeGreaterThanOrEqual(response.x);
  expect(views.x + views.width).toBeLessThanOrEqual(response.x + response.width + 1);
  expect(views.y + views.height).toBeLessThanOrEqual(response.y + response.height + 1);
  await page.screenshot({ path: screenshotPath(`${width}x${height}`) });
  expect(messages).toEqual([]);
});

browserTest('a subscription run in the playground shows each deal as it is announced', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  await page.route('**/*', (route) => (route.request().url().startsWith(`${server.url}/`) ? route.continue() : route.abort()));
  // GraphiQL opens on the last query it kept when it kept tabs (here none): this subscription.
  await page.addInitScript(() => {
    const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
    storage.setItem('graphiql:tabState', JSON.stringify({ activeTabIndex: 0, tabs: [] }));
    storage.setItem('graphiql:query', 'subscription Feed { dealAnnounced(kinds: [CO_PRODUCTION]) { title kind parties { studio { name } } } }');
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
    const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
    storage.setItem('graphiql:tabState', JSON.stringify({ activeTabIndex: 0, tabs: [] }));
    storage.setItem('graphiql:query', 'query Everything { films(orderBy: [{ field: TITLE }]) { nodes { title studios { nodes { name } } } } }');
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
