import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startTestServer, type TestServer } from './helpers/server';

// A browser app on another origin calling the API, in Debian's chromium: a page served from one port
// fetches the service on another, so every request is cross-origin and goes through the browser's own
// CORS checks (preflights included), not a test's idea of them.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
if (!available) console.warn(`Cross-origin browser test skipped: no chromium at ${CHROMIUM} (install Debian's "chromium" package, or set CHROMIUM_PATH).`);
const browserTest = available ? test : test.skip;

let db: TestDatabase;
let open: TestServer;
let restricted: TestServer;
let allowing: TestServer;
let site: http.Server;
let origin: string;
let browser: Browser | undefined;
let page: Page;
let viewerKey: string;

beforeAll(async () => {
  if (!available) return;
  site = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Client app</title>'));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  db = await createTestDatabase();
  viewerKey = (await createApiKey(db.queryable, 'Browser app', Role.VIEWER)).key;
  open = await startTestServer(db);
  restricted = await startTestServer(db, { env: { CORS_ORIGINS: 'https://app.example.org' } });
  allowing = await startTestServer(db, { env: { CORS_ORIGINS: `https://app.example.org,${origin}` } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.goto(origin);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([open?.close(), restricted?.close(), allowing?.close()]);
  await db?.drop();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
});

/** What the page's own `fetch` gets: status, chosen headers and body, or the browser's refusal. */
interface Seen {
  status?: number;
  headers?: Record<string, string | null>;
  body?: any;
  refused?: string;
}

function fetchFromPage(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Seen> {
  return page.evaluate(
    async ([url, init]) => {
      try {
        const response = await fetch(url, init);
        const headers: Record<string, string | null> = {};
        for (const name of ['content-type', 'cache-control', 'etag', 'x-request-id', 'x-ratelimit-remaining']) headers[name] = response.headers.get(name);
        return { status: response.status, headers, body: response.status === 304 ? null : await response.json() };
      } catch (error) {
        return { refused: String(error) };
      }
    },
    [url, init] as const,
  );
}

const TRACING = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  'sentry-trace': '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1',
  baggage: 'sentry-environment=production,sentry-release=1.0.0',
  'apollographql-client-name': 'studio-dashboard',
  'apollographql-client-version': '2.3.1',
};

browserTest('a POST with tracing and client headers passes the preflight and is answered', async () => {
  const seen = await fetchFromPage(`${open.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${viewerKey}`, ...TRACING },
    body: JSON.stringify({ query: '{ studio(slug: "stx-entertainment") { name } }' }),
  });
  expect(seen.refused).toBeUndefined();
  expect(seen.status).toBe(200);
  expect(seen.body).toEqual({ data: { studio: { name: 'STX Entertainment' } } });
  // Exposed to the page: the request id and the rate-limit budget.
  expect(seen.headers!['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(Number(seen.headers!['x-ratelimit-remaining'])).toBeGreaterThan(0);
});

browserTest('a plain fetch of GET /graphql?query= works, and its ETag is readable and revalidates', async () => {
  const url = `${open.url}/graphql?query=${encodeURIComponent('{ studio(slug: "wanda-film") { name } }')}`;
  const first = await fetchFromPage(url);
  expect(first).toMatchObject({ status: 200, body: { data: { studio: { name: 'Wanda Film' } } } });
  expect(first.headers!['cache-control']).toBe('public, max-age=60');
  expect(first.headers!.etag).toMatch(/^"[^"]+"$/);
  // If-None-Match is not a CORS-safelisted header: this one goes through a preflight.
  const again = await fetchFromPage(url, { headers: { 'if-none-match': first.headers!.etag! } });
  expect(again.status).toBe(304);
});

browserTest('a persisted query runs from its hash over GET', async () => {
  const query = '{ studio(slug: "alibaba-pictures") { name } }';
  const hash = await page.evaluate(async (text) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, query);
  const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
  const unknown = await fetchFromPage(`${open.url}/graphql?extensions=${extensions}`);
  expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  const registered = await fetchFromPage(`${open.url}/graphql?query=${encodeURIComponent(query)}&extensions=${extensions}`);
  expect(registered.status).toBe(200);
  const byHash = await fetchFromPage(`${open.url}/graphql?extensions=${extensions}`);
  expect(byHash).toMatchObject({ status: 200, body: { data: { studio: { name: 'Alibaba Pictures' } } } });
});

browserTest('CORS_ORIGINS: a page from an origin not listed is refused by the browser; a listed one is served', async () => {
  const request = { method: 'POST', headers: { 'content-type': 'application/json', ...TRACING }, body: JSON.stringify({ query: '{ studios { totalCount } }' }) };
  const refused = await fetchFromPage(`${restricted.url}/graphql`, request);
  expect(refused.refused).toMatch(/TypeError: Failed to fetch/);
  const plainGet = await fetchFromPage(`${restricted.url}/graphql?query=${encodeURIComponent('{ studios { totalCount } }')}`);
  expect(plainGet.refused).toMatch(/TypeError: Failed to fetch/);
  const served = await fetchFromPage(`${allowing.url}/graphql`, request);
  expect(served).toMatchObject({ status: 200, body: { data: { studios: { totalCount: expect.any(Number) } } } });
});
