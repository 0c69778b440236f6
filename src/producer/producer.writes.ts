import type { Queryable } from '../db/pool';
import { toGlobalId } from '../graphql/ids';
import { slugify, Validator } from '../graphql/validation';
import { type Actor, deleteEntity, heldBy, insertEntity, lockVersion, reload, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import type { AffiliationInput, CreateProducerInput, UpdateProducerInput } from './producer.inputs';
import { Producer, PRODUCER_TABLE } from './producer.type';

/**
 * Writes to producers: each validated before anything is written, then one transaction that also
 * records the change in the audit history. The mutations (producer.mutations.ts) only call these.
 */

function validateProducer(input: CreateProducerInput | UpdateProducerInput, create: boolean): Validator {
  const v = new Validator();
  if (create || input.name !== undefined) v.required('input.name', input.name, "the producer's name");
  v.maxLength('input.name', input.name, 200);
  if (input.slug !== undefined) {
    if (!create && input.slug === null) v.add('input.slug', 'cannot be cleared: a producer always has a slug');
    v.slug('input.slug', input.slug);
  } else if (create && input.name && !slugify(input.name)) {
    v.add('input.name', 'has no letters or digits to make a slug from: give input.slug');
  }
  if (!create && input.kind === null) v.add('input.kind', 'cannot be cleared');
  v.maxLength('input.bio', input.bio, 5000);
  input.affiliations?.forEach((a, i) => v.maxLength(`input.affiliations[${i}].title`, a.title, 200));
  v.throwIfInvalid();
  return v;
}

/** Resolves and writes the affiliations of a producer, replacing the ones it had. */
async function setAffiliations(tx: Queryable, v: Validator, producerId: number, affiliations: AffiliationInput[]): Promise<void> {
  const ids = await resolveReferences(tx, 'Studio', affiliations.map((a, i) => ({ field: `input.affiliations[${i}].studio`, ref: a.studio })), v);
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    if (seen.has(id)) v.add(`input.affiliations[${i}].studio`, 'is listed twice');
    seen.add(id);
  });
  v.throwIfInvalid();
  await tx.query('DELETE FROM producer_studio WHERE producer_id = $1', [producerId]);
  await tx.query('INSERT INTO producer_studio (producer_id, studio_id, title) SELECT $1, * FROM unnest($2::int[], $3::text[])', [
    producerId,
    ids,
    affiliations.map((a) => a.title ?? null),
  ]);
}

export function createProducer(db: Queryable, actor: Actor, input: CreateProducerInput): Promise<Producer> {
  const v = validateProducer(input, true);
  return write(db, async (tx) => {
    const columns = PRODUCER_TABLE.assignments({ slug: input.slug ?? slugify(input.name), name: input.name.trim(), kind: input.kind, bio: input.bio });
    const rowId = await insertEntity(tx, actor, 'createProducer', 'Producer', columns, (id) => setAffiliations(tx, v, id, input.affiliations ?? []));
    return reload(tx, PRODUCER_TABLE, Producer.fromRow, rowId);
  });
}

export function updateProducer(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, input: UpdateProducerInput): Promise<Producer> {
  const v = validateProducer(input, false);
  return write(db, async (tx) => {
    const columns = PRODUCER_TABLE.assignments({ name: input.name?.trim(), slug: input.slug ?? undefined, kind: input.kind ?? undefined, bio: input.bio });
    const affiliations = input.affiliations;
    await updateEntity(tx, actor, 'updateProducer', 'Producer', rowId, expectedVersion, columns, affiliations ? () => setAffiliations(tx, v, rowId, affiliations) : undefined);
    return reload(tx, PRODUCER_TABLE, Producer.fromRow, rowId);
  });
}

/** Deletes a producer (and, with `cascade`, its film credits); returns what went with it, in words. */
export function deleteProducer(db: Queryable, actor: Actor, rowId: number, expectedVersion: number, cascade: boolean): Promise<string[]> {
  return write(db, async (tx) => {
    await lockVersion(tx, 'Producer', rowId, expectedVersion);
    const credits = await tx.query<{ id: number; title: string; role: string }>(
      'SELECT f.id, f.title, fp.role FROM film_producer fp JOIN film f ON f.id = fp.film_id WHERE fp.producer_id = $1 ORDER BY f.id, fp.role',
      [rowId],
    );
    if (credits.length && !cascade) {
      throw heldBy('Producer', rowId, { filmCredits: credits.map((c) => ({ id: toGlobalId('Film', c.id), title: c.title, role: c.role })) });
    }
    await touchEntities(tx, actor, 'deleteProducer', 'Film', credits.map((c) => c.id), async () => {
      await tx.query('DELETE FROM film_producer WHERE producer_id = $1', [rowId]);
    });
    await deleteEntity(tx, actor, 'deleteProducer', 'Producer', rowId);
    return removedSummary([[credits.length, 'film credit', 'film credits']]);
  });
}
