import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { subsidiariesByStudioId } from './studio-ownership';
import { Studio, studioColumns } from './studio.type';

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
