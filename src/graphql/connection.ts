import DataLoader from 'dataloader';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Queryable } from '../db/pool';
import { nodeSelection, type Selection } from './columns';
import { badUserInput } from './errors';
import { isCalendarDate } from './scalars';
import { textProblem } from './text';

/**
 * Relay cursor connections, for root lists and for relations alike.
 *
 * Pagination is keyset pagination: a cursor holds the values of the list's sort keys for one row, and
 * the next page is "rows after these values" in SQL. Unlike offsets, pages stay stable while rows are
 * inserted, and the database seeks with an index instead of counting rows to skip. Every ordering ends
 * with the row id, so ties are broken and the order is total. NULLs sort last in both directions.
 *
 * Relations (a studio's films, ...) are loaded for all parents of a level in one statement: a LATERAL
 * join runs the same ordered, limited subquery per parent id, so each parent gets its own page.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType('PageInfo', { description: 'Where a page of a connection sits in the whole list.', simpleResolvers: true })
export class PageInfo {
  @Field({ description: 'True when more items follow this page (fetch them with `after: endCursor`).' })
  hasNextPage!: boolean;

  @Field({
    description:
      'True when items precede this page (fetch them with `before: startCursor`). Paging forward, it is true whenever `after` was given.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge of this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of this page; null when the page is empty.' })
  endCursor!: string | null;
}

/** The arguments of every connection field. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Return the first n items of the list (0 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return only items after this cursor (an `endCursor` or an edge `cursor`).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n items of the list (0 to ${MAX_PAGE_SIZE}); pages backward.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return only items before this cursor (a `startCursor` or an edge `cursor`).' })
  before?: string | null;
}

/** The GraphQL shape shared by every edge type: a cursor and a node; edges add their own fields. */
export function EdgeType<TNode extends object>(nodeType: ClassType<TNode>) {
  @ObjectType({ simpleResolvers: true })
  abstract class Edge {
    @Field({ description: 'Opaque cursor of this edge; pass it as `after` or `before` to page from here.' })
    cursor!: string;

    @Field(() => nodeType, { description: 'The item at the end of this edge.' })
    node!: TNode;
  }
  return Edge;
}

/** The GraphQL shape shared by every connection type. */
export function ConnectionType<TEdge extends object, TNode extends object>(edgeType: ClassType<TEdge>, nodeType: ClassType<TNode>) {
  @ObjectType({ simpleResolvers: true })
  abstract class Connection {
    @Field(() => [edgeType], { description: 'The items of this page with their cursors (and, for relations, what links them).' })
    edges!: TEdge[];

    @Field(() => [nodeType], { description: 'The items of this page, without cursors: a shortcut for `edges { node }`.' })
    nodes!: TNode[];

    @Field(() => PageInfo, { description: 'Cursors and whether more items exist before or after this page.' })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: 'Number of items in the whole list (with its filters, ignoring pagination). Costs one more SQL statement: ask only when needed.',
      // A resolver, not a plain property read: the value is a promise, which a compiled executor awaits
      // only for fields that have one.
      simple: false,
    })
    totalCount!: number;
  }
  return Connection;
}

/** What a resolver returns for a connection; `nodes` and `totalCount` are computed only when selected. */
export interface ConnectionResult<E extends { node: unknown; cursor: string }> {
  edges: E[];
  pageInfo: PageInfo;
  readonly nodes: E['node'][];
  readonly totalCount: Promise<number>;
}

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
export class Params {
  readonly values: unknown[] = [];

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

type Row = Record<string, unknown>;

function signature(order: SortKey[]): string {
  return order.map((k) => `${k.name}${k.desc ? '-' : '+'}`).join(',');
}

export function encodeCursor(order: SortKey[], row: Row): string {
  const values = order.map((_, i) => row[`_k${i}`]);
  return Buffer.from(JSON.stringify([signature(order), ...values])).toString('base64url');
}

function decodeCursor(argumentName: string, cursor: string, order: SortKey[]): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const refuse = (why: string) =>
    badUserInput(
      argumentName,
      `Argument "${argumentName}" is not a valid cursor for this list (${why}). Pass a cursor returned by this same field with the same arguments, such as pageInfo.endCursor.`,
    );
  if (!Array.isArray(decoded) || decoded.length !== order.length + 1) throw refuse('it is not a cursor');
  if (decoded[0] !== signature(order)) throw refuse('it comes from another list or another orderBy');
  const values = decoded.slice(1);
  values.forEach((value, i) => {
    const key = order[i];
    if (value === null ? !key.nullable : !validKeyValue(key.type, value)) throw refuse('it has been altered');
  });
  return values;
}

