import type { Params } from './connection/keyset';
import { badUserInput } from './errors';

/**
 * Fuzzy text matching and ranking, done by PostgreSQL with the indexes of the Search migration. One
 * mechanism for the `search` root field and the `search:` argument of root lists, so both rank alike.
 *
 * Which rows match: both sides normalised by `mg_norm` (lower case, accents removed), a row matches
 * when any of these hold, each backed by a GIN index:
 * - trigram similarity of the whole text (pg_trgm `%`, threshold 0.3): typos in short names,
 *   "Zemekis" for "Robert Zemeckis", other word orders;
 * - trigram word similarity (`<%`, threshold 0.5: WORD_SIMILARITY_THRESHOLD, set on every session by db/pool.ts): the query is
 *   close to a part of the text, "alibba" in "Alibaba Pictures", "harry poter" in "Harry Potter and
 *   the Goblet of Fire";
 * - English full-text search: stemmed words, "steel soldier" for "Steel Soldiers".
 *
 * How they rank: the score is a tier plus up to 0.9 of trigram closeness, so that a better tier
 * always wins. Tiers compare the texts as keys (`mg_title_key`: no case, accents, punctuation or
 * leading article, so "godfather" and "the godfather" both are "The Godfather"):
 * 4 the key is the query's (an exact name or title), 3 it starts with it (a prefix: "Godfather Part
 * II"), 2 a word of it does ("zemeckis", "spielb"), or it holds every word of the query in any order
 * (full text: "soldiers steel"), 1 otherwise (a fuzzy match). A deal's title only mentions what the
 * deal is about, so but for an exact title a deal ranks half a tier lower than a studio, person or
 * film matching the same way (and above one that matches only fuzzily when the deal holds every word:
 * "wanda stake"). Equal scores are broken by popularity (IMDb votes for films, credits for people,
 * films and deals for studios), then by name.
 */

export const MAX_QUERY_LENGTH = 200;

/** What a kind of object is searched by: its text, and how popular a row is. */
export interface Searched {
  /** SQL text expression: the name or title. */
  text: string;
  /** SQL bigint expression: the popularity that breaks ties (0 when a kind has none). */
  popularity: string;
  /** Whether the text only mentions other things (a deal's title): a tier lower but for exact matches. */
  mentions?: boolean;
}

/** The query as a bound, normalised SQL value; validates its length. */
export function searchTerm(params: Params, query: string, argumentName: string): string | undefined {
  const term = query.trim();
  if (!term) return undefined;
  if (term.length > MAX_QUERY_LENGTH) {
    throw badUserInput(argumentName, `Argument "${argumentName}" is limited to ${MAX_QUERY_LENGTH} characters, but got ${term.length}.`);
  }
  return `mg_norm(${params.add(term, 'text')})`;
}

/**
 * Match condition, relevance score (numeric, two decimals), popularity and name of a searched text
 * against a normalised `term` (from searchTerm).
 */
export function fuzzy(searched: Searched, term: string): { condition: string; score: string; popularity: string; name: string } {
  const text = `mg_norm(${searched.text})`;
  const vector = `to_tsvector('english', ${text})`;
  const query = `plainto_tsquery('english', ${term})`;
  // The keys, computed once per row (k.text, k.term) rather than once per use: OFFSET 0 keeps the
  // planner from substituting the function calls back into every reference. mg_title_key keeps only
  // [a-z0-9 ], so the keys hold no LIKE wildcards.
  const key = 'k.text';
  const termKey = 'k.term';
  const demote = searched.mentions ? ' - 0.5' : '';
  const tier =
    `CASE WHEN ${key} = ${termKey} THEN 4` +
    ` WHEN ${key} LIKE ${termKey} || '%' THEN 3${demote}` +
    ` WHEN ' ' || ${key} LIKE '% ' || ${termKey} || '%' OR ${vector} @@ ${query} THEN 2${demote}` +
    ` ELSE 1${demote} END`;
  // Up to 0.9: how much of the query is in the text (word similarity), and how much of the text is
  // the query (similarity), so "terminater" puts The Terminator above Terminator 2: Judgment Day.
  const closeness = `0.6 * word_similarity(${termKey}, ${key}) + 0.3 * similarity(${key}, ${termKey})`;
  return {
    condition: `(${text} % ${term} OR ${term} <% ${text} OR ${vector} @@ ${query})`,
    score:
      `(SELECT round((${tier} + ${closeness})::numeric, 2)` +
      ` FROM (SELECT mg_title_key(${searched.text}) AS text, mg_title_key(${term}) AS term OFFSET 0) k)`,
    popularity: `(${searched.popularity})::bigint`,
    name: searched.text,
  };
}
