import type { KeyLoader } from './batch';
import type { Selection } from './columns';
import { badUserInput } from './errors';
import { expectGlobalId, type NodeTypeName } from './ids';

/**
 * The single-object root fields (`studio(id:, slug:)`, ...) take exactly one of an ID or a slug. An
 * unknown one gives null; a malformed ID or both/neither argument is an error that says so. With the
 * query's `fields` (objectSelection), only their columns are read.
 */
export function findByIdOrSlug<T>(
  type: NodeTypeName,
  id: string | null | undefined,
  slug: string | null | undefined,
  byId: KeyLoader<number, T>,
  bySlug: KeyLoader<string, T>,
  fields?: Selection,
): Promise<T | null> {
  if ((id == null) === (slug == null)) {
    throw badUserInput(id == null ? 'id' : 'slug', `Pass exactly one of "id" or "slug" to look up a ${type}; got ${id == null ? 'neither' : 'both'}.`);
  }
  if (id != null) return byId.load(expectGlobalId(id, type, 'id'), fields);
  return bySlug.load(slug!, fields);
}
