import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { Params, RelationLoader, type ListSource, type SortKey } from '../graphql/connection';
import { buildOrder, OrderDirection, whereIn, whereRelated, whereSearch } from '../graphql/filters';
import { ProducerOrderField, type ProducerFilter, type ProducerOrder } from './producer.inputs';
import { Producer, producerColumns } from './producer.type';

const BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 'p.name', type: 'text' },
  { name: 'ID', sql: 'p.id', type: 'int' },
];

const ORDERABLE = {
  [ProducerOrderField.NAME]: { sql: 'p.name', type: 'text' },
  [ProducerOrderField.CREATED_AT]: { sql: 'p.created_at', type: 'timestamptz' },
} as const;

/** The root `producers` list: rows of `producer p` matching search and filter. */
export function producerListSource(params: Params, search?: string | null, filter?: ProducerFilter | null): ListSource {
  const where: string[] = [];
  whereSearch(where, params, ['p.name'], search);
  whereIn(where, params, 'p.slug', filter?.slug, 'filter.slug');
  whereIn(where, params, 'p.kind', filter?.kind, 'filter.kind', 'producer_kind');
  whereRelated(where, params, filter?.studio, 'filter.studio', 's.slug', (c) => `EXISTS (SELECT 1 FROM producer_studio ps JOIN studio s ON s.id = ps.studio_id WHERE ps.producer_id = p.id AND ${c})`);
  return { select: producerColumns('p'), from: 'producer p', where };
}

export function producerListOrder(orderBy?: ProducerOrder[] | null): SortKey[] {
  return buildOrder(orderBy, [{ field: ProducerOrderField.NAME, direction: OrderDirection.ASC }], ORDERABLE, 'p.id');
}

/** The per-request loaders that return producers. */
export function createProducerLoaders(db: Queryable) {
  const producerById = loaderByKey(db, `SELECT ${producerColumns('p')} FROM producer p WHERE p.id = ANY($1::int[])`, Producer.fromRow, (p) => p.rowId);
  const producerBySlug = loaderByKey(
    db,
    `SELECT ${producerColumns('p')} FROM producer p WHERE p.slug = ANY($1::text[])`,
    Producer.fromRow,
    (p) => p.slug,
    (p) => producerById.prime(p.rowId, p),
  );

  const producersByFilmId = new RelationLoader<{ role: string | null }>(db, {
    parentColumn: 'fp.film_id',
    source: ({ role }, params) => ({
      select: `${producerColumns('p')}, fp.role AS "_role"`,
      from: 'film_producer fp JOIN producer p ON p.id = fp.producer_id',
      where: role ? [`fp.role = ${params.add(role, 'producer_credit_role')}`] : [],
    }),
    order: () => [...BY_NAME, { name: 'ROLE', sql: 'fp.role::text', type: 'text' }],
  });

  const producersByStudioId = new RelationLoader<object>(db, {
    parentColumn: 'ps.studio_id',
    source: () => ({
      select: `${producerColumns('p')}, ps.title AS "_title"`,
      from: 'producer_studio ps JOIN producer p ON p.id = ps.producer_id',
      where: [],
    }),
    order: () => BY_NAME,
  });

  return { producerById, producerBySlug, producersByFilmId, producersByStudioId };
}
