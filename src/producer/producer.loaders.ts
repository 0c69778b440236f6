import type { Selection } from '../graphql/columns';
import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import type { ListSource, Params, SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRelated, whereText } from '../graphql/filters';
import { ProducerOrderField, type ProducerFilter, type ProducerOrder } from './producer.inputs';
import { studiosByProducerId } from './producer-studios';
import { Producer, producerColumns } from './producer.type';
import { producersByStudioId } from './studio-producers';

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

/** The root `producers` list: rows of `producer p` matching search and filter. */
export function producerListSource(params: Params, search?: string | null, filter?: ProducerFilter | null, fields?: Selection): ListSource {
  return searchable({ select: producerColumns('p', fields), from: 'producer p', where: producerConditions(filter, params) }, params, 'p.name', search);
}

export function producerListOrder(orderBy?: ProducerOrder[] | null, search?: string | null): SortKey[] {
  return buildOrder(orderBy, [{ field: ProducerOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 'p.id', search);
}

/** The per-request loaders of this folder: producers by id and slug, and the relations it owns. */
export function createProducerLoaders(db: Queryable) {
  const producerById = loaderByKey('producerById', db, `SELECT ${producerColumns('p')} FROM producer p WHERE p.id = ANY($1::int[])`, Producer.fromRow, (p) => p.rowId);
  const producerBySlug = loaderByKey(
    'producerBySlug',
    db,
    `SELECT ${producerColumns('p')} FROM producer p WHERE p.slug = ANY($1::text[])`,
    Producer.fromRow,
    (p) => p.slug,
    (p) => producerById.prime(p.rowId, p),
  );

  return { producerById, producerBySlug, producersByStudioId: producersByStudioId(db), studiosByProducerId: studiosByProducerId(db) };
}

type ProducerLoaders = ReturnType<typeof createProducerLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createProducerLoaders. */
  interface Loaders extends ProducerLoaders {}
}
