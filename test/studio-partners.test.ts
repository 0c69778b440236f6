import fc from 'fast-check';
import { useService } from './helpers/fixture';
import { generateCatalogue } from './helpers/generate';

// A studio's partners are read from `studio_partner`, which the database derives from deal_party
// (with the partner's name and the deal's kind copied in). Whatever writes, through the API or raw
// SQL, the table stays exactly what deal_party says, and `Studio.partners` (whole, by cursor pages,
// filtered by kind) stays the answer computed from deal_party itself.

const SEED = Number(process.env.FC_SEED ?? 20261208);

const service = useService({
  prepare: async (db) => {
    await generateCatalogue(db.pool, { seed: 12, studios: 8, producers: 4, films: 10, deals: 24 });
  },
});

/** Rows of studio_partner that deal_party does not give, and rows it gives that are missing (none, ever). */
async function drift(): Promise<unknown[]> {
  const { rows } = await service.db.pool.query(
    `WITH derived AS (
       SELECT a.studio_id, b.studio_id AS partner_id, a.deal_id, s.name AS partner_name, d.kind AS deal_kind
         FROM deal_party a JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id
         JOIN studio s ON s.id = b.studio_id JOIN deal d ON d.id = a.deal_id),
     kept AS (SELECT studio_id, partner_id, deal_id, partner_name, deal_kind FROM studio_partner)
     (SELECT 'extra' AS side, * FROM (SELECT * FROM kept EXCEPT SELECT * FROM derived) x)
     UNION ALL
     (SELECT 'missing', * FROM (SELECT * FROM derived EXCEPT SELECT * FROM kept) y)`,
  );
  return rows;
}

/** A studio's partners computed from deal_party, by name then id, with the shared deals' slugs. */
async function expectedPartners(studioSlug: string, kinds: string[] | null): Promise<{ slug: string; deals: string[] }[]> {
  const { rows } = await service.db.pool.query(
    `SELECT p.slug, array_agg(d.slug ORDER BY d.slug) AS deals
       FROM studio s
       JOIN deal_party a ON a.studio_id = s.id
       JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id
       JOIN studio p ON p.id = b.studio_id
       JOIN deal d ON d.id = a.deal_id
      WHERE s.slug = $1 AND ($2::deal_kind[] IS NULL OR d.kind = ANY($2))
      GROUP BY p.id, p.name, p.slug ORDER BY p.name, p.id`,
    [studioSlug, kinds],
  );
  return rows;
}

/** A studio's partners through the API, by pages of `size` through the cursors. */
async function pagedPartners(studioSlug: string, kinds: string[] | null, size: number): Promise<{ slug: string; deals: string[] }[]> {
  const found: { slug: string; deals: string[] }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const data: any = await service.query(
      `query ($after: String, $kinds: [DealKind!]) { studio(slug: "${studioSlug}") { partners(first: ${size}, after: $after, kinds: $kinds) {
         edges { node { slug } deals { slug } } pageInfo { hasNextPage endCursor } totalCount } } }`,
      { after, kinds },
    );
    const page = data.studio.partners;
    found.push(...page.edges.map((e: any) => ({ slug: e.node.slug, deals: e.deals.map((d: any) => d.slug).sort() })));
    if (!page.pageInfo.hasNextPage) {
      expect(page.totalCount).toBe(found.length);
      return found;
    }
    after = page.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

async function slugs(table: 'studio' | 'deal'): Promise<string[]> {
  const { rows } = await service.db.pool.query(`SELECT slug FROM ${table} ORDER BY id`);
  return rows.map((r) => r.slug);
}

/** Kinds the API takes with PARTNER parties (raw SQL may set any kind). */
const KINDS = ['PARTNERSHIP', 'CO_PRODUCTION', 'INVESTMENT', 'DISTRIBUTION'];
const NAMES = ['Alpha Pictures', 'alpha pictures', 'Beta Films', 'Zeta Media', 'Ämber Studios'];

type Step =
  | { kind: 'create'; dealKind: string; parties: number[] }
  | { kind: 'update'; deal: number; dealKind: string; parties: number[] }
  | { kind: 'delete'; deal: number }
  | { kind: 'rename'; studio: number; name: string }
  | { kind: 'sql-add' | 'sql-remove'; deal: number; studio: number }
  | { kind: 'sql-move'; deal: number; from: number; to: number }
  | { kind: 'sql-kind'; deal: number; dealKind: string };

const parties = fc.uniqueArray(fc.nat({ max: 7 }), { minLength: 2, maxLength: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), dealKind: fc.constantFrom(...KINDS), parties }),
  fc.record({ kind: fc.constant('update' as const), deal: fc.nat(), dealKind: fc.constantFrom(...KINDS), parties }),
  fc.record({ kind: fc.constant('delete' as const), deal: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), studio: fc.nat(), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constantFrom('sql-add' as const, 'sql-remove' as const), deal: fc.nat(), studio: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('sql-move' as const), deal: fc.nat(), from: fc.nat({ max: 7 }), to: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('sql-kind' as const), deal: fc.nat(), dealKind: fc.constantFrom(...KINDS, 'ACQUISITION', 'LICENSING') }),
);

