import DataLoader from 'dataloader';
import type { Queryable } from '../db/pool';
import type { Selection } from './columns';

type Row = Record<string, unknown>;

/**
 * A per-request loader of one object per key, all keys of a tick in one statement. `sql` selects the
 * rows whose key is in `$1` (an array); a key without a row gives null. `onLoad` sees every object
 * loaded, to prime other loaders (a studio loaded by slug is also known by id).
 */
export function loaderByKey<K, V>(
  name: string,
  db: Queryable,
  sql: string,
  fromRow: (row: Row) => V,
  keyOf: (value: V) => K,
  onLoad?: (value: V) => void,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    db.observeBatch?.(name, keys.length);
    const rows = await db.query(sql, [keys]);
    const byKey = new Map<K, V>();
    for (const row of rows) {
      const value = fromRow(row);
      byKey.set(keyOf(value), value);
      onLoad?.(value);
    }
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * SQL for the whole list of each parent in `$1` (an int array), as `_parent` and the selected columns:
 * a LATERAL subquery per parent, so PostgreSQL plans "the rows of one parent" (a few, through the
 * parent column's index) rather than "the rows of an array of unknown length". A prepared statement
 * soon runs on a generic plan, and for `= ANY($1)` that plan hash-joined every studio to the parties
 * of 50 deals: 1.36 ms against 1.08 as LATERAL (medians of 200 alternating runs).
 */
export function listPerParentSql(select: string, from: string, parentColumn: string, orderBy: string): string {
  return `SELECT parents.parent_id AS "_parent", x.* FROM unnest($1::int[]) AS parents(parent_id)
    CROSS JOIN LATERAL (SELECT ${select} FROM ${from} WHERE ${parentColumn} = parents.parent_id ORDER BY ${orderBy}) x`;
}

/**
 * A per-request loader of a short list per key (a deal's parties, its sources), all keys of a tick in
 * one statement: `sql` (listPerParentSql writes it) selects rows whose `_parent` is in `$1`, each list
 * in its order. Its columns may follow the query's selection (`parties { studio { name } }` reads the
 * studios' names, not their descriptions and timestamps); keys with the same selection (the usual
 * case: one field, many parents) share one statement.
 */
export class ListLoader<V> {
  private readonly loader: DataLoader<{ parent: number; fields?: Selection }, V[], string>;

  constructor(name: string, db: Queryable, sql: (fields?: Selection) => string, fromRow: (row: Row) => V) {
    const keyOf = (parent: unknown, fields?: Selection) => `${parent}|${fields?.key ?? '*'}`;
    this.loader = new DataLoader(
      async (keys) => {
        const groups = new Map<string, { fields?: Selection; parents: number[] }>();
        for (const { parent, fields } of keys) {
          const group = groups.get(fields?.key ?? '*');
          if (group) group.parents.push(parent);
          else groups.set(fields?.key ?? '*', { fields, parents: [parent] });
        }
        const lists = new Map<string, V[]>();
        await Promise.all(
          [...groups.values()].map(async ({ fields, parents }) => {
            db.observeBatch?.(name, parents.length);
            for (const row of await db.query(sql(fields), [parents])) {
              const key = keyOf(row._parent, fields);
              const list = lists.get(key);
              if (list) list.push(fromRow(row));
              else lists.set(key, [fromRow(row)]);
            }
          }),
        );
        return keys.map(({ parent, fields }) => lists.get(keyOf(parent, fields)) ?? []);
      },
      { cacheKeyFn: ({ parent, fields }) => keyOf(parent, fields) },
    );
  }

  load(parent: number, fields?: Selection): Promise<V[]> {
    return this.loader.load({ parent, fields });
  }

  /** Forgets what was loaded (after a write changed the lists). */
  clearAll(): void {
    this.loader.clearAll();
  }
}
