import type { Selection } from '../columns';

/**
 * Keyset pagination in SQL: a page is "rows after (or before) these sort-key values", in the list's
 * order, so pages stay stable while rows are inserted and PostgreSQL seeks with an index instead of
 * counting rows to skip. Every ordering ends with the row id, so the order is total; NULLs sort last
 * in both directions. Pure functions from a list's source, order and page to SQL text and parameters.
 */

export type KeyType = 'int' | 'bigint' | 'text' | 'date' | 'timestamptz' | 'numeric' | 'bool';

/** One column of an ordering. */
export interface SortKey {
  /** Stable name written into cursors, so a cursor of another ordering is recognised and refused. */
  name: string;
  /** SQL expression. */
  sql: string;
  type: KeyType;
  desc?: boolean;
  /** Whether the expression can be NULL (NULLs sort last in both directions). */
  nullable?: boolean;
}

const CASTS: Record<KeyType, string> = {
  int: 'int',
  bigint: 'bigint',
  text: 'text',
  date: 'date',
  timestamptz: 'timestamptz',
  numeric: 'numeric',
  bool: 'boolean',
};

/** A validated page request: how many rows, in which direction, between which cursors. */
export interface Page {
  limit: number;
  backward: boolean;
  after?: unknown[];
  before?: unknown[];
}

/** Bound parameters of one statement. */
/** The tables whose records filters name by slug. */
export type ReferencedTable = 'studio' | 'producer' | 'film' | 'deal';

export class Params {
  readonly values: unknown[] = [];
  /** Slugs a filter names of other records, checked to exist before the list runs (graphql/references.ts). */
  readonly references: Array<{ table: ReferencedTable; slugs: string[]; argumentName: string }> = [];

  /** Notes that a filter names these slugs of `table`. */
  reference(table: ReferencedTable, filter: { eq?: string | null; in?: string[] | null } | null | undefined, argumentName: string): void {
    if (filter?.eq != null) this.references.push({ table, slugs: [filter.eq], argumentName: `${argumentName}.eq` });
    if (filter?.in != null && filter.in.length) this.references.push({ table, slugs: filter.in, argumentName: `${argumentName}.in` });
  }

