import type { Selection } from '../graphql/columns';
import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { Params, RelationLoader, type ListSource, type SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText } from '../graphql/filters';
import { StudioOrderField, type StudioFilter, type StudioOrder } from './studio.inputs';
import { Studio, studioColumns } from './studio.type';

const BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 's.name', type: 'text' },
  { name: 'ID', sql: 's.id', type: 'int' },
];

const ORDERABLE = {
  [StudioOrderField.RELEVANCE]: RELEVANCE_KEY,
  [StudioOrderField.NAME]: { sql: 's.name', type: 'text' },
  [StudioOrderField.FOUNDED_YEAR]: { sql: 's.founded_year', type: 'int', nullable: true },
  [StudioOrderField.CREATED_AT]: { sql: 's.created_at', type: 'timestamptz' },
} as const;

/** SQL conditions on `studio s` for a StudioFilter, combinators included. */
export function studioConditions(filter: StudioFilter | null | undefined, params: Params, path = 'filter'): string[] {
  return conditionsOf(filter, path, (f, p) => {
    const where: string[] = [];
    whereIn(where, params, 's.slug', f.slug, `${p}.slug`);
    whereText(where, params, 's.name', f.name, `${p}.name`);
    whereIn(where, params, 's.kind', f.kind, `${p}.kind`, 'studio_kind');
    whereIn(where, params, 's.country', f.country, `${p}.country`);
    whereRange(where, params, 's.founded_year', f.foundedYear, `${p}.foundedYear`, 'int');
    whereRelated(where, params, f.parent, `${p}.parent`, 'ps.slug', (c) => `s.parent_id IN (SELECT ps.id FROM studio ps WHERE ${c})`);
    return where;
  });
}

/** The root `studios` list: rows of `studio s` matching search and filter. */
export function studioListSource(params: Params, search?: string | null, filter?: StudioFilter | null, fields?: Selection): ListSource {
  return searchable({ select: studioColumns('s', fields), from: 'studio s', where: studioConditions(filter, params) }, params, 's.name', search);
}

export function studioListOrder(orderBy?: StudioOrder[] | null, search?: string | null): SortKey[] {
  return buildOrder(orderBy, [{ field: StudioOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 's.id', search);
}

/** The per-request loaders that return studios. */
export function createStudioLoaders(db: Queryable) {
  const studioById = loaderByKey('studioById', db, `SELECT ${studioColumns('s')} FROM studio s WHERE s.id = ANY($1::int[])`, Studio.fromRow, (s) => s.rowId);
  const studioBySlug = loaderByKey(
    'studioBySlug',
    db,
    `SELECT ${studioColumns('s')} FROM studio s WHERE s.slug = ANY($1::text[])`,
    Studio.fromRow,
    (s) => s.slug,
    (s) => studioById.prime(s.rowId, s),
  );

  const subsidiariesByStudioId = new RelationLoader<object>(db, {
    name: 'subsidiariesByStudioId',
    parentColumn: 's.parent_id',
    source: (_args, _params, _parent, fields) => ({ select: studioColumns('s', fields), from: 'studio s', where: [] }),
    order: () => BY_NAME,
  });

  const studiosByFilmId = new RelationLoader<{ role: string | null }>(db, {
    name: 'studiosByFilmId',
    parentColumn: 'fs.film_id',
    source: ({ role }, params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, fs.role AS "_role"`,
      from: 'film_studio fs JOIN studio s ON s.id = fs.studio_id',
      where: role ? [`fs.role = ${params.add(role, 'studio_credit_role')}`] : [],
    }),
    order: () => [...BY_NAME, { name: 'ROLE', sql: 'fs.role::text', type: 'text' }],
  });

  const studiosByProducerId = new RelationLoader<object>(db, {
    name: 'studiosByProducerId',
    parentColumn: 'ps.producer_id',
    source: (_args, _params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, ps.title AS "_title"`,
      from: 'producer_studio ps JOIN studio s ON s.id = ps.studio_id',
      where: [],
    }),
    order: () => BY_NAME,
  });

  // Partners: the other parties of a studio's deals, one row per partner with the shared deals' ids.
  // The GROUP BY subquery is filtered on its grouping column, which PostgreSQL pushes down into it, so
  // each parent only aggregates its own deals. The ids are not ordered here (that took a join with
  // every deal, 10 ms against 3.5 for the hub studio's 569 partners): the edge orders the few deals it
  // loads. `deal` is joined only to filter by kind.
  const partnersByStudioId = new RelationLoader<{ kinds: string[] | null }>(db, {
    name: 'partnersByStudioId',
    parentColumn: 'pp.studio_id',
    source: ({ kinds }, params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, pp.deal_ids AS "_deal_ids"`,
      from: `(SELECT a.studio_id, b.studio_id AS partner_id, array_agg(a.deal_id) AS deal_ids
                FROM deal_party a
                JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id${
                  kinds && kinds.length ? `
                JOIN deal d ON d.id = a.deal_id AND d.kind = ANY(${params.add(kinds, 'deal_kind[]')})` : ''
                }
               GROUP BY a.studio_id, b.studio_id) pp
             JOIN studio s ON s.id = pp.partner_id`,
      where: [],
    }),
    order: () => BY_NAME,
  });

  return { studioById, studioBySlug, subsidiariesByStudioId, studiosByFilmId, studiosByProducerId, partnersByStudioId };
}

type StudioLoaders = ReturnType<typeof createStudioLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createStudioLoaders. */
  interface Loaders extends StudioLoaders {}
}
