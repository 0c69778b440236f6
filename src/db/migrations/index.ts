import { Initial1795904112473 } from './1795904112473-Initial';
import { Search1795910000000 } from './1795910000000-Search';
import { Writes1795920000000 } from './1795920000000-Writes';
import { ListOrders1795930000000 } from './1795930000000-ListOrders';
import { DealFeed1795940000000 } from './1795940000000-DealFeed';
import { RateLimits1795950000000 } from './1795950000000-RateLimits';
import { LinkIndexes1795960000000 } from './1795960000000-LinkIndexes';
import { CommitReceipts1795970000000 } from './1795970000000-CommitReceipts';
import { RateLimitWindows1795980000000 } from './1795980000000-RateLimitWindows';
import { FilmCatalogueFields1795990000000 } from './1795990000000-FilmCatalogueFields';
import { CreditSortKeys1796000000000 } from './1796000000000-CreditSortKeys';
import { ResponseCacheInvalidation1796010000000 } from './1796010000000-ResponseCacheInvalidation';
import { StudioPartners1796020000000 } from './1796020000000-StudioPartners';
import { DealAnnouncements1796030000000 } from './1796030000000-DealAnnouncements';

/** Every migration, in order. Listed explicitly (not globbed) so that compiled and test runs load the same set. */
export const migrations: Function[] = [Initial1795904112473, Search1795910000000, Writes1795920000000, ListOrders1795930000000, DealFeed1795940000000, RateLimits1795950000000, LinkIndexes1795960000000, CommitReceipts1795970000000, RateLimitWindows1795980000000, FilmCatalogueFields1795990000000, CreditSortKeys1796000000000, ResponseCacheInvalidation1796010000000, StudioPartners1796020000000, DealAnnouncements1796030000000];
