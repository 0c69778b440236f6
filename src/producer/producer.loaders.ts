import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { withFields } from '../graphql/columns';
import { studiosByProducerId } from './producer-studios';
import { Producer, producerColumns } from './producer.type';
import { producersByStudioId } from './studio-producers';

/** The per-request loaders of this folder: producers by id and slug, and the relations it owns. */
export function createProducerLoaders(db: Queryable) {
  const producerById = loaderByKey('producerById', db, (fields) => `SELECT ${producerColumns('p', fields)} FROM producer p WHERE p.id = ANY($1::int[])`, Producer.fromRow, (p) => p.rowId);
  const producerBySlug = loaderByKey(
    'producerBySlug',
    db,
    (fields) => `SELECT ${producerColumns('p', withFields(fields, 'slug'))} FROM producer p WHERE p.slug = ANY($1::text[])`,
    Producer.fromRow,
    (p) => p.slug,
    (p, selections) => selections.forEach((fields) => producerById.prime(p.rowId, p, fields)),
  );

  return { producerById, producerBySlug, producersByStudioId: producersByStudioId(db), studiosByProducerId: studiosByProducerId(db) };
}

type ProducerLoaders = ReturnType<typeof createProducerLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createProducerLoaders. */
  interface Loaders extends ProducerLoaders {}
}
