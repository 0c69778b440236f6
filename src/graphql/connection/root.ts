import type { GraphQLResolveInfo } from 'graphql';
import type { Queryable } from '../../db/pool';
import { verifyReferences } from '../references';
import { nodeSelection, type Selection } from '../columns';
import { parsePage } from './cursor';
import { countSql, type ListSource, pageSql, Params, type SortKey } from './keyset';
import { type MakeEdge, once, toConnection } from './shape';
import type { ConnectionResult, PageArgs } from './types';

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
  const source = build(params, fields);
  // Slugs the filter names must exist (references.ts): a typo is an error, not an empty list.
  await verifyReferences(db, params);
  const rows = await db.query(pageSql(source, order, page, params, fields), params.values);
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
