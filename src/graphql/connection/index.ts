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

export { encodeCursor, parsePage } from './cursor';
export { countSql, type KeyType, type ListSource, type Page, pageSql, PARENT_ID, parentCountSql, parentPageSql, Params, type ReferencedTable, type SortKey } from './keyset';
export { RelationLoader, type RelationSpec } from './relation-loader';
export { rootConnection } from './root';
export { type MakeEdge, once, toConnection } from './shape';
export { ConnectionType, type ConnectionResult, DEFAULT_PAGE_SIZE, EdgeType, MAX_PAGE_SIZE, PageArgs, PageInfo } from './types';
