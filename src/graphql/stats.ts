import { badUserInput } from './errors';

/**
 * Shared by the analysts' aggregates (`dealStats`, `filmStats`): a grouped query is built from the
 * keys asked for, so that every grouping is one SQL statement.
 */

/** Groups beyond this make an error rather than a huge response. */
export const MAX_GROUPS = 10_000;

export interface GroupKey {
  /** Column alias in the grouped query, such as `k_year`. */
  alias: string;
  /** SQL expression of the key over the rows being grouped. */
  sql: string;
}

/** Refuses duplicate keys in `groupBy`, naming the argument. */
export function distinctKeys<K extends string>(groupBy: K[]): K[] {
  const seen = new Set<K>();
  for (const key of groupBy) {
    if (seen.has(key)) throw badUserInput('groupBy', `Argument "groupBy" lists ${key} more than once.`);
    seen.add(key);
  }
  return groupBy;
}

/** The error for a grouping with too many groups. */
export function tooManyGroups(): Error {
  return badUserInput('groupBy', `This grouping has more than ${MAX_GROUPS} groups; narrow the filter or group by fewer keys.`);
}
