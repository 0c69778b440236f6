import type { Selection } from '../graphql/columns';
import type { ListSource, Params, SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText } from '../graphql/filters';
import type { Searched } from '../graphql/fuzzy';
import { StudioOrderField, type StudioFilter, type StudioOrder } from './studio.inputs';
import { studioColumns } from './studio.type';

// The root `studios` list and every nested list of studios: filter conditions, orderings, search.

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

/** How studios are searched (fuzzy.ts): by name; popularity for studios: their film credits and deals. */
export function studioSearched(a: string): Searched {
  return { text: `${a}.name`, popularity: `(SELECT count(*) FROM film_studio x WHERE x.studio_id = ${a}.id) + (SELECT count(*) FROM deal_party x WHERE x.studio_id = ${a}.id)` };
}

/** The root `studios` list: rows of `studio s` matching search and filter. */
export function studioListSource(params: Params, search?: string | null, filter?: StudioFilter | null, fields?: Selection): ListSource {
  return searchable({ select: studioColumns('s', fields), from: 'studio s', where: studioConditions(filter, params) }, params, studioSearched('s'), search);
}

export function studioListOrder(orderBy?: StudioOrder[] | null, search?: string | null): SortKey[] {
  return buildOrder(orderBy, [{ field: StudioOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 's.id', search);
}

