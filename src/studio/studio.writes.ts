import type { Queryable } from '../db/pool';
import { toGlobalId } from '../graphql/ids';
import { slugify, Validator } from '../graphql/validation';
import { type Actor, deleteEntity, heldBy, insertEntity, lockVersion, reload, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import type { CreateStudioInput, UpdateStudioInput } from './studio.inputs';
import { Studio, STUDIO_TABLE } from './studio.type';

/**
 * Writes to studios: each validated before anything is written, then one transaction that also
 * records the change in the audit history. The mutations (studio.mutations.ts) only call these.
 */

/** Checks the fields present in a studio input; `create` requires name and kind. */
type StudioFields = CreateStudioInput | UpdateStudioInput;

/** Checks the fields present in a studio input; `create` requires name and kind. */
function validateStudio(input: StudioFields, create: boolean): Validator {
  const v = new Validator();
  if (create || input.name !== undefined) v.required('input.name', input.name, 'the studio\'s name');
  v.maxLength('input.name', input.name, 200);
  if (input.slug !== undefined) {
    if (!create && input.slug === null) v.add('input.slug', 'cannot be cleared: a studio always has a slug');
    v.slug('input.slug', input.slug);
  } else if (create && input.name && !slugify(input.name)) {
    v.add('input.name', 'has no letters or digits to make a slug from: give input.slug');
  }
  if (!create && input.kind === null) v.add('input.kind', 'cannot be cleared: a studio always has a kind');
  v.country('input.country', input.country);
  v.year('input.foundedYear', input.foundedYear);
  v.url('input.website', input.website);
  for (const field of ['headquarters', 'stockListing', 'description'] as const) v.maxLength(`input.${field}`, input[field], field === 'description' ? 5000 : 200);
  v.throwIfInvalid();
  return v;
}

export function createStudio(db: Queryable, actor: Actor, input: CreateStudioInput): Promise<Studio> {
  const v = validateStudio(input, true);
  return write(db, async (tx) => {
    const [parentId] = input.parent != null ? await resolveReferences(tx, 'Studio', [{ field: 'input.parent', ref: input.parent }], v) : [null];
    v.throwIfInvalid();
    const columns = STUDIO_TABLE.assignments({
      slug: input.slug ?? slugify(input.name),
      name: input.name.trim(),
      kind: input.kind,
      country: input.country,
      headquarters: input.headquarters,
      foundedYear: input.foundedYear,
      stockListing: input.stockListing,
      website: input.website,
      description: input.description,
      parentId,
    });
    const rowId = await insertEntity(tx, actor, 'createStudio', 'Studio', columns);
    return reload(tx, STUDIO_TABLE, Studio.fromRow, rowId);
  });
}

export function updateStudio(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, input: UpdateStudioInput): Promise<Studio> {
  const v = validateStudio(input, false);
  return write(db, async (tx) => {
    let parentId: number | null | undefined = input.parent === null ? null : undefined;
    if (input.parent != null) {
      [parentId] = await resolveReferences(tx, 'Studio', [{ field: 'input.parent', ref: input.parent }], v);
      if (parentId === rowId) v.add('input.parent', 'cannot be the studio itself');
      else if (parentId !== undefined && (await ownedBy(tx, parentId, rowId))) v.add('input.parent', 'is one of its own subsidiaries: ownership cannot go in a circle');
    }
    v.throwIfInvalid();
    const columns = STUDIO_TABLE.assignments({
      name: input.name?.trim(),
      slug: input.slug ?? undefined,
      kind: input.kind ?? undefined,
      country: input.country,
      headquarters: input.headquarters,
      foundedYear: input.foundedYear,
      stockListing: input.stockListing,
      website: input.website,
      description: input.description,
      parentId,
    });
    await updateEntity(tx, actor, 'updateStudio', 'Studio', rowId, expectedVersion, columns);
    return reload(tx, STUDIO_TABLE, Studio.fromRow, rowId);
  });
}

/**
 * Deletes a studio: refused while deals, film credits or affiliated producers hold it, unless
 * `cascade` (those links go with it); its subsidiaries become independent. Returns what went with
 * it, in words.
 */
export function deleteStudio(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, cascade: boolean): Promise<string[]> {
  return write(db, async (tx) => {
    await lockVersion(tx, 'Studio', rowId, expectedVersion);
    const deals = await tx.query<{ id: number; title: string; role: string }>(
      'SELECT d.id, d.title, dp.role FROM deal_party dp JOIN deal d ON d.id = dp.deal_id WHERE dp.studio_id = $1 ORDER BY d.id',
      [rowId],
    );
    const credits = await tx.query<{ id: number; title: string; role: string }>(
      'SELECT f.id, f.title, fs.role FROM film_studio fs JOIN film f ON f.id = fs.film_id WHERE fs.studio_id = $1 ORDER BY f.id, fs.role',
      [rowId],
    );
    const producers = await tx.query<{ id: number; name: string }>(
      'SELECT p.id, p.name FROM producer_studio ps JOIN producer p ON p.id = ps.producer_id WHERE ps.studio_id = $1 ORDER BY p.id',
      [rowId],
    );
    const holders = {
      deals: deals.map((d) => ({ id: toGlobalId('Deal', d.id), title: d.title, role: d.role })),
      filmCredits: credits.map((c) => ({ id: toGlobalId('Film', c.id), title: c.title, role: c.role })),
      affiliatedProducers: producers.map((p) => ({ id: toGlobalId('Producer', p.id), name: p.name })),
    };
    const held = deals.length + credits.length + producers.length > 0;
    if (held && !cascade) throw heldBy('Studio', rowId, holders);
    await touchEntities(tx, actor, 'deleteStudio', 'Deal', deals.map((d) => d.id), async () => {
      await tx.query('DELETE FROM deal_party WHERE studio_id = $1', [rowId]);
    });
    await touchEntities(tx, actor, 'deleteStudio', 'Film', credits.map((c) => c.id), async () => {
      await tx.query('DELETE FROM film_studio WHERE studio_id = $1', [rowId]);
    });
    await touchEntities(tx, actor, 'deleteStudio', 'Producer', producers.map((p) => p.id), async () => {
      await tx.query('DELETE FROM producer_studio WHERE studio_id = $1', [rowId]);
    });
    const subsidiaries = await tx.query<{ id: number }>('SELECT id FROM studio WHERE parent_id = $1', [rowId]);
    await touchEntities(tx, actor, 'deleteStudio', 'Studio', subsidiaries.map((s) => s.id), async () => {
      await tx.query('UPDATE studio SET parent_id = NULL WHERE parent_id = $1', [rowId]);
    });
    await deleteEntity(tx, actor, 'deleteStudio', 'Studio', rowId);
    return removedSummary([
      [deals.length, 'deal participation', 'deal participations'],
      [credits.length, 'film credit', 'film credits'],
      [producers.length, 'producer affiliation', 'producer affiliations'],
      [subsidiaries.length, 'subsidiary made independent', 'subsidiaries made independent'],
    ]);
  });
}

/** True when `candidate` is `studio` or one of its subsidiaries, at any depth. */
async function ownedBy(tx: Queryable, candidate: number, studio: number): Promise<boolean> {
  const [row] = await tx.query<{ found: boolean }>(
    `WITH RECURSIVE below(id) AS (SELECT $2::int UNION SELECT s.id FROM studio s JOIN below b ON s.parent_id = b.id)
     SELECT EXISTS (SELECT 1 FROM below WHERE id = $1) AS found`,
    [candidate, studio],
  );
  return row.found;
}
