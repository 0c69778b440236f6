import fs from 'node:fs';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { useService } from './helpers/fixture';
import { generateCatalogue } from './helpers/generate';
import { kill, startService } from './helpers/processes';
import { freePort } from './helpers/server';

// Exports: a root list, with its search, filter and order, out as CSV or NDJSON, all rows, streamed.
// Over the article (exact content) and over 100,000 generated films (every row, bounded memory).

const service = useService();

const exportOf = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${service.url}/graphql/export`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** RFC 4180 lines of a small CSV (quoted cells may hold commas and quotes, not line breaks here). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1])));
}

test('CSV: a header of the selected fields by path, one row per item, lists joined with " | "', async () => {
  const query = '{ films(orderBy: [{ field: TITLE }]) { nodes { title releaseDate status studios { edges { role node { name } } } } } }';
  const response = await exportOf({ query, format: 'csv' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(response.headers.get('content-disposition')).toBe('attachment; filename="films.csv"');
  const rows = parseCsv(await response.text());
  expect(rows[0]).toEqual(['title', 'releaseDate', 'status', 'studios.role', 'studios.name']);
  // The same films, as the API pages them.
  const { films } = await service.query('{ films(first: 100, orderBy: [{ field: TITLE }]) { totalCount nodes { title studios { edges { role node { name } } } } } }');
  expect(rows.length - 1).toBe(films.totalCount);
  expect(rows.slice(1).map((r) => r[0])).toEqual(films.nodes.map((n: any) => n.title));
  const steel = rows.find((r) => r[0] === 'Steel Soldiers')!;
  const credits = films.nodes.find((n: any) => n.title === 'Steel Soldiers').studios.edges;
  expect(steel[3]).toBe(credits.map((e: any) => e.role).join(' | '));
  expect(steel[4]).toBe(credits.map((e: any) => e.node.name).join(' | '));
  // A title with a comma or a quote is quoted, as RFC 4180 says.
  expect(rows.find((r) => r[0] === 'Mission: Impossible - Rogue Nation')).toBeDefined();
});

test('NDJSON: one item per line as the query shapes it; search, filter, order and a first that caps', async () => {
  const response = await exportOf({
    query: 'query ($kind: DealKind) { deals(filter: { kind: { eq: $kind } }, orderBy: [{ field: TITLE }], first: 2) { nodes { title kind parties { role studio { slug } } } } }',
    variables: { kind: 'EQUITY_STAKE' },
    format: 'ndjson',
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l));
  const { deals } = await service.query('{ deals(first: 2, filter: { kind: { eq: EQUITY_STAKE } }, orderBy: [{ field: TITLE }]) { nodes { title kind parties { role studio { slug } } } } }');
  expect(lines).toEqual(deals.nodes);
  const searched = await (await exportOf({ query: '{ studios(search: "alibaba") { nodes { name } } }', format: 'ndjson' })).text();
  expect(searched.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual(expect.arrayContaining(['Alibaba Group', 'Alibaba Pictures']));
});

test('from the command line: GET with the query in the URL, as curl sends it', async () => {
  const url = `${service.url}/graphql/export?format=csv&query=${encodeURIComponent('{ studios(orderBy: [{ field: NAME }]) { nodes { name country parent { name } } } }')}`;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const rows = parseCsv(await response.text());
  expect(rows[0]).toEqual(['name', 'country', 'parent.name']);
  expect(rows).toContainEqual(['Alibaba Pictures', 'CN', 'Alibaba Group']);
});

test('what cannot be exported is refused with a reason, before anything is sent', async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ query: '{ studios { nodes { name } } films { nodes { title } } }' }, 'exactly one root list'],
    [{ query: '{ studio(slug: "wanda-film") { name } }' }, 'is not a list that can be exported'],
    [{ query: '{ films { totalCount } }' }, 'Select the fields to export'],
    [{ query: 'mutation { deleteStudio(id: "x", expectedVersion: 1) { deletedId } }' }, 'not a mutation'],
    [{ query: '{ films { nodes { title } } }', format: 'xlsx' }, 'format must be "csv" or "ndjson"'],
    [{ query: '{ films(last: 3) { nodes { title } } }' }, 'leave out last and before'],
  ];
  for (const [body, reason] of cases) {
    const response = await exportOf(body);
    expect([response.status, ((await response.json()) as any).errors[0].message]).toEqual([400, expect.stringContaining(reason)]);
  }
  // GraphQL's own errors (validation, arguments) come back as they would from /graphql.
  const invalid = await exportOf({ query: '{ films { nodes { revenue } } }' });
  expect(invalid.status).toBe(400);
  expect(((await invalid.json()) as any).errors[0]).toMatchObject({ message: expect.stringContaining('Cannot query field "revenue" on type "Film".'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
});

test('keys apply as to any read: a bad key is 401, a good one exports', async () => {
  const refused = await exportOf({ query: '{ films { nodes { title } } }' }, { authorization: 'Bearer mgk_000000000000_notakeynotakeynotakeynotakeynotakeynotakey0' });
  expect(refused.status).toBe(401);
  const { key } = await createApiKey(service.db.queryable, 'Exporter', Role.VIEWER);
  const allowed = await exportOf({ query: '{ films { nodes { title } } }', format: 'ndjson' }, { authorization: `Bearer ${key}` });
  expect(allowed.status).toBe(200);
});

describe('100,000 films', () => {
  const big = useService({ seed: false, prepare: (db) => generateCatalogue(db.pool, { seed: 11, studios: 400, producers: 600, films: 100_000, deals: 50 }).then(() => undefined) });

  test('every row comes out, in order, while the service\'s memory stays bounded', async () => {
    // The service as its own process, to read its memory from /proc.
    const { service: process, url } = await startService({ DATABASE_URL: big.db.url, LOG_LEVEL: 'warn' }, await freePort());
    try {
      const status = () => fs.readFileSync(`/proc/${process.process.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status())![1]);
      const query = '{ films(orderBy: [{ field: RELEASE_DATE, direction: DESC }]) { nodes { slug title releaseDate status genres budget { amount currency } studios { nodes { name } } } } }';
      const post = () => fetch(`${url}/graphql/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, format: 'csv' }) });
      // Warm: one whole export, then the resident size it leaves.
      await (await post()).arrayBuffer();
      const before = kb('VmRSS');
      const response = await post();
      let bytes = 0;
      let lines = 0;
      const reader = response.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        for (const byte of value) if (byte === 10) lines++;
      }
      const peak = kb('VmHWM');
      console.log(`export of 100,000 films: ${(bytes / 1e6).toFixed(1)} MB of CSV; service RSS ${Math.round(before / 1024)} MB before, peak ${Math.round(peak / 1024)} MB`);
      expect(lines).toBe(100_001);
      expect(bytes).toBeGreaterThan(10_000_000);
      // A page at a time: the peak stays far below what holding the answer would take.
      expect(peak - before).toBeLessThan(80 * 1024);
    } finally {
      await kill(process);
    }
  }, 240_000);
});