test("a studio's partners stay what its deals say through any sequence of writes", async () => {
  const studios = await slugs('studio');
  let created = 0;
  let checked = 0;
  const editor = { key: service.keys.editor };
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
      const deals = await slugs('deal');
      const dealAt = (i: number) => deals[i % deals.length];
      const partyInput = (ids: number[]) => ids.map((i) => ({ studio: studios[i], role: 'PARTNER' }));
      for (const s of steps) {
        if (s.kind === 'create') {
          await service.query('mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }', { input: { title: `Deal ${++created}`, slug: `keyed-deal-${created}`, kind: s.dealKind, parties: partyInput(s.parties) } }, editor);
        } else if (s.kind === 'update' || s.kind === 'delete') {
          const { deal } = await service.query(`{ deal(slug: "${dealAt(s.deal)}") { id version } }`);
          if (s.kind === 'delete') {
            await service.query('mutation ($id: ID!, $v: Int!) { deleteDeal(id: $id, expectedVersion: $v) { deletedId } }', { id: deal.id, v: deal.version }, editor);
          } else {
            // Kind and parties together (a kind's rules bind its parties' roles), and no stake outside stakes.
            const input = { kind: s.dealKind, parties: partyInput(s.parties), stakePercent: null };
            await service.query('mutation ($id: ID!, $v: Int!, $input: UpdateDealInput!) { updateDeal(id: $id, expectedVersion: $v, input: $input) { deal { id } } }', { id: deal.id, v: deal.version, input }, editor);
          }
        } else if (s.kind === 'rename') {
          const { studio } = await service.query(`{ studio(slug: "${studios[s.studio % studios.length]}") { id version } }`);
          await service.query('mutation ($id: ID!, $v: Int!, $name: String!) { updateStudio(id: $id, expectedVersion: $v, input: { name: $name }) { studio { id } } }', { id: studio.id, v: studio.version, name: `${s.name} ${s.studio % 3}` }, editor);
        } else if (s.kind === 'sql-add') {
          await service.db.pool.query(`INSERT INTO deal_party (deal_id, studio_id, role) SELECT d.id, s.id, 'PARTNER' FROM deal d, studio s WHERE d.slug = $1 AND s.slug = $2 ON CONFLICT DO NOTHING`, [dealAt(s.deal), studios[s.studio]]);
        } else if (s.kind === 'sql-remove') {
          await service.db.pool.query('DELETE FROM deal_party WHERE deal_id = (SELECT id FROM deal WHERE slug = $1) AND studio_id = (SELECT id FROM studio WHERE slug = $2)', [dealAt(s.deal), studios[s.studio]]);
        } else if (s.kind === 'sql-move') {
          // One party moved to another studio, unless that studio is already party to the deal.
          await service.db.pool.query(
            `UPDATE deal_party SET studio_id = (SELECT id FROM studio WHERE slug = $3)
              WHERE deal_id = (SELECT id FROM deal WHERE slug = $1) AND studio_id = (SELECT id FROM studio WHERE slug = $2)
                AND NOT EXISTS (SELECT 1 FROM deal_party x WHERE x.deal_id = deal_party.deal_id AND x.studio_id = (SELECT id FROM studio WHERE slug = $3))`,
            [dealAt(s.deal), studios[s.from], studios[s.to]],
          );
        } else if (s.kind === 'sql-kind') {
          await service.db.pool.query('UPDATE deal SET kind = $2 WHERE slug = $1', [dealAt(s.deal), s.dealKind]);
        }
      }
      expect(await drift()).toEqual([]);
      for (const slug of studios.slice(0, 3)) {
        for (const kinds of [null, ['PARTNERSHIP', 'INVESTMENT']]) {
          const expected = await expectedPartners(slug, kinds);
          expect(await pagedPartners(slug, kinds, 2)).toEqual(expected);
          checked += expected.length;
        }
      }
    }),
    { seed: SEED, numRuns: 15 },
  );
  expect(checked).toBeGreaterThan(50);
}, 120_000);

test('studio_partner refuses direct writes with a message that says what to write instead', async () => {
  const before = await service.db.pool.query('SELECT count(*)::int AS n FROM studio_partner');
  expect(before.rows[0].n).toBeGreaterThan(0);
  await expect(service.db.pool.query('DELETE FROM studio_partner')).rejects.toThrow('studio_partner is derived from deal_party and kept by the database: write deal_party instead');
  await expect(service.db.pool.query(`UPDATE studio_partner SET partner_name = 'tampered'`)).rejects.toThrow(/write deal_party instead/);
  await expect(
    service.db.pool.query(`INSERT INTO studio_partner (studio_id, partner_id, deal_id, partner_name, deal_kind) SELECT s.id, p.id, d.id, p.name, d.kind FROM studio s, studio p, deal d WHERE s.id <> p.id LIMIT 1`),
  ).rejects.toThrow(/write deal_party instead/);
  expect(await drift()).toEqual([]);
});

test('a rolled-back write leaves the partners as they were, and a truncated deal_party leaves none', async () => {
  const client = await service.db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM deal_party');
    expect((await client.query('SELECT count(*)::int AS n FROM studio_partner')).rows[0].n).toBe(0);
    await client.query('ROLLBACK');
    expect(await drift()).toEqual([]);
    await client.query('BEGIN');
    await client.query('TRUNCATE deal_party');
    expect((await client.query('SELECT count(*)::int AS n FROM studio_partner')).rows[0].n).toBe(0);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  expect(await drift()).toEqual([]);
});

test("studio_partner's page index is in the order of a studio's partners", async () => {
  const { rows } = await service.db.pool.query('SELECT indexdef FROM pg_indexes WHERE indexname = $1', ['studio_partner_page_idx']);
  expect(rows[0].indexdef.replace(/^.* USING btree /, '')).toBe('(studio_id, partner_name, partner_id, deal_kind, deal_id)');
});
