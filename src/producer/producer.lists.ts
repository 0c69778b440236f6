import type { Selection } from '../graphql/columns';
import type { ListSource, Params, SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRelated, whereText } from '../graphql/filters';
import type { Searched } from '../graphql/fuzzy';
import { ProducerOrderField, type ProducerFilter, type ProducerOrder } from './producer.inputs';
import { producerColumns } from './producer.type';

// The root `producers` list and every nested list of producers: filter conditions, orderings, search.

const ORDERABLE = {
  [ProducerOrderField.RELEVANCE]: RELEVANCE_KEY,
  [ProducerOrderField.NAME]: { sql: 'p.name', type: 'text' },
  [ProducerOrderField.CREATED_AT]: { sql: 'p.created_at', type: 'timestamptz' },
} as const;

/** SQL conditions on `producer p` for a ProducerFilter, combinators included. */
export function producerConditions(filter: ProducerFilter | null | undefined, params: Params, path = 'filter'): string[] {
  return conditionsOf(filter, path, (f, p) => {
    const where: string[] = [];
    whereIn(where, params, 'p.slug', f.slug, `${p}.slug`);
    whereText(where, params, 'p.name', f.name, `${p}.name`);
    whereIn(where, params, 'p.kind', f.kind, `${p}.kind`, 'producer_kind');
    whereRelated(where, params, f.studio, `${p}.studio`, 'ss.slug', (c) => `EXISTS (SELECT 1 FROM producer_studio sps JOIN studio ss ON ss.id = sps.studio_id WHERE sps.producer_id = p.id AND ${c})`, 'studio');
    whereRelated(where, params, f.film, `${p}.film`, 'ff.slug', (c) => `EXISTS (SELECT 1 FROM film_producer ffp JOIN film ff ON ff.id = ffp.film_id WHERE ffp.producer_id = p.id AND ${c})`, 'film');
    return where;
  });
}

/** How producers are searched (fuzzy.ts): by name; popularity for people: their credits. */
export function producerSearched(a: string): Searched {
  return { text: `${a}.name`, popularity: `(SELECT count(*) FROM film_producer x WHERE x.producer_id = ${a}.id)` };
}

/** The root `producers` list: rows of `producer p` matching search and filter. */
export function producerListSource(params: Params, search?: string | null, filter?: ProducerFilter | null, fields?: Selection): ListSource {
  return searchable({ select: producerColumns('p', fields), from: 'producer p', where: producerConditions(filter, params) }, params, producerSearched('p'), search);
}

export function producerListOrder(orderBy?: ProducerOrder[] | null, search?: string | null): SortKey[] {
  return buildOrder(orderBy, [{ field: ProducerOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 'p.id', search);
}

