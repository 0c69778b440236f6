import DataLoader from 'dataloader';
import type { Queryable } from '../db/pool';

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
 * A per-request loader of a short list per key (a deal's parties, its sources), all keys of a tick in
 * one statement. `sql` selects rows whose `_parent` column is in `$1`, in the order of the lists.
 */
export function loaderOfLists<V>(name: string, db: Queryable, sql: string, fromRow: (row: Row) => V): DataLoader<number, V[]> {
  return new DataLoader<number, V[]>(async (keys) => {
    db.observeBatch?.(name, keys.length);
    const rows = await db.query(sql, [keys]);
    const byParent = new Map<number, V[]>();
    for (const row of rows) {
      const parent = row._parent as number;
      const list = byParent.get(parent);
      if (list) list.push(fromRow(row));
      else byParent.set(parent, [fromRow(row)]);
    }
    return keys.map((key) => byParent.get(key) ?? []);
  });
}
