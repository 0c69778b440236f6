import type { Selection } from '../graphql/columns';
import type { Queryable } from '../db/pool';
import { ListLoader, listPerParentSql, loaderByKey } from '../graphql/batch';
import { Params, RelationLoader, type ListSource, type SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText, whereYears } from '../graphql/filters';
import { Studio, studioColumns } from '../studio/studio.type';
import { DealOrderField, type DealFilter, type DealOrder } from './deal.inputs';
import { Deal, DealParty, dealColumns, Source } from './deal.type';
import type { DealPartyRole } from './deal.enums';

const LATEST_FIRST: SortKey[] = [
  { name: 'ANNOUNCED_ON', sql: 'd.announced_on', type: 'date', desc: true, nullable: true },
  { name: 'ID', sql: 'd.id', type: 'int', desc: true },
];

const ORDERABLE = {
  [DealOrderField.RELEVANCE]: RELEVANCE_KEY,
  [DealOrderField.ANNOUNCED_ON]: { sql: 'd.announced_on', type: 'date', nullable: true },
  [DealOrderField.TITLE]: { sql: 'd.title', type: 'text' },
  [DealOrderField.VALUE_USD]: { sql: 'd.value_usd', type: 'numeric', nullable: true },
  [DealOrderField.STAKE_PERCENT]: { sql: 'd.stake_percent', type: 'numeric', nullable: true },
  [DealOrderField.CREATED_AT]: { sql: 'd.created_at', type: 'timestamptz' },
} as const;

/** SQL conditions on `deal d` for a DealFilter, combinators included. */
export function dealConditions(filter: DealFilter | null | undefined, params: Params, path = 'filter'): string[] {
  return conditionsOf(filter, path, (f, p) => {
    const where: string[] = [];
    whereIn(where, params, 'd.slug', f.slug, `${p}.slug`);
    whereText(where, params, 'd.title', f.title, `${p}.title`);
    whereIn(where, params, 'd.kind', f.kind, `${p}.kind`, 'deal_kind');
    whereIn(where, params, 'd.status', f.status, `${p}.status`, 'deal_status');
    whereRange(where, params, 'd.announced_on', f.announcedOn, `${p}.announcedOn`, 'date');
    whereYears(where, params, 'd.announced_on', f.announcedYear, `${p}.announcedYear`);
    whereRange(where, params, 'd.value_usd', f.valueUsd, `${p}.valueUsd`, 'numeric');
    whereRange(where, params, 'd.stake_percent', f.stakePercent, `${p}.stakePercent`, 'numeric');
    whereRelated(where, params, f.studio, `${p}.studio`, 'ps.slug', (c) => `EXISTS (SELECT 1 FROM deal_party pdp JOIN studio ps ON ps.id = pdp.studio_id WHERE pdp.deal_id = d.id AND ${c})`);
    if (f.party) {
      const party: string[] = [];
      whereIn(party, params, 'qs.slug', f.party.studio, `${p}.party.studio`);
      whereIn(party, params, 'qs.kind', f.party.kind, `${p}.party.kind`, 'studio_kind');
      whereIn(party, params, 'qdp.role', f.party.role, `${p}.party.role`, 'deal_party_role');
      whereIn(party, params, 'qs.country', f.party.country, `${p}.party.country`);
      where.push(`EXISTS (SELECT 1 FROM deal_party qdp JOIN studio qs ON qs.id = qdp.studio_id WHERE qdp.deal_id = d.id${party.map((c) => ` AND ${c}`).join('')})`);
    }
    whereRelated(where, params, f.film, `${p}.film`, 'cf.slug', (c) => `EXISTS (SELECT 1 FROM deal_film cdf JOIN film cf ON cf.id = cdf.film_id WHERE cdf.deal_id = d.id AND ${c})`);
    return where;
  });
}

/** The root `deals` list: rows of `deal d` matching search and filter. */
export function dealListSource(params: Params, search?: string | null, filter?: DealFilter | null, fields?: Selection): ListSource {
  return searchable({ select: dealColumns('d', fields), from: 'deal d', where: dealConditions(filter, params) }, params, 'd.title', search);
}

export function dealListOrder(orderBy?: DealOrder[] | null, search?: string | null): SortKey[] {
  if ((!orderBy || orderBy.length === 0) && !search?.trim()) return LATEST_FIRST;
  return buildOrder(orderBy, [{ field: DealOrderField.ANNOUNCED_ON, direction: OrderDirection.DESC }], ORDERABLE, 'd.id', search);
}

/** The per-request loaders that return deals and what hangs off them. */
export function createDealLoaders(db: Queryable) {
  const dealById = loaderByKey('dealById', db, `SELECT ${dealColumns('d')} FROM deal d WHERE d.id = ANY($1::int[])`, Deal.fromRow, (d) => d.rowId);

  const dealsByStudioId = new RelationLoader<{ kind: string | null }>(db, {
    name: 'dealsByStudioId',
    parentColumn: 'dp.studio_id',
    source: ({ kind }, params, _parent, fields) => ({
      select: `${dealColumns('d', fields)}, dp.role AS "_role"`,
      from: 'deal_party dp JOIN deal d ON d.id = dp.deal_id',
      where: kind ? [`d.kind = ${params.add(kind, 'deal_kind')}`] : [],
    }),
    order: () => LATEST_FIRST,
  });

  const dealsByFilmId = new RelationLoader<{ kind: string | null }>(db, {
    name: 'dealsByFilmId',
    parentColumn: 'df.film_id',
    source: ({ kind }, params, _parent, fields) => ({
      select: dealColumns('d', fields),
      from: 'deal_film df JOIN deal d ON d.id = df.deal_id',
      where: kind ? [`d.kind = ${params.add(kind, 'deal_kind')}`] : [],
    }),
    order: () => LATEST_FIRST,
  });

  // Parties and sources are short lists (a deal has a handful), returned whole rather than paginated.
  // Parties come with their studio in the same statement: one level, one statement.
  const partiesByDealId = new ListLoader(
    'partiesByDealId',
    db,
    (fields) => listPerParentSql(`dp.role AS "_role", ${studioColumns('s', fields)}`, 'deal_party dp JOIN studio s ON s.id = dp.studio_id', 'dp.deal_id', 'dp.role, s.name, s.id'),
    (row) => DealParty.of(row._role as DealPartyRole, Studio.fromRow(row)),
  );

  const sourcesByDealId = new ListLoader(
    'sourcesByDealId',
    db,
    () =>
      listPerParentSql(
        'so.publisher, so.title, so.author, so.url, so.published_on',
        'deal_source ds JOIN source so ON so.id = ds.source_id',
        'ds.deal_id',
        'so.published_on NULLS LAST, so.id',
      ),
    Source.fromRow,
  );

  return { dealById, dealsByStudioId, dealsByFilmId, partiesByDealId, sourcesByDealId };
}

type DealLoaders = ReturnType<typeof createDealLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createDealLoaders. */
  interface Loaders extends DealLoaders {}
}
