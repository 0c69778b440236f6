import type { Selection } from '../columns';
import { encodeCursor } from './cursor';
import type { Page, SortKey } from './keyset';
import type { ConnectionResult, PageInfo } from './types';

// Fetched rows (up to limit + 1) turned into a connection: edges, nodes, PageInfo, a lazy totalCount.

type Row = Record<string, unknown>;

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

/** Runs `fn` at most once and shares its promise. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}
