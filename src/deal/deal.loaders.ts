import type { Queryable } from '../db/pool';
import { loaderByKey } from '../graphql/batch';
import { withFields } from '../graphql/columns';
import { dealsByFilmId } from './film-deals';
import { filmsByDealId } from './deal-films';
import { partiesByDealId } from './deal-parties';
import { sourcesByDealId } from './deal-sources';
import { Deal, dealColumns } from './deal.type';
import { dealsByStudioId } from './studio-deals';
import { partnersByStudioId } from './studio-partners';

/** The per-request loaders of this folder: deals by id, and the relations it owns (parties, partners, films, sources). */
export function createDealLoaders(db: Queryable) {
  const dealById = loaderByKey('dealById', db, (fields) => `SELECT ${dealColumns('d', fields)} FROM deal d WHERE d.id = ANY($1::int[])`, Deal.fromRow, (d) => d.rowId);
  const dealBySlug = loaderByKey(
    'dealBySlug',
    db,
    (fields) => `SELECT ${dealColumns('d', withFields(fields, 'slug'))} FROM deal d WHERE d.slug = ANY($1::text[])`,
    Deal.fromRow,
    (d) => d.slug,
    (d, selections) => selections.forEach((fields) => dealById.prime(d.rowId, d, fields)),
  );

  // A deal's number in the live feed (Deal.feedCursor).
  const announcementByDealId = loaderByKey(
    'announcementByDealId',
    db,
    () => 'SELECT deal_id, seq FROM deal_announcement WHERE deal_id = ANY($1::int[])',
    (row) => ({ dealId: row.deal_id as number, seq: Number(row.seq) }),
    (a) => a.dealId,
  );

  return {
    dealById,
    dealBySlug,
    announcementByDealId,
    dealsByStudioId: dealsByStudioId(db),
    partnersByStudioId: partnersByStudioId(db),
    partiesByDealId: partiesByDealId(db),
    sourcesByDealId: sourcesByDealId(db),
    filmsByDealId: filmsByDealId(db),
    dealsByFilmId: dealsByFilmId(db),
  };
}

type DealLoaders = ReturnType<typeof createDealLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createDealLoaders. */
  interface Loaders extends DealLoaders {}
}
