import type { Params } from './connection';
import { badUserInput } from './errors';

/**
 * Fuzzy text matching, done by PostgreSQL with the indexes of the Search migration. One mechanism for
 * the `search` root field and the `search:` argument of root lists.
 *
 * Both sides are normalised by `mg_norm` (lower case, accents removed), so "Amelie" finds "Amélie".
 * A document matches when any of these hold, each backed by a GIN index:
 * - trigram similarity of the whole text (pg_trgm `%`, threshold 0.3): typos in short names,
 *   "Zemekis" for "Robert Zemeckis";
 * - trigram word similarity (`<%`, threshold 0.6): the query is close to a part of the text,
 *   "wanda" in "Alibaba acquires a 7.66% stake in Wanda Film";
 * - English full-text search: stemmed words, "steel soldier" for "Steel Soldiers".
 * The score adds the similarities, the full-text rank and a bonus for an exact match; it is rounded to
 * a decimal so that cursors can hold it exactly.
 */

export const MAX_QUERY_LENGTH = 200;

/** The query as a bound, normalised SQL value; validates its length. */
export function searchTerm(params: Params, query: string, argumentName: string): string | undefined {
  const term = query.trim();
  if (!term) return undefined;
  if (term.length > MAX_QUERY_LENGTH) {
    throw badUserInput(argumentName, `Argument "${argumentName}" is limited to ${MAX_QUERY_LENGTH} characters, but got ${term.length}.`);
  }
  return `mg_norm(${params.add(term, 'text')})`;
}

/** Match condition and relevance score of the text expression `doc` against a normalised `term`. */
export function fuzzy(doc: string, term: string): { condition: string; score: string } {
  const text = `mg_norm(${doc})`;
  const vector = `to_tsvector('english', ${text})`;
  const query = `plainto_tsquery('english', ${term})`;
  return {
    condition: `(${text} % ${term} OR ${term} <% ${text} OR ${vector} @@ ${query})`,
    score:
      `round((GREATEST(similarity(${text}, ${term}), word_similarity(${term}, ${text})) + ts_rank(${vector}, ${query})` +
      ` + CASE WHEN ${text} = ${term} THEN 1 ELSE 0 END)::numeric, 6)`,
  };
}