const INT4 = 2_147_483_647;
const INT8 = 9_223_372_036_854_775_807n;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

/**
 * Whether a cursor's key value is one PostgreSQL takes for its type: a forged cursor must be refused
 * here, as the argument it is, and never reach SQL (February 30th, an int past 2^31, a NUL in text
 * would each come back from PostgreSQL as an internal error).
 */
function validKeyValue(type: KeyType, value: unknown): boolean {
  switch (type) {
    case 'int':
      return Number.isSafeInteger(value) && Math.abs(value as number) <= INT4;
    case 'bool':
      return typeof value === 'boolean';
    case 'bigint':
      return typeof value === 'string' && /^-?\d{1,19}$/.test(value) && BigInt(value) <= INT8 && BigInt(value) >= -INT8;
    case 'date':
      return typeof value === 'string' && isCalendarDate(value);
    case 'numeric':
      return typeof value === 'string' && value.length <= 100 && /^-?\d+(\.\d+)?$/.test(value);
    case 'timestamptz': {
      const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
      return match !== null && isCalendarDate(match[1]);
    }
    default:
      return typeof value === 'string' && value.length <= 10_000 && textProblem(value) === undefined;
  }
}

/**
 * Validates first/after/last/before against the Relay rules and our limits. Errors name the argument;
 * for a nested connection, the error's path says which field it was.
 */
export function parsePage(args: PageArgs, order: SortKey[]): Page {
  const { first, last, after, before } = args;
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(name, `Argument "${name}" must be between 0 and ${MAX_PAGE_SIZE}, but got ${value}. Page through longer lists with cursors.`);
    }
  }
  if (first != null && last != null) {
    throw badUserInput('last', 'Pass either "first" (page forward) or "last" (page backward), not both.');
  }
  const backward = last != null;
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    after: after != null ? decodeCursor('after', after, order) : undefined,
    before: before != null ? decodeCursor('before', before, order) : undefined,
  };
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
  const ids = params.add(parentIds, 'int[]');
  const ordering = orderBy(order, page.backward);
  const where = conditions(source, page, order, params, parentColumn ? [`${parentColumn} = ${PARENT_ID}`] : []);
  // No ORDER BY outside: a LATERAL subquery runs once per parent on the inner side of a nested loop,
  // so each parent's rows come out together and in the subquery's order, which is all groupRows
  // needs (which parent comes first does not matter). Numbering and re-sorting them cost 20-25%.
  return `SELECT parents.parent_id AS "_parent", x.* FROM unnest(${ids}) AS parents(parent_id)
    CROSS JOIN LATERAL (
      SELECT ${source.select}${keyColumns(order, fields)}
      FROM ${source.from} ${where}
      ORDER BY ${ordering} LIMIT ${page.limit + 1}
    ) x`;
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

/** What a resolver makes of one row: the edge without its cursor, which the connection adds. */
export type MakeEdge<E extends { cursor: string }> = (row: Row) => Omit<E, 'cursor'>;

const ROW = Symbol('row');
const ORDER = Symbol('order');

/** One getter for every edge: edges built alike keep one shape (a closure per edge would give each its own). */
function cursorOf(this: { [ROW]: Row; [ORDER]: SortKey[] }): string {
  return encodeCursor(this[ORDER], this[ROW]);
}

function withLazyCursor<T extends object>(edge: T, row: Row, order: SortKey[]): T {
  const hidden = edge as T & { [ROW]: Row; [ORDER]: SortKey[] };
  hidden[ROW] = row;
  hidden[ORDER] = order;
  return Object.defineProperty(edge, 'cursor', { get: cursorOf, enumerable: true });
}

/** Turns fetched rows (up to limit + 1) into a connection. */
export function toConnection<E extends { node: unknown; cursor: string }>(
  rows: Row[],
  page: Page,
  order: SortKey[],
  makeEdge: MakeEdge<E>,
  count: () => Promise<number>,
  fields?: Selection,
): ConnectionResult<E> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  if (page.backward) kept.reverse();
  // The cursor is encoded only when read: most queries select `nodes` or `edges { node }`, and encoding
  // one per row (JSON, then base64) would be much of the work of a large page. Defined, not assigned:
  // an edge's own getters (loaded only when selected) must stay getters.
  // No cursor selected (`fields.cursors` false): the rows carry no keys and the edges need no getter.
  const edges = fields?.cursors === false ? (kept.map((row) => makeEdge(row)) as E[]) : kept.map((row) => withLazyCursor(makeEdge(row), row, order) as E);
  return new Connection(edges, new PageOf(edges, page.backward ? page.before !== undefined : more, page.backward ? more : page.after !== undefined), count);
}

