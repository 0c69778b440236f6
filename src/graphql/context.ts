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

/** Every loader of one request. Built fresh per request: caches never outlive it or leak across callers. */
export function createLoaders(db: Queryable, limits: Limits = DEFAULT_LIMITS) {
  return {
    ...createStudioLoaders(db),
    ...createProducerLoaders(db),
    ...createFilmLoaders(db),
    ...createDealLoaders(db),
    ...createNetworkLoaders(db, limits),
  };
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
  const db = new CountingQueryable(base, options.onBatch);
  const limits = options.limits ?? DEFAULT_LIMITS;
  return { db, loaders: createLoaders(db, limits), limits, auth: options.auth ?? ANONYMOUS, requestId: options.requestId ?? randomUUID(), feed: options.feed };
}
