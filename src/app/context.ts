import { randomUUID } from 'node:crypto';
import { ANONYMOUS, type Auth } from '../auth/auth';
import { CountingQueryable, type Queryable } from '../db/pool';
import type { Reads } from '../db/reads';
import type { DealFeed } from '../deal/deal-feed';
import { createDealLoaders } from '../deal/deal.loaders';
import { createFilmLoaders } from '../film/film.loaders';
import type { Context, Loaders } from '../graphql/context';
import { DEFAULT_LIMITS, type Limits } from '../graphql/limits';
import { createNetworkLoaders } from '../network/network.loaders';
import { createProducerLoaders } from '../producer/producer.loaders';
import { createStudioLoaders } from '../studio/studio.loaders';

/**
 * A request's context and its loaders, assembled from every domain's loader group. Loaders of one
 * group may call each other (a studio loaded by slug primes the one by id).
 */
const GROUPS: ReadonlyArray<(db: Queryable, limits: Limits) => object> = [
  (db) => createStudioLoaders(db),
  (db) => createProducerLoaders(db),
  (db) => createFilmLoaders(db),
  (db) => createDealLoaders(db),
  (db, limits) => createNetworkLoaders(db, limits),
];

/**
 * A request's loaders, each group made when one of its loaders is first used: a request reads a few
 * of some 30 loaders, and making them all took 2% of the CPU of a small query. The getters live on
 * the prototype (defined once), so every request's object has the same shape.
 */
class RequestLoaders {
  readonly groups: (object | undefined)[] = GROUPS.map(() => undefined);

  constructor(
    readonly db: Queryable,
    readonly limits: Limits,
  ) {}
}

// A stand-in database, only to learn each group's loader names once: nothing is ever queried through it.
const NAMES_ONLY: Queryable = {
  query: () => Promise.reject(new Error('not a database')),
  transaction: () => Promise.reject(new Error('not a database')),
};
GROUPS.forEach((make, group) => {
  for (const name of Object.keys(make(NAMES_ONLY, DEFAULT_LIMITS))) {
    Object.defineProperty(RequestLoaders.prototype, name, {
      get(this: RequestLoaders) {
        const loaders = (this.groups[group] ??= make(this.db, this.limits)) as Record<string, unknown>;
        return loaders[name];
      },
    });
  }
});

/** Every loader of one request. Built fresh per request: caches never outlive it or leak across callers. */
export function createLoaders(db: Queryable, limits: Limits = DEFAULT_LIMITS): Loaders {
  return new RequestLoaders(db, limits) as unknown as Loaders;
}

/**
 * Drops a request's loaders, and with them every row and list they cached; a loader used afterwards
 * is made afresh. Done after each committed write (what was read may be stale), and by the HTTP
 * server once the response is written, so that what may still reach the context for a while does not
 * reach the rows: whatever is reachable at a scavenge, V8's young-generation collector copies, then
 * promotes (see src/execution/retention.ts).
 */
export function releaseLoaders(loaders: Loaders): void {
  (loaders as unknown as RequestLoaders).groups.fill(undefined);
}

export function createContext(
  base: Queryable,
  options: { requestId?: string; limits?: Limits; auth?: Auth; onBatch?: (loader: string, size: number) => void; feed?: DealFeed; reads?: Reads } = {},
): Context {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const dropLoaders = () => releaseLoaders(loaders);
  // Every committed write drops the loaders: the next mutation of the operation, and its payload,
  // read the catalogue as it now is, never a page or a row cached before the write.
  const db = new CountingQueryable(base, options.onBatch, dropLoaders, options.reads);
  const loaders = createLoaders(db, limits);
  return { db, loaders, dropLoaders, limits, auth: options.auth ?? ANONYMOUS, requestId: options.requestId ?? randomUUID(), feed: options.feed, reads: options.reads };
}
