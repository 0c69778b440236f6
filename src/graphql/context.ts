import { randomUUID } from 'node:crypto';
import { ANONYMOUS, type Auth } from '../auth/auth';
import { CountingQueryable, type Queryable } from '../db/pool';
import type { DealFeed } from '../deal/deal-feed';
import { createDealLoaders } from '../deal/deal.loaders';
import { createFilmLoaders } from '../film/film.loaders';
import { createNetworkLoaders } from '../network/network.loaders';
import { createProducerLoaders } from '../producer/producer.loaders';
import { createStudioLoaders } from '../studio/studio.loaders';
import { DEFAULT_LIMITS, type Limits } from './limits';

/** The loader groups; loaders of one group may call each other (a studio loaded by slug primes the one by id). */
const GROUPS = [
  (db: Queryable) => createStudioLoaders(db),
  (db: Queryable) => createProducerLoaders(db),
  (db: Queryable) => createFilmLoaders(db),
  (db: Queryable) => createDealLoaders(db),
  (db: Queryable, limits: Limits) => createNetworkLoaders(db, limits),
] as const;

type Eager = ReturnType<(typeof GROUPS)[0]> &
  ReturnType<(typeof GROUPS)[1]> &
  ReturnType<(typeof GROUPS)[2]> &
  ReturnType<(typeof GROUPS)[3]> &
  ReturnType<(typeof GROUPS)[4]>;

/**
 * A request's loaders, each group made when one of its loaders is first used: a request reads a few
 * of some 30 loaders, and making them all took 2% of the CPU of a small query. The getters live on
 * the prototype (defined once), so every request's object has the same shape.
 */
class RequestLoaders {
  readonly groups: (object | undefined)[] = [undefined, undefined, undefined, undefined, undefined];

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
export function createLoaders(db: Queryable, limits: Limits = DEFAULT_LIMITS): Eager {
  return new RequestLoaders(db, limits) as unknown as Eager;
}

/**
 * Drops a finished request's loaders, and with them every row and list they cached; a loader used
 * afterwards is made afresh. The HTTP server calls it once the response is written, so that what may
 * still reach the context for a while does not reach the rows: whatever is reachable at a scavenge,
 * V8's young-generation collector copies, then promotes. Apollo's gateway request context did reach
 * it (gateway-context.ts builds it without that): 130 KB per request on the benchmark's Q3, scavenges
 * of 9 ms instead of 4, a major collection every 1.5 s, until both.
 */
export function releaseLoaders(loaders: Loaders): void {
  (loaders as unknown as RequestLoaders).groups.fill(undefined);
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver receives. */
export interface Context {
  /** Runs SQL for this request and counts the statements. */
  db: CountingQueryable;
  loaders: Loaders;
  limits: Limits;
  /** The caller: an API key's name and role, or anonymous. */
  auth: Auth;
  requestId: string;
  /** The live deal feed, on WebSocket connections only. */
  feed?: DealFeed;
}

export function createContext(
  base: Queryable,
  options: { requestId?: string; limits?: Limits; auth?: Auth; onBatch?: (loader: string, size: number) => void; feed?: DealFeed } = {},
): Context {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Every committed write drops the loaders: the next mutation of the operation, and its payload,
  // read the catalogue as it now is, never a page or a row cached before the write.
  const db = new CountingQueryable(base, options.onBatch, () => releaseLoaders(loaders));
  const loaders = createLoaders(db, limits);
  return { db, loaders, limits, auth: options.auth ?? ANONYMOUS, requestId: options.requestId ?? randomUUID(), feed: options.feed };
}
