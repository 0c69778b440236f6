import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { settingsSchema } from '../src/config';
import { useService } from './helpers/fixture';
import { startTestServer } from './helpers/server';

const execFileAsync = promisify(execFile);

// What the README and the docs say, holds: every GraphQL block in them runs against the seeded
// database, every relative link leads to a file, and the configuration page lists exactly the
// settings the code reads, with the defaults it applies.

const root = path.join(__dirname, '..');
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (page: string) => fs.readFileSync(path.join(root, page), 'utf8');
const blocks = pages.flatMap((page) => [...text(page).matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => [`${page} #${i + 1}`, m[1]] as const));

// The mutations and audit queries shown are run with a key: the ADMIN key runs them all.
const service = useService({ keyNames: { admin: 'Docs' } });

test('the README is a front door: under 8 KB, with two examples', () => {
  expect(Buffer.byteLength(text('README.md'))).toBeLessThan(8 * 1024);
  expect(blocks.filter(([name]) => name.startsWith('README.md'))).toHaveLength(2);
});

test.each(blocks)('GraphQL block %s runs without errors', async (_, block) => {
  const { status, body } = await service.gql(block, undefined, { key: service.keys.admin });
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
});

test('every relative link of the README and the docs leads to a file', () => {
  const broken: string[] = [];
  for (const page of pages) {
    for (const [, target] of text(page).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      if (!fs.existsSync(path.join(root, path.dirname(page), target))) broken.push(`${page}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('the configuration page lists every setting the code reads, with its default', () => {
  const rows = new Map([...text('docs/configuration.md').matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]));
  const defaults = settingsSchema.parse({}) as Record<string, unknown>;
  const settings = Object.keys(settingsSchema.shape);
  expect([...rows.keys()].sort()).toEqual([...settings].sort());
  // A setting with a default shows it as the code applies it; one without says what happens instead.
  const shown = settings.filter((name) => defaults[name] !== undefined).map((name) => [name, rows.get(name)]);
  expect(shown).toEqual(settings.filter((name) => defaults[name] !== undefined).map((name) => [name, `\`${String(defaults[name])}\``]));
});

// The JavaScript examples are whole programs: each runs as written (Node 20, the project's own
// graphql-ws and ws), against a service with the live feed, with an EDITOR key.
const programs = pages.flatMap((page) => [...text(page).matchAll(/```js\n([\s\S]*?)```/g)].map((m, i) => [`${page} #${i + 1}`, m[1]] as const));

test('the docs hold JavaScript examples', () => {
  expect(programs.map(([name]) => name)).toContain('docs/live-feed.md #1');
});

test.each(programs)('JavaScript example %s runs as written', async (name, program) => {
  const withFeed = await startTestServer(service.db, { feed: true });
  // Beside the project, so that its imports resolve from the project's node_modules.
  const file = path.join(root, 'test-results', `${name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, program);
  try {
    const { stdout } = await execFileAsync(process.execPath, [file], {
      env: { PATH: process.env.PATH, API_URL: `${withFeed.url}/graphql`, API_KEY: service.keys.editor },
      timeout: 30_000,
    });
    if (name === 'docs/live-feed.md #2') {
      // The resumed subscription gives the two deals announced while the client was away, in order.
      expect([...stdout.matchAll(/^resumed: (.*) \(/gm)].map((m) => m[1])).toEqual(['Announced while away, 1', 'Announced while away, 2']);
    } else if (name.startsWith('docs/live-feed.md')) {
      // The subscription's filter matches the mutation: the deal created is the deal announced.
      const created = JSON.parse(/^created: (.*)$/m.exec(stdout)![1]);
      const announced = JSON.parse(/^announced: (.*)$/m.exec(stdout)![1]);
      expect(announced).toMatchObject({ kind: 'EQUITY_STAKE', parties: expect.arrayContaining([{ role: 'TARGET', studio: { name: 'Wanda Film' } }]) });
      expect(created.slug).toContain('alibaba-pictures-adds-to-its-wanda-film-stake');
    }
  } finally {
    await withFeed.close();
  }
});
