import type { Role } from '../auth/roles';
import type { CountingQueryable } from '../db/pool';
import type { Limits } from './limits';
import type { Reads } from '../db/reads';

/**
 * Every loader of a request, by name. Each domain declares its loaders into this interface itself
 * (declaration merging, in its `*.loaders.ts`), so that shared code can name the type without
 * importing any domain; src/app/context.ts makes them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Loaders {}

/** Who is calling: an API key's name and role, or nobody. */
export interface Auth {
  name: string | null;
  role: Role | null;
}

/** What every resolver receives. Domains may declare more into it, as the live deal feed does. */
export interface Context {
  /** Runs SQL for this request and counts the statements. */
  db: CountingQueryable;
  loaders: Loaders;
  /** Forgets everything the loaders cached: after a write, and between events of a subscription. */
  dropLoaders(): void;
  limits: Limits;
  /** The caller: an API key's name and role, or anonymous. */
  auth: Auth;
  requestId: string;
  /** The tables the request's statements read, when the response cache may keep its answer. */
  reads?: Reads;
}
