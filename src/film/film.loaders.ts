import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { withFields } from '../graphql/columns';
import { producersByFilmId } from './film-producers';
import { studiosByFilmId } from './film-studios';
import { Film, filmColumns } from './film.type';
import { filmsByProducerId } from './producer-films';
import { filmsByStudioId } from './studio-films';

/** The per-request loaders of this folder: films by id and slug, and the credits it owns. */
export function createFilmLoaders(db: Queryable) {
  const filmById = loaderByKey('filmById', db, (fields) => `SELECT ${filmColumns('f', fields)} FROM film f WHERE f.id = ANY($1::int[])`, Film.fromRow, (f) => f.rowId);
  const filmBySlug = loaderByKey(
    'filmBySlug',
    db,
    (fields) => `SELECT ${filmColumns('f', withFields(fields, 'slug'))} FROM film f WHERE f.slug = ANY($1::text[])`,
    Film.fromRow,
    (f) => f.slug,
    (f, selections) => selections.forEach((fields) => filmById.prime(f.rowId, f, fields)),
  );

  return {
    filmById,
    filmBySlug,
    filmsByStudioId: filmsByStudioId(db),
    studiosByFilmId: studiosByFilmId(db),
    producersByFilmId: producersByFilmId(db),
    filmsByProducerId: filmsByProducerId(db),
  };
}

type FilmLoaders = ReturnType<typeof createFilmLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createFilmLoaders. */
  interface Loaders extends FilmLoaders {}
}
