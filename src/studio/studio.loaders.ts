import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { Params, RelationLoader, type ListSource, type SortKey } from '../graphql/connection';
import { buildOrder, OrderDirection, whereIn, whereRange, whereRelated, whereSearch } from '../graphql/filters';
import { StudioOrderField, type StudioFilter, type StudioOrder } from './studio.inputs';
import { Studio, studioColumns } from './studio.type';

const BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 's.name', type: 'text' },
  { name: 'ID', sql: 's.id', type: 'int' },
];

const ORDERABLE = {
  [StudioOrderField.NAME]: { sql: 's.name', type: 'text' },
  [StudioOrderField.FOUNDED_YEAR]: { sql: 's.founded_year', type: 'int', nullable: true },
  [StudioOrderField.CREATED_AT]: { sql: 's.created_at', type: 'timestamptz' },
} as const;

/** The root `studios` list: rows of `studio s` matching search and filter. */
export function studioListSource(params: Params, search?: string | null, filter?: StudioFilter | null): ListSource {
  const where: string[] = [];
  whereSearch(where, params, ['s.name'], search);
  whereIn(where, params, 's.slug', filter?.slug, 'filter.slug');
  whereIn(where, params, 's.kind', filter?.kind, 'filter.kind', 'studio_kind');
  whereIn(where, params, 's.country', filter?.country, 'filter.country');
  whereRange(where, params, 's.founded_year', filter?.foundedYear, 'filter.foundedYear', 'int');
  whereRelated(where, params, filter?.parent, 'filter.parent', 'ps.slug', (c) => `s.parent_id IN (SELECT ps.id FROM studio ps WHERE ${c})`);
  return { select: studioColumns('s'), from: 'studio s', where };
}

export function studioListOrder(orderBy?: StudioOrder[] | null): SortKey[] {
  return buildOrder(orderBy, [{ field: StudioOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 's.id');
}

/** The per-request loaders that return studios. */
export function createStudioLoaders(db: Queryable) {
  const studioById = loaderByKey(db, `SELECT ${studioColumns('s')} FROM studio s WHERE s.id = ANY($1::int[])`, Studio.fromRow, (s) => s.rowId);
  const studioBySlug = loaderByKey(
    db,
    `SELECT ${studioColumns('s')} FROM studio s WHERE s.slug = ANY($1::text[])`,
    Studio.fromRow,
    (s) => s.slug,
    (s) => studioById.prime(s.rowId, s),
  );

  const subsidiariesByStudioId = new RelationLoader<object>(db, {
    parentColumn: 's.parent_id',
    source: () => ({ select: studioColumns('s'), from: 'studio s', where: [] }),
    order: () => BY_NAME,
  });

  const studiosByFilmId = new RelationLoader<{ role: string | null }>(db, {
    parentColumn: 'fs.film_id',
    source: ({ role }, params) => ({
      select: `${studioColumns('s')}, fs.role AS "_role"`,
      from: 'film_studio fs JOIN studio s ON s.id = fs.studio_id',
      where: role ? [`fs.role = ${params.add(role, 'studio_credit_role')}`] : [],
    }),
    order: () => [...BY_NAME, { name: 'ROLE', sql: 'fs.role::text', type: 'text' }],
  });

  const studiosByProducerId = new RelationLoader<object>(db, {
    parentColumn: 'ps.producer_id',
    source: () => ({
      select: `${studioColumns('s')}, ps.title AS "_title"`,
      from: 'producer_studio ps JOIN studio s ON s.id = ps.studio_id',
      where: [],
    }),
    order: () => BY_NAME,
  });

  // Partners: the other parties of a studio's deals, one row per partner with the shared deals' ids
  // (latest first). The GROUP BY subquery is filtered on its grouping column, which PostgreSQL pushes
  // down into it, so each parent only aggregates its own deals.
  const partnersByStudioId = new RelationLoader<{ kinds: string[] | null }>(db, {
    parentColumn: 'pp.studio_id',
    source: ({ kinds }, params) => ({
      select: `${studioColumns('s')}, pp.deal_ids AS "_deal_ids"`,
      from: `(SELECT a.studio_id, b.studio_id AS partner_id,
                     array_agg(a.deal_id ORDER BY d.announced_on DESC NULLS LAST, a.deal_id DESC) AS deal_ids
                FROM deal_party a
                JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id
                JOIN deal d ON d.id = a.deal_id${kinds && kinds.length ? ` AND d.kind = ANY(${params.add(kinds, 'deal_kind[]')})` : ''}
               GROUP BY a.studio_id, b.studio_id) pp
             JOIN studio s ON s.id = pp.partner_id`,
      where: [],
    }),
    order: () => BY_NAME,
  });

  return { studioById, studioBySlug, subsidiariesByStudioId, studiosByFilmId, studiosByProducerId, partnersByStudioId };
}