/**
 * A page's PageInfo and the connection itself are classes with getters on the prototype, not object
 * literals with getters: V8 builds those slowly, and a nested connection makes one per parent.
 * Getters, not functions: any executor reads a property, and these run only when the field is selected.
 */
class PageOf<E extends { cursor: string }> implements PageInfo {
  constructor(
    private readonly edges: E[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges.length ? this.edges[0].cursor : null;
  }

  get endCursor(): string | null {
    return this.edges.length ? this.edges[this.edges.length - 1].cursor : null;
  }
}

class Connection<E extends { node: unknown; cursor: string }> implements ConnectionResult<E> {
  private nodeList: E['node'][] | undefined = undefined;

  constructor(
    readonly edges: E[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  /**
   * Built on the first read and kept: the compiled executor reads a list field five times before it
   * maps it (null, error, string and iterable checks), and a list built per read was five arrays per
   * connection, 550 connections on a studio's partners' films' producers.
   */
  get nodes(): E['node'][] {
    return (this.nodeList ??= this.edges.map((e) => e.node));
  }

  get totalCount(): Promise<number> {
    return this.count();
  }
}

/**
 * A root list: one statement for the page and, when selected, `totalCount` (it comes with the rows).
 * An empty page after a cursor says nothing of the count: that case asks for it on its own.
 */
export async function rootConnection<E extends { node: unknown; cursor: string }>(
  db: Queryable,
  build: (params: Params, fields?: Selection) => ListSource,
  order: SortKey[],
  args: PageArgs,
  makeEdge: MakeEdge<E>,
  info?: GraphQLResolveInfo,
): Promise<ConnectionResult<E>> {
  const page = parsePage(args, order);
  const params = new Params();
  const fields = nodeSelection(info);
  const rows = await db.query(pageSql(build(params, fields), order, page, params, fields), params.values);
  const count = once(async () => {
    if (rows.length && fields?.total) return rows[0]._total as number;
    if (fields?.total && !page.after && !page.before) return 0;
    const countParams = new Params();
    const source = build(countParams);
    const [row] = await db.query<{ n: number }>(countSql(source), countParams.values);
    return row.n;
  });
  return toConnection(rows, page, order, makeEdge, count, fields);
}

/**
 * A relation as a list per parent: `source` gives the rows, `parentColumn` the SQL expression that
 * holds the parent's id, `order` their order (a function of the filter arguments). A source that
 * starts from its parent itself (a graph walk) uses `parent`, the SQL reference of the parent id,
 * and has no `parentColumn`. `check` may refuse a parent's rows (a walk that hit its bound).
 */
export interface RelationSpec<A> {
  /** Name of the loader, for the batch-size metric. */
  name: string;
  parentColumn?: string;
  /** `fields`: what the query selects on the nodes, for a lean SELECT list (undefined: everything). */
  source(args: A, params: Params, parent: string, fields?: Selection): ListSource;
  order(args: A): SortKey[];
  check?(rows: Row[], args: A): void;
}

/**
 * One field of the query, as a relation loader sees it: its arguments, order, page and columns worked
 * out once (the field asks once per parent, with the same arguments), and a small number that stands
 * for them in the loaders' cache keys (`parent|id`, not `parent|` + the whole arguments' text).
 */
interface FieldCall<A> {
  args: A;
  order: SortKey[];
  page: Page;
  fields: Selection | undefined;
  /** Same number, same page statement: arguments, page and columns alike. */
  group: number;
  /** Same number, same count statement: arguments alike. */
  countGroup: number;
}

/**
 * Per-request loader of a relation's pages. DataLoader batches keys, not arguments, so arguments go
 * into the key: keys with the same arguments (the usual case: one field in the query, many parents)
 * become one statement; a level fetched with two different argument sets (aliases) takes two.
 */
export class RelationLoader<A extends object> {
  private readonly pages: DataLoader<{ parent: number; call: FieldCall<A> }, Row[], string>;
  private readonly counts: DataLoader<{ parent: number; call: FieldCall<A> }, number, string>;
  /** Per field of the query (this loader lives for one request). */
  private readonly calls = new Map<unknown, FieldCall<A>>();
  /** Group numbers by the text of what they stand for. */
  private readonly groups = new Map<string, number>();

  constructor(
    db: Queryable,
    private readonly spec: RelationSpec<A>,
  ) {
    this.pages = new DataLoader(
      (keys) =>
        batchByGroup(keys, (k) => k.call.group, async (group) => {
          const { args, order, page, fields } = group[0].call;
          db.observeBatch?.(spec.name, group.length);
          const params = new Params();
          const ids = group.map((k) => k.parent);
          const rows = await db.query(parentPageSql(spec.source(args, params, PARENT_ID, fields), order, page, params, spec.parentColumn, ids, fields), params.values);
          const byParent = groupRows(rows);
          return group.map((k) => byParent.get(k.parent) ?? []);
        }),
      { cacheKeyFn: (k) => `${k.parent}|${k.call.group}` },
    );
    this.counts = new DataLoader(
      (keys) =>
        batchByGroup(keys, (k) => k.call.countGroup, async (group) => {
          const params = new Params();
          const ids = group.map((k) => k.parent);
          const rows = await db.query<{ _parent: number; n: number }>(
            parentCountSql(spec.source(group[0].call.args, params, PARENT_ID), params, spec.parentColumn, ids),
            params.values,
          );
          const counts = new Map(rows.map((r) => [r._parent, r.n]));
          return group.map((k) => counts.get(k.parent) ?? 0);
        }),
      { cacheKeyFn: (k) => `${k.parent}|${k.call.countGroup}` },
    );
  }

  /**
   * The connection of one parent; batched with every other parent asking in the same tick. With the
   * resolver's `info`, only the columns of the selected fields are read. Not an async function: one
   * promise per parent fewer, and a nested connection resolves once per parent.
   */
  connection<E extends { node: unknown; cursor: string }>(
    parent: number,
    args: A,
    pageArgs: PageArgs,
    makeEdge: MakeEdge<E>,
    info?: GraphQLResolveInfo,
  ): Promise<ConnectionResult<E>> {
    const site = info?.fieldNodes[0];
    let call = site && this.calls.get(site);
    if (!call) {
      try {
        call = this.fieldCall(args, pageArgs, info);
      } catch (error) {
        return Promise.reject(error);
      }
      if (site) this.calls.set(site, call);
    }
    const key = { parent, call };
    return this.pages.load(key).then((rows) => {
      this.spec.check?.(rows, call.args);
      return toConnection(rows, call.page, call.order, makeEdge, () => this.counts.load(key), call.fields);
    });
  }

  private fieldCall(args: A, pageArgs: PageArgs, info: GraphQLResolveInfo | undefined): FieldCall<A> {
    const order = this.spec.order(args);
    const page = parsePage(pageArgs, order);
    const argsKey = JSON.stringify(args);
    const fields = nodeSelection(info);
    return { args, order, page, fields, group: this.groupOf(`${argsKey}|${JSON.stringify(page)}|${fields?.key ?? '*'}`), countGroup: this.groupOf(argsKey) };
  }

  private groupOf(text: string): number {
    let id = this.groups.get(text);
    if (id === undefined) this.groups.set(text, (id = this.groups.size));
    return id;
  }
}

/** Splits a batch by argument group, runs one fetch per group, and puts results back in key order. */
async function batchByGroup<K, V>(keys: readonly K[], groupOf: (key: K) => number, fetch: (group: K[]) => Promise<V[]>): Promise<V[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => {
    const group = groupOf(k);
    const positions = groups.get(group);
    if (positions) positions.push(i);
    else groups.set(group, [i]);
  });
  const results = new Array<V>(keys.length);
  await Promise.all(
    [...groups.values()].map(async (positions) => {
      const values = await fetch(positions.map((i) => keys[i]));
      positions.forEach((position, j) => (results[position] = values[j]));
    }),
  );
  return results;
}

function groupRows(rows: Row[]): Map<number, Row[]> {
  const byParent = new Map<number, Row[]>();
  for (const row of rows) {
    const parent = row._parent as number;
    const list = byParent.get(parent);
    if (list) list.push(row);
    else byParent.set(parent, [row]);
  }
  return byParent;
}

/** Runs `fn` at most once and shares its promise. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}
