import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { withFields } from '../graphql/columns';
import { subsidiariesByStudioId } from './studio-ownership';
import { Studio, studioColumns } from './studio.type';

/** The per-request loaders of this folder: studios by id and slug, and the relations it owns. */
export function createStudioLoaders(db: Queryable) {
  const studioById = loaderByKey('studioById', db, (fields) => `SELECT ${studioColumns('s', fields)} FROM studio s WHERE s.id = ANY($1::int[])`, Studio.fromRow, (s) => s.rowId);
  const studioBySlug = loaderByKey(
    'studioBySlug',
    db,
    (fields) => `SELECT ${studioColumns('s', withFields(fields, 'slug'))} FROM studio s WHERE s.slug = ANY($1::text[])`,
    Studio.fromRow,
    (s) => s.slug,
    (s, selections) => selections.forEach((fields) => studioById.prime(s.rowId, s, fields)),
  );

  return { studioById, studioBySlug, subsidiariesByStudioId: subsidiariesByStudioId(db) };
}

type StudioLoaders = ReturnType<typeof createStudioLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createStudioLoaders. */
  interface Loaders extends StudioLoaders {}
}
