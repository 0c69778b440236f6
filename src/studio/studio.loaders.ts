import type { Selection } from '../graphql/columns';
import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import type { ListSource, Params, SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText } from '../graphql/filters';
import { StudioOrderField, type StudioFilter, type StudioOrder } from './studio.inputs';
import { subsidiariesByStudioId } from './studio-ownership';
import { Studio, studioColumns } from './studio.type';

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
    whereRelated(where, params, f.parent, `${p}.parent`, 'ps.slug', (c) => `s.parent_id IN (SELECT ps.id FROM studio ps WHERE ${c})`, 'studio');
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

/** The per-request loaders of this folder: studios by id and slug, and the relations it owns. */
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

  return { studioById, studioBySlug, subsidiariesByStudioId: subsidiariesByStudioId(db) };
}

type StudioLoaders = ReturnType<typeof createStudioLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createStudioLoaders. */
  interface Loaders extends StudioLoaders {}
}
