import fs from 'node:fs';
import path from 'node:path';
import { settingsSchema } from '../src/config';
import { useService } from './helpers/fixture';

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
