import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Queryable } from '../db/pool';
import type { Params, ReferencedTable } from './connection/keyset';

/**
 * A filter that names another record by slug (`studio: { eq: "warner-brothers" }`) must name one that
 * exists: a typo would otherwise answer an empty list, indistinguishable from "none". Before a list
 * or a grouping runs, the slugs its filter names are checked; one that does not exist is a
 * BAD_USER_INPUT naming the argument, with the closest existing slugs (trigram distance) as
 * suggestions. No statement when the filter names none; the checks of every list of a request that
 * start in the same tick (aliases, several lists in one query) share one statement.
 */
export async function verifyReferences(db: Queryable, params: Params): Promise<void> {
  if (!params.references.length) return;
  const loader = existenceOf(db);
  const found = await Promise.all(params.references.map((r) => loader.loadMany(r.slugs.map((slug) => `${r.table}\u0000${slug}`))));
  for (const [i, reference] of params.references.entries()) {
    const missing = reference.slugs.find((_, j) => found[i][j] !== true);
    if (missing !== undefined) throw await unknownSlug(db, reference.table, missing, reference.argumentName);
  }
}

const loaders = new WeakMap<Queryable, DataLoader<string, boolean>>();

/** Per request (a request's Queryable): whether `table\0slug` exists, batched over the tick. */
function existenceOf(db: Queryable): DataLoader<string, boolean> {
  let loader = loaders.get(db);
  if (!loader) {
    loader = new DataLoader<string, boolean>(async (keys) => {
      const byTable = new Map<ReferencedTable, string[]>();
      for (const key of keys) {
        const [table, slug] = key.split('\u0000') as [ReferencedTable, string];
        byTable.set(table, [...(byTable.get(table) ?? []), slug]);
      }
      const values: unknown[] = [];
      // Table names come from code (ReferencedTable), never from input.
      const parts = [...byTable].map(([table, slugs]) => {
        values.push(slugs);
        return `SELECT '${table}' AS t, slug FROM ${table} WHERE slug = ANY($${values.length}::text[])`;
      });
      const rows = await db.query<{ t: string; slug: string }>(parts.join(' UNION ALL '), values);
      const found = new Set(rows.map((r) => `${r.t}\u0000${r.slug}`));
      return keys.map((key) => found.has(key));
    });
    loaders.set(db, loader);
  }
  return loader;
}

/** The error for a slug that names nothing, with the three nearest slugs of the table. */
async function unknownSlug(db: Queryable, table: ReferencedTable, slug: string, argumentName: string): Promise<GraphQLError> {
  const near = (await db.query<{ slug: string }>(`SELECT slug FROM ${table} ORDER BY slug <-> $1::text, slug LIMIT 3`, [slug])).map((r) => r.slug);
  return new GraphQLError(
    `Argument "${argumentName}" names no ${table}: there is no ${table} with the slug "${slug.slice(0, 100)}".${near.length ? ` Did you mean ${near.map((s) => `"${s}"`).join(', ')}?` : ''}`,
    { extensions: { code: 'BAD_USER_INPUT', argumentName, suggestions: near } },
  );
}
