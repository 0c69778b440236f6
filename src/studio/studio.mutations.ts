import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Queryable } from '../db/pool';
import type { Context } from '../graphql/context';
import { DeletePayload } from '../graphql/payloads';
import { expectGlobalId, toGlobalId } from '../graphql/ids';
import { slugify, Validator } from '../graphql/validation';
import { deleteEntity, heldBy, insertEntity, lockVersion, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import { StudioKind } from './studio.enums';
import { Studio, studioColumns } from './studio.type';

@InputType('CreateStudioInput', { description: 'A new studio.' })
export class CreateStudioInput {
  @Field({ description: 'Name, such as "Alibaba Pictures".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the name.' })
  slug?: string | null;

  @Field(() => StudioKind, { description: 'What the company mainly does.' })
  kind!: StudioKind;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, such as "CN".' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Headquarters city.' })
  headquarters?: string | null;

  @Field(() => Int, { nullable: true, description: 'Year founded.' })
  foundedYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Stock listing as "EXCHANGE: TICKER", such as "NYSE: BABA".' })
  stockListing?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL (http or https).' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Short description.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The parent company: its slug or ID.' })
  parent?: string | null;
}

@InputType('UpdateStudioInput', { description: 'Changes to a studio: fields left out stay as they are; null clears an optional field.' })
export class UpdateStudioInput {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug (links using the old one stop working).' })
  slug?: string | null;

  @Field(() => StudioKind, { nullable: true, description: 'New kind.' })
  kind?: StudioKind | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code; null clears it.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Headquarters city; null clears it.' })
  headquarters?: string | null;

  @Field(() => Int, { nullable: true, description: 'Year founded; null clears it.' })
  foundedYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Stock listing; null clears it.' })
  stockListing?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL; null clears it.' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Description; null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The parent company (slug or ID); null makes the studio independent.' })
  parent?: string | null;
}

@ObjectType('StudioPayload', { description: 'The studio as it is after the change.', simpleResolvers: true })
export class StudioPayload {
  @Field(() => Studio, { description: 'The created or updated studio, with its new version.' })
  studio!: Studio;
}

type StudioFields = CreateStudioInput | UpdateStudioInput;

/** Checks the fields present in a studio input; `create` requires name and kind. */
function validateStudio(v: Validator, input: StudioFields, create: boolean): void {
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
}

/** Reads a studio inside the write's transaction (the request's loaders are dropped once it commits). */
async function reload(tx: Queryable, rowId: number): Promise<Studio> {
  const [row] = await tx.query(`SELECT ${studioColumns('s')} FROM studio s WHERE s.id = $1`, [rowId]);
  const studio = Studio.fromRow(row);
  return studio;
}

@Resolver()
export class StudioMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => StudioPayload, { description: 'Creates a studio. Needs the EDITOR role.' })
  async createStudio(@Arg('input', () => CreateStudioInput, { description: 'The studio.' }) input: CreateStudioInput, @Ctx() ctx: Context): Promise<StudioPayload> {
    const v = new Validator();
    validateStudio(v, input, true);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      const [parentId] = input.parent != null ? await resolveReferences(tx, 'Studio', [{ field: 'input.parent', ref: input.parent }], v) : [null];
      v.throwIfInvalid();
      const rowId = await insertEntity(tx, actorOf(ctx), 'createStudio', 'Studio', {
        slug: input.slug ?? slugify(input.name),
        name: input.name.trim(),
        kind: input.kind,
        country: input.country,
        headquarters: input.headquarters,
        founded_year: input.foundedYear,
        stock_listing: input.stockListing,
        website: input.website,
        description: input.description,
        parent_id: parentId,
      });
      return { studio: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => StudioPayload, { description: 'Changes a studio at the version the caller read. Needs the EDITOR role.' })
  async updateStudio(
    @Arg('id', () => ID, { description: 'The studio.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one in the database gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateStudioInput, { description: 'The changes.' }) input: UpdateStudioInput,
    @Ctx() ctx: Context,
  ): Promise<StudioPayload> {
    const rowId = expectGlobalId(id, 'Studio', 'id');
    const v = new Validator();
    validateStudio(v, input, false);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      let parentId: number | null | undefined = input.parent === null ? null : undefined;
      if (input.parent != null) {
        [parentId] = await resolveReferences(tx, 'Studio', [{ field: 'input.parent', ref: input.parent }], v);
        if (parentId === rowId) v.add('input.parent', 'cannot be the studio itself');
        else if (parentId !== undefined && (await ownedBy(tx, parentId, rowId))) v.add('input.parent', 'is one of its own subsidiaries: ownership cannot go in a circle');
      }
      v.throwIfInvalid();
      await updateEntity(tx, actorOf(ctx), 'updateStudio', 'Studio', rowId, expectedVersion, {
        name: input.name?.trim(),
        slug: input.slug ?? undefined,
        kind: input.kind ?? undefined,
        country: input.country,
        headquarters: input.headquarters,
        founded_year: input.foundedYear,
        stock_listing: input.stockListing,
        website: input.website,
        description: input.description,
        parent_id: parentId,
      });
      return { studio: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => DeletePayload, {
    description:
      'Deletes a studio. Refused (CONFLICT, with the list of what holds it) while it has deals, film credits or affiliated producers, unless cascade is true: then those links are removed with it (the deals and films themselves stay). Its subsidiaries become independent. Needs the EDITOR role.',
  })
  async deleteStudio(
    @Arg('id', () => ID, { description: 'The studio.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the caller read; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Ctx() ctx: Context,
    @Arg('cascade', () => Boolean, { defaultValue: false, description: 'Also remove its deal participations, film credits and affiliations.' }) cascade = false,
  ): Promise<DeletePayload> {
    const rowId = expectGlobalId(id, 'Studio', 'id');
    return write(ctx.db, async (tx) => {
      const actor = actorOf(ctx);
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
      return {
        deletedId: id,
        cascaded: removedSummary([
          [deals.length, 'deal participation', 'deal participations'],
          [credits.length, 'film credit', 'film credits'],
          [producers.length, 'producer affiliation', 'producer affiliations'],
          [subsidiaries.length, 'subsidiary made independent', 'subsidiaries made independent'],
        ]),
      };
    });
  }
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