  /** Adds a value and returns its placeholder, with a cast when given (`$3::int[]`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** The rows a list is made of, before ordering and pagination. */
export interface ListSource {
  /** SELECT list (the node's columns and the edge's extras, the latter prefixed with `_`). */
  select: string;
  /** FROM clause with its joins. */
  from: string;
  /** Conditions joined with AND; values go through `Params`. */
  where: string[];
}

/** SQL for "rows strictly after (or before) the cursor values" in the list's order. */
function seek(order: SortKey[], values: unknown[], side: 'after' | 'before', params: Params): string {
  const disjuncts: string[] = [];
  const equalities: string[] = [];
  let leadingBound = '';
  order.forEach((key, i) => {
    const value = values[i];
    const forward = (side === 'after') === !key.desc;
    let beyond: string | undefined;
    let equal: string;
    if (value === null) {
      // NULLs sort last: nothing comes after a NULL, and every non-NULL value comes before it.
      beyond = side === 'after' ? undefined : `${key.sql} IS NOT NULL`;
      equal = `${key.sql} IS NULL`;
    } else {
      const ref = params.add(value, CASTS[key.type]);
      const op = forward ? '>' : '<';
      beyond = side === 'after' && key.nullable ? `(${key.sql} ${op} ${ref} OR ${key.sql} IS NULL)` : `${key.sql} ${op} ${ref}`;
      equal = `${key.sql} = ${ref}`;
      // A redundant bound on the leading key lets PostgreSQL seek with an index instead of filtering.
      if (i === 0 && !key.nullable) leadingBound = `${key.sql} ${forward ? '>=' : '<='} ${ref} AND `;
    }
    if (beyond) disjuncts.push([...equalities, beyond].join(' AND '));
    equalities.push(equal);
  });
  return disjuncts.length ? `(${leadingBound}(${disjuncts.map((d) => `(${d})`).join(' OR ')}))` : 'false';
}

function orderBy(order: SortKey[], backward: boolean): string {
  return order
    .map((k) => {
      const desc = Boolean(k.desc) !== backward;
      return `${k.sql} ${desc ? 'DESC' : 'ASC'} NULLS ${backward ? 'FIRST' : 'LAST'}`;
    })
    .join(', ');
}

/**
 * The sort keys as `_k0`, `_k1`, ... for the rows' cursors; nothing when the query selects no cursor
 * (`fields.cursors` false): most ask for nodes only, and a key column costs as much to read as any other.
 */
function keyColumns(order: SortKey[], fields: Selection | undefined): string {
  if (fields?.cursors === false) return '';
  // timestamptz goes out as text: a JS Date would drop the microseconds and the seek would misfire.
  return `, ${order.map((k, i) => `${k.sql}${k.type === 'timestamptz' ? '::text' : ''} AS "_k${i}"`).join(', ')}`;
}

function conditions(source: ListSource, page: Page, order: SortKey[], params: Params, extra: string[] = []): string {
  const where = [...extra, ...source.where];
  if (page.after) where.push(seek(order, page.after, 'after', params));
  if (page.before) where.push(seek(order, page.before, 'before', params));
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/**
 * One page of a root list: one statement. With `totalCount` selected, every row also carries the
 * count of the whole list as `_total` (an uncorrelated subquery, which PostgreSQL runs once): the
 * count needs no statement of its own.
 */
export function pageSql(source: ListSource, order: SortKey[], page: Page, params: Params, fields?: Selection): string {
  const total = fields?.total ? `, (${countSql(source)}) AS "_total"` : '';
  return `SELECT ${source.select}${keyColumns(order, fields)}${total} FROM ${source.from} ${conditions(source, page, order, params)}
    ORDER BY ${orderBy(order, page.backward)} LIMIT ${page.limit + 1}`;
}

/** How a relation's source refers to the parent whose rows it selects (inside the LATERAL join). */
export const PARENT_ID = 'parents.parent_id';

/**
 * One page per parent, for all parents at once: one statement. Each parent's page is a LATERAL
 * subquery with its own ORDER BY and LIMIT, so PostgreSQL reads each parent's children through the
 * parent column's index and keeps the first limit + 1 with a top-N sort, instead of numbering every
 * child of every parent (a window over all of them cost 19 ms against 11 ms for the first 10 films of
 * 50 studios, as prepared statements). A source without a parent column (a graph walk) starts from
 * the parent itself through PARENT_ID.
 */
export function parentPageSql(
  source: ListSource,
  order: SortKey[],
  page: Page,
  params: Params,
  parentColumn: string | undefined,
  parentIds: number[],
  fields?: Selection,
): string {
  // One parent (a producer's page, a film's studios): a plain statement. Its generic plan costs what
  // a custom one does, so PostgreSQL stops planning it after a few executions. The batch form's
  // custom plans know the array's length: for a short array they look cheaper than the generic plan
  // and PostgreSQL plans every execution (pg_prepared_statements: a batch of 4 parents, 12 custom
  // plans in 12 runs), which on a small page cost more than running it; batches of 20 and more
  // settle on the generic plan after five runs.
  const single = parentIds.length === 1;
  const ids = single ? params.add(parentIds[0], 'int') : params.add(parentIds, 'int[]');
  const where = conditions(source, page, order, params, parentColumn ? [`${parentColumn} = ${PARENT_ID}`] : []);
  const rows = `${source.select}${keyColumns(order, fields)}
      FROM ${source.from} ${where}
      ORDER BY ${orderBy(order, page.backward)} LIMIT ${page.limit + 1}`;
  if (single) return `SELECT ${PARENT_ID} AS "_parent", ${rows}`.replaceAll(PARENT_ID, ids);
  // No ORDER BY outside: a LATERAL subquery runs once per parent on the inner side of a nested loop,
  // so each parent's rows come out together and in the subquery's order, which is all groupRows
  // needs (which parent comes first does not matter). Numbering and re-sorting them cost 20-25%.
  return `SELECT parents.parent_id AS "_parent", x.* FROM unnest(${ids}) AS parents(parent_id)
    CROSS JOIN LATERAL (SELECT ${rows}) x`;
}

export function countSql(source: ListSource): string {
  return `SELECT count(*)::int AS n FROM ${source.from} ${source.where.length ? `WHERE ${source.where.join(' AND ')}` : ''}`;
}

export function parentCountSql(source: ListSource, params: Params, parentColumn: string | undefined, parentIds: number[]): string {
  const ids = params.add(parentIds, 'int[]');
  const where = [...(parentColumn ? [`${parentColumn} = ${PARENT_ID}`] : []), ...source.where];
  return `SELECT parents.parent_id AS "_parent", c.n FROM unnest(${ids}) AS parents(parent_id)
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM ${source.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) c`;
}
