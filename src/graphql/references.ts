import { GraphQLError } from 'graphql';
import type { Queryable } from '../db/pool';
import type { Params } from './connection/keyset';

/**
 * A filter that names another record by slug (`studio: { eq: "warner-brothers" }`) must name one that
 * exists: a typo would otherwise answer an empty list, indistinguishable from "none". Before a list
 * or a grouping runs, the slugs its filter names are checked in one statement; one that does not
 * exist is a BAD_USER_INPUT naming the argument, with the closest existing slugs (trigram distance)
 * as suggestions. No statement when the filter names none.
 */
export async function verifyReferences(db: Queryable, params: Params): Promise<void> {
  if (!params.references.length) return;
  const values: unknown[] = [];
  const parts = params.references.map((reference, i) => {
    values.push(reference.slugs, i);
    const slugs = `$${values.length - 1}::text[]`;
    // The table name comes from code (ReferencedTable), never from input.
    return `SELECT $${values.length}::int AS ref, x.slug, ARRAY(SELECT t.slug FROM ${reference.table} t ORDER BY t.slug <-> x.slug, t.slug LIMIT 3) AS near
              FROM unnest(${slugs}) AS x(slug) WHERE NOT EXISTS (SELECT 1 FROM ${reference.table} t WHERE t.slug = x.slug)`;
  });
  const missing = await db.query<{ ref: number; slug: string; near: string[] }>(parts.join(' UNION ALL '), values);
  if (!missing.length) return;
  const [first] = missing;
  const reference = params.references[first.ref];
  const what = reference.table;
  throw new GraphQLError(
    `Argument "${reference.argumentName}" names no ${what}: there is no ${what} with the slug "${first.slug.slice(0, 100)}".${first.near.length ? ` Did you mean ${first.near.map((s) => `"${s}"`).join(', ')}?` : ''}`,
    { extensions: { code: 'BAD_USER_INPUT', argumentName: reference.argumentName, suggestions: first.near } },
  );
}
