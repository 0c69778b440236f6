import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { Params, RelationLoader, type ListSource, type SortKey } from '../graphql/connection';
import { buildOrder, OrderDirection, whereIn, whereRange, whereRelated, whereSearch } from '../graphql/filters';
import { FilmOrderField, type FilmFilter, type FilmOrder } from './film.inputs';
import { Film, filmColumns } from './film.type';

/** Credits list a studio's or producer's films latest first, undated (upcoming) ones last. */
const LATEST_FIRST: SortKey[] = [
  { name: 'RELEASE_DATE', sql: 'f.release_date', type: 'date', desc: true, nullable: true },
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];

const BY_TITLE: SortKey[] = [
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];

const ORDERABLE = {
  [FilmOrderField.TITLE]: { sql: 'f.title', type: 'text' },
  [FilmOrderField.RELEASE_DATE]: { sql: 'f.release_date', type: 'date', nullable: true },
  [FilmOrderField.CREATED_AT]: { sql: 'f.created_at', type: 'timestamptz' },
} as const;

/** The root `films` list: rows of `film f` matching search and filter. */
export function filmListSource(params: Params, search?: string | null, filter?: FilmFilter | null): ListSource {
  const where: string[] = [];
  whereSearch(where, params, ['f.title'], search);
  whereIn(where, params, 'f.slug', filter?.slug, 'filter.slug');
  whereIn(where, params, 'f.status', filter?.status, 'filter.status', 'film_status');
  whereRange(where, params, 'f.release_date', filter?.releaseDate, 'filter.releaseDate', 'date');
  if (filter?.genre) {
    if (filter.genre.eq != null) where.push(`${params.add(filter.genre.eq)} = ANY(f.genres)`);
    if (filter.genre.in != null) where.push(`f.genres && ${params.add(filter.genre.in, 'text[]')}`);
  }
  whereRelated(where, params, filter?.studio, 'filter.studio', 's.slug', (c) => `EXISTS (SELECT 1 FROM film_studio fs JOIN studio s ON s.id = fs.studio_id WHERE fs.film_id = f.id AND ${c})`);
  whereRelated(where, params, filter?.producer, 'filter.producer', 'p.slug', (c) => `EXISTS (SELECT 1 FROM film_producer fp JOIN producer p ON p.id = fp.producer_id WHERE fp.film_id = f.id AND ${c})`);
  return { select: filmColumns('f'), from: 'film f', where };
}

export function filmListOrder(orderBy?: FilmOrder[] | null): SortKey[] {
  return buildOrder(orderBy, [{ field: FilmOrderField.TITLE, direction: OrderDirection.ASC }], ORDERABLE, 'f.id');
}

/** The per-request loaders that return films. */
export function createFilmLoaders(db: Queryable) {
  const filmById = loaderByKey(db, `SELECT ${filmColumns('f')} FROM film f WHERE f.id = ANY($1::int[])`, Film.fromRow, (f) => f.rowId);
  const filmBySlug = loaderByKey(
    db,
    `SELECT ${filmColumns('f')} FROM film f WHERE f.slug = ANY($1::text[])`,
    Film.fromRow,
    (f) => f.slug,
    (f) => filmById.prime(f.rowId, f),
  );

  const filmsByStudioId = new RelationLoader<{ role: string | null }>(db, {
    parentColumn: 'fs.studio_id',
    source: ({ role }, params) => ({
      select: `${filmColumns('f')}, fs.role AS "_role"`,
      from: 'film_studio fs JOIN film f ON f.id = fs.film_id',
      where: role ? [`fs.role = ${params.add(role, 'studio_credit_role')}`] : [],
    }),
    order: () => [...LATEST_FIRST, { name: 'ROLE', sql: 'fs.role::text', type: 'text' }],
  });

  const filmsByProducerId = new RelationLoader<{ role: string | null }>(db, {
    parentColumn: 'fp.producer_id',
    source: ({ role }, params) => ({
      select: `${filmColumns('f')}, fp.role AS "_role"`,
      from: 'film_producer fp JOIN film f ON f.id = fp.film_id',
      where: role ? [`fp.role = ${params.add(role, 'producer_credit_role')}`] : [],
    }),
    order: () => [...LATEST_FIRST, { name: 'ROLE', sql: 'fp.role::text', type: 'text' }],
  });

  const filmsByDealId = new RelationLoader<object>(db, {
    parentColumn: 'df.deal_id',
    source: () => ({ select: filmColumns('f'), from: 'deal_film df JOIN film f ON f.id = df.film_id', where: [] }),
    order: () => BY_TITLE,
  });

  return { filmById, filmBySlug, filmsByStudioId, filmsByProducerId, filmsByDealId };
}
