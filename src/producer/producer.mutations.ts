import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Queryable } from '../db/pool';
import type { Context } from '../graphql/context';
import { expectGlobalId, toGlobalId } from '../graphql/ids';
import { DeletePayload } from '../graphql/payloads';
import { slugify, Validator } from '../graphql/validation';
import { deleteEntity, heldBy, insertEntity, lockVersion, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import { ProducerKind } from './producer.enums';
import { Producer, producerColumns } from './producer.type';

@InputType('AffiliationInput', { description: 'A producer\'s affiliation with a studio.' })
export class AffiliationInput {
  @Field({ description: 'The studio: its slug or ID.' })
  studio!: string;

  @Field(() => String, { nullable: true, description: 'The producer\'s position there, such as "Co-founder".' })
  title?: string | null;
}

@InputType('CreateProducerInput', { description: 'A new producer.' })
export class CreateProducerInput {
  @Field({ description: 'Name, such as "Robert Zemeckis".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the name.' })
  slug?: string | null;

  @Field(() => ProducerKind, { defaultValue: ProducerKind.PERSON, description: 'A person (default) or a company.' })
  kind!: ProducerKind;

  @Field(() => String, { nullable: true, description: 'Short biography.' })
  bio?: string | null;

  @Field(() => [AffiliationInput], { nullable: true, description: 'Studios the producer is affiliated with.' })
  affiliations?: AffiliationInput[] | null;
}

@InputType('UpdateProducerInput', { description: 'Changes to a producer: fields left out stay as they are; null clears an optional field.' })
export class UpdateProducerInput {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => ProducerKind, { nullable: true, description: 'Person or company.' })
  kind?: ProducerKind | null;

  @Field(() => String, { nullable: true, description: 'Biography; null clears it.' })
  bio?: string | null;

  @Field(() => [AffiliationInput], { nullable: true, description: 'Replaces all affiliations when given ([] removes them all).' })
  affiliations?: AffiliationInput[] | null;
}

@ObjectType('ProducerPayload', { description: 'The producer as it is after the change.', simpleResolvers: true })
export class ProducerPayload {
  @Field(() => Producer, { description: 'The created or updated producer, with its new version.' })
  producer!: Producer;
}

function validateProducer(v: Validator, input: CreateProducerInput | UpdateProducerInput, create: boolean): void {
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

async function reload(tx: Queryable, rowId: number): Promise<Producer> {
  const [row] = await tx.query(`SELECT ${producerColumns('p')} FROM producer p WHERE p.id = $1`, [rowId]);
  const producer = Producer.fromRow(row);
  return producer;
}

@Resolver()
export class ProducerMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => ProducerPayload, { description: 'Creates a producer, with its studio affiliations. Needs the EDITOR role.' })
  async createProducer(@Arg('input', () => CreateProducerInput, { description: 'The producer.' }) input: CreateProducerInput, @Ctx() ctx: Context): Promise<ProducerPayload> {
    const v = new Validator();
    validateProducer(v, input, true);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      const rowId = await insertEntity(
        tx,
        actorOf(ctx),
        'createProducer',
        'Producer',
        { slug: input.slug ?? slugify(input.name), name: input.name.trim(), kind: input.kind, bio: input.bio },
        async (id) => setAffiliations(tx, v, id, input.affiliations ?? []),
      );
      return { producer: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => ProducerPayload, { description: 'Changes a producer at the version the caller read. Needs the EDITOR role.' })
  async updateProducer(
    @Arg('id', () => ID, { description: 'The producer.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateProducerInput, { description: 'The changes.' }) input: UpdateProducerInput,
    @Ctx() ctx: Context,
  ): Promise<ProducerPayload> {
    const rowId = expectGlobalId(id, 'Producer', 'id');
    const v = new Validator();
    validateProducer(v, input, false);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      await updateEntity(
        tx,
        actorOf(ctx),
        'updateProducer',
        'Producer',
        rowId,
        expectedVersion,
        { name: input.name?.trim(), slug: input.slug ?? undefined, kind: input.kind ?? undefined, bio: input.bio },
        input.affiliations ? () => setAffiliations(tx, v, rowId, input.affiliations!) : undefined,
      );
      return { producer: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => DeletePayload, {
    description:
      'Deletes a producer. Refused (CONFLICT, with the list of what holds it) while it has film credits, unless cascade is true: then its credits go with it. Affiliations always go with it. Needs the EDITOR role.',
  })
  async deleteProducer(
    @Arg('id', () => ID, { description: 'The producer.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the caller read; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Ctx() ctx: Context,
    @Arg('cascade', () => Boolean, { defaultValue: false, description: 'Also remove its film credits.' }) cascade = false,
  ): Promise<DeletePayload> {
    const rowId = expectGlobalId(id, 'Producer', 'id');
    return write(ctx.db, async (tx) => {
      const actor = actorOf(ctx);
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
      return { deletedId: id, cascaded: removedSummary([[credits.length, 'film credit', 'film credits']]) };
    });
  }
}
