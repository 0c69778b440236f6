import { LRUCache } from 'lru-cache';

/**
 * Which tables a request read, from the text of its statements: what the response cache
 * (http/response-cache.ts) keeps an answer with, and drops it by when one of them is written.
 */

/** The tables whose writes notify (migration ResponseCacheInvalidation); answers may read only these. */
export const WATCHED_TABLES = [
  'studio',
  'producer',
  'film',
  'deal',
  'film_studio',
  'film_producer',
  'deal_party',
  'studio_partner',
  'deal_announcement',
  'deal_film',
  'deal_source',
  'source',
  'producer_studio',
  'api_key',
  'audit_log',
  'import_run',
  'import_reject',
  'seed_history',
] as const;

/** Tables written without notifying (bookkeeping written on every request or write): an answer that reads one is not kept. */
export const UNWATCHED_TABLES = ['rate_limit_window', 'commit_receipt', 'migrations', 'deal_feed_state'];

const TABLE_WORDS = new RegExp(`\\b(${[...WATCHED_TABLES, ...UNWATCHED_TABLES].join('|')})\\b`, 'g');

/** The tables a statement names (null: one the cache is not told about). Statement texts repeat: kept per text. */
const tagsOfText = new LRUCache<string, { tables: readonly string[] | null }>({ max: 2_000 });

export function tablesOf(sql: string): readonly string[] | null {
  let tags = tagsOfText.get(sql);
  if (tags === undefined) {
    const found = new Set(sql.match(TABLE_WORDS) ?? []);
    tags = { tables: UNWATCHED_TABLES.some((t) => found.has(t)) ? null : [...found] };
    tagsOfText.set(sql, tags);
  }
  return tags.tables;
}

/** What one request read, recorded statement by statement (the request's CountingQueryable tells it). */
export class Reads {
  readonly tables = new Set<string>();
  cacheable = true;

  statement(sql: string): void {
    const tags = tablesOf(sql);
    if (tags === null) this.cacheable = false;
    else for (const tag of tags) this.tables.add(tag);
  }
}
