import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Queryable } from '../db/pool';
import type { Context } from '../graphql/context';
import { expectGlobalId, toGlobalId } from '../graphql/ids';
import { MoneyInput } from '../graphql/money';
import { DeletePayload } from '../graphql/payloads';
import { DateScalar } from '../graphql/scalars';
import { slugify, Validator } from '../graphql/validation';
import { deleteEntity, heldBy, insertEntity, lockVersion, removedSummary, resolveReferences, touchEntities, updateEntity, write } from '../graphql/write';
import { FilmStatus, ProducerCreditRole, StudioCreditRole } from './film.enums';
import { Film, filmColumns } from './film.type';

@InputType('StudioCreditInput', { description: 'A studio credited on a film.' })
export class StudioCreditInput {
  @Field({ description: 'The studio: its slug or ID.' })
  studio!: string;

  @Field(() => StudioCreditRole, { description: 'What the studio did on the film.' })
  role!: StudioCreditRole;
}

@InputType('ProducerCreditInput', { description: 'A producer credited on a film.' })
export class ProducerCreditInput {
  @Field({ description: 'The producer: its slug or ID.' })
  producer!: string;

  @Field(() => ProducerCreditRole, { description: 'What the producer did on the film.' })
  role!: ProducerCreditRole;
}

@InputType('CreateFilmInput', { description: 'A new film, with its credits.' })
export class CreateFilmInput {
  @Field({ description: 'Title. A title made of digits ("1776") is still a title.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the title.' })
  slug?: string | null;

  @Field(() => FilmStatus, { description: 'Where the film stands.' })
  status!: FilmStatus;

  @Field(() => DateScalar, { nullable: true, description: 'First release date.' })
  releaseDate?: string | null;

  @Field(() => [String], { nullable: true, description: 'Genres, such as ["Action", "Thriller"].' })
  genres?: string[] | null;

  @Field(() => String, { nullable: true, description: 'One- or two-sentence summary of the story.' })
  logline?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Production budget.' })
  budget?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Worldwide box-office gross.' })
  worldwideGross?: MoneyInput | null;

  @Field(() => [StudioCreditInput], { nullable: true, description: 'Studios credited on the film.' })
  studios?: StudioCreditInput[] | null;

  @Field(() => [ProducerCreditInput], { nullable: true, description: 'Producers credited on the film.' })
  producers?: ProducerCreditInput[] | null;
}

@InputType('UpdateFilmInput', { description: 'Changes to a film: fields left out stay as they are; null clears an optional field.' })
export class UpdateFilmInput {
  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => FilmStatus, { nullable: true, description: 'New status.' })
  status?: FilmStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Release date; null clears it.' })
  releaseDate?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the genres ([] or null: none).' })
  genres?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Logline; null clears it.' })
  logline?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Budget; null clears it.' })
  budget?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Worldwide gross; null clears it.' })
  worldwideGross?: MoneyInput | null;

  @Field(() => [StudioCreditInput], { nullable: true, description: 'Replaces all studio credits when given.' })
  studios?: StudioCreditInput[] | null;

  @Field(() => [ProducerCreditInput], { nullable: true, description: 'Replaces all producer credits when given.' })
  producers?: ProducerCreditInput[] | null;
}

@ObjectType('FilmPayload', { description: 'The film as it is after the change.', simpleResolvers: true })
export class FilmPayload {
  @Field(() => Film, { description: 'The created or updated film, with its new version.' })
  film!: Film;
}

function validateMoney(v: Validator, field: string, money: MoneyInput | null | undefined): void {
  if (!money) return;
  v.nonNegative(`${field}.amount`, money.amount);
  v.currency(`${field}.currency`, money.currency);
}

function validateFilm(v: Validator, input: CreateFilmInput | UpdateFilmInput, create: boolean): void {
  if (create || input.title !== undefined) v.required('input.title', input.title, "the film's title");
  v.maxLength('input.title', input.title, 300);
  if (input.slug !== undefined) {
    if (!create && input.slug === null) v.add('input.slug', 'cannot be cleared: a film always has a slug');
    v.slug('input.slug', input.slug);
  } else if (create && input.title && !slugify(input.title)) {
    v.add('input.title', 'has no letters or digits to make a slug from: give input.slug');
  }
  if (!create && input.status === null) v.add('input.status', 'cannot be cleared: a film always has a status');
  if (input.genres && input.genres.length > 20) v.add('input.genres', `takes at most 20 genres, got ${input.genres.length}`);
  input.genres?.forEach((g, i) => {
    if (!g.trim()) v.add(`input.genres[${i}]`, 'is blank');
    v.maxLength(`input.genres[${i}]`, g, 50);
  });
  v.maxLength('input.logline', input.logline, 2000);
  validateMoney(v, 'input.budget', input.budget);
  validateMoney(v, 'input.worldwideGross', input.worldwideGross);
}

/** Resolves and writes a film's credits, replacing those of the lists given. */
async function setCredits(
  tx: Queryable,
  v: Validator,
  filmId: number,
  studios: StudioCreditInput[] | null | undefined,
  producers: ProducerCreditInput[] | null | undefined,
): Promise<void> {
  const studioIds = studios ? await resolveReferences(tx, 'Studio', studios.map((c, i) => ({ field: `input.studios[${i}].studio`, ref: c.studio })), v) : [];
  const producerIds = producers
    ? await resolveReferences(tx, 'Producer', producers.map((c, i) => ({ field: `input.producers[${i}].producer`, ref: c.producer })), v)
    : [];
  const duplicates = (ids: (number | undefined)[], roles: string[], field: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (id === undefined) return;
      const key = `${id}:${roles[i]}`;
      if (seen.has(key)) v.add(`input.${field}[${i}]`, 'repeats a credit with the same role');
      seen.add(key);
    });
  };
  duplicates(studioIds, (studios ?? []).map((c) => c.role), 'studios');
  duplicates(producerIds, (producers ?? []).map((c) => c.role), 'producers');
  v.throwIfInvalid();
  if (studios) {
    await tx.query('DELETE FROM film_studio WHERE film_id = $1', [filmId]);
    await tx.query('INSERT INTO film_studio (film_id, studio_id, role) SELECT $1, * FROM unnest($2::int[], $3::studio_credit_role[])', [
      filmId,
      studioIds,
      studios.map((c) => c.role),
    ]);
  }
  if (producers) {
    await tx.query('DELETE FROM film_producer WHERE film_id = $1', [filmId]);
    await tx.query('INSERT INTO film_producer (film_id, producer_id, role) SELECT $1, * FROM unnest($2::int[], $3::producer_credit_role[])', [
      filmId,
      producerIds,
      producers.map((c) => c.role),
    ]);
  }
}

const money = (value: MoneyInput | null | undefined, part: 'amount' | 'currency') =>
  value === undefined ? undefined : value === null ? null : part === 'amount' ? value.amount : value.currency;

async function reload(tx: Queryable, rowId: number): Promise<Film> {
  const [row] = await tx.query(`SELECT ${filmColumns('f')} FROM film f WHERE f.id = $1`, [rowId]);
  const film = Film.fromRow(row);
  return film;
}

/** The film of a credit mutation, by slug or ID. */
async function filmOf(tx: Queryable, ref: string): Promise<number> {
  const v = new Validator();
  const [id] = await resolveReferences(tx, 'Film', [{ field: 'film', ref }], v);
  v.throwIfInvalid();
  return id!;
}

@Resolver()
export class FilmMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Creates a film with its credits, in one transaction. Needs the EDITOR role.' })
  async createFilm(@Arg('input', () => CreateFilmInput, { description: 'The film.' }) input: CreateFilmInput, @Ctx() ctx: Context): Promise<FilmPayload> {
    const v = new Validator();
    validateFilm(v, input, true);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      const rowId = await insertEntity(
        tx,
        actorOf(ctx),
        'createFilm',
        'Film',
        {
          slug: input.slug ?? slugify(input.title),
          title: input.title.trim(),
          status: input.status,
          release_date: input.releaseDate,
          genres: input.genres ?? [],
          logline: input.logline,
          budget_amount: money(input.budget, 'amount'),
          budget_currency: money(input.budget, 'currency'),
          worldwide_gross_amount: money(input.worldwideGross, 'amount'),
          worldwide_gross_currency: money(input.worldwideGross, 'currency'),
        },
        (id) => setCredits(tx, v, id, input.studios ?? [], input.producers ?? []),
      );
      return { film: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Changes a film (and, when given, replaces its credits) at the version the caller read. Needs the EDITOR role.' })
  async updateFilm(
    @Arg('id', () => ID, { description: 'The film.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateFilmInput, { description: 'The changes.' }) input: UpdateFilmInput,
    @Ctx() ctx: Context,
  ): Promise<FilmPayload> {
    const rowId = expectGlobalId(id, 'Film', 'id');
    const v = new Validator();
    validateFilm(v, input, false);
    v.throwIfInvalid();
    return write(ctx.db, async (tx) => {
      await updateEntity(
        tx,
        actorOf(ctx),
        'updateFilm',
        'Film',
        rowId,
        expectedVersion,
        {
          title: input.title?.trim(),
          slug: input.slug ?? undefined,
          status: input.status ?? undefined,
          release_date: input.releaseDate,
          genres: input.genres === undefined ? undefined : (input.genres ?? []),
          logline: input.logline,
          budget_amount: money(input.budget, 'amount'),
          budget_currency: money(input.budget, 'currency'),
          worldwide_gross_amount: money(input.worldwideGross, 'amount'),
          worldwide_gross_currency: money(input.worldwideGross, 'currency'),
        },
        input.studios || input.producers ? () => setCredits(tx, v, rowId, input.studios, input.producers) : undefined,
      );
      return { film: await reload(tx, rowId) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => DeletePayload, {
    description:
      'Deletes a film and its credits. Refused (CONFLICT, with the list of deals) while deals cover it, unless cascade is true: then it is removed from those deals. Needs the EDITOR role.',
  })
  async deleteFilm(
    @Arg('id', () => ID, { description: 'The film.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the caller read; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Ctx() ctx: Context,
    @Arg('cascade', () => Boolean, { defaultValue: false, description: 'Also remove the film from the deals that cover it.' }) cascade = false,
  ): Promise<DeletePayload> {
    const rowId = expectGlobalId(id, 'Film', 'id');
    return write(ctx.db, async (tx) => {
      const actor = actorOf(ctx);
      await lockVersion(tx, 'Film', rowId, expectedVersion);
      const deals = await tx.query<{ id: number; title: string }>(
        'SELECT d.id, d.title FROM deal_film df JOIN deal d ON d.id = df.deal_id WHERE df.film_id = $1 ORDER BY d.id',
        [rowId],
      );
      if (deals.length && !cascade) throw heldBy('Film', rowId, { deals: deals.map((d) => ({ id: toGlobalId('Deal', d.id), title: d.title })) });
      await touchEntities(tx, actor, 'deleteFilm', 'Deal', deals.map((d) => d.id), async () => {
        await tx.query('DELETE FROM deal_film WHERE film_id = $1', [rowId]);
      });
      await deleteEntity(tx, actor, 'deleteFilm', 'Film', rowId);
      return { deletedId: id, cascaded: removedSummary([[deals.length, 'deal no longer covering it', 'deals no longer covering it']]) };
    });
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Credits a studio on a film in a role (nothing changes if it already is). Needs the EDITOR role.' })
  attachStudioCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('studio', { description: 'The studio: its slug or ID.' }) studio: string,
    @Arg('role', () => StudioCreditRole, { description: 'What the studio did.' }) role: StudioCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return this.credit(ctx, 'attachStudioCredit', film, expectedVersion, 'Studio', studio, (filmId, studioId) =>
      ['INSERT INTO film_studio (film_id, studio_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [filmId, studioId, role]] as const,
    );
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Removes a studio credit from a film (nothing changes if there is none). Needs the EDITOR role.' })
  detachStudioCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('studio', { description: 'The studio: its slug or ID.' }) studio: string,
    @Arg('role', () => StudioCreditRole, { description: 'The role of the credit to remove.' }) role: StudioCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return this.credit(ctx, 'detachStudioCredit', film, expectedVersion, 'Studio', studio, (filmId, studioId) =>
      ['DELETE FROM film_studio WHERE film_id = $1 AND studio_id = $2 AND role = $3', [filmId, studioId, role]] as const,
    );
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Credits a producer on a film in a role (nothing changes if it already is). Needs the EDITOR role.' })
  attachProducerCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('producer', { description: 'The producer: its slug or ID.' }) producer: string,
    @Arg('role', () => ProducerCreditRole, { description: 'What the producer did.' }) role: ProducerCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return this.credit(ctx, 'attachProducerCredit', film, expectedVersion, 'Producer', producer, (filmId, producerId) =>
      ['INSERT INTO film_producer (film_id, producer_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [filmId, producerId, role]] as const,
    );
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Removes a producer credit from a film (nothing changes if there is none). Needs the EDITOR role.' })
  detachProducerCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('producer', { description: 'The producer: its slug or ID.' }) producer: string,
    @Arg('role', () => ProducerCreditRole, { description: 'The role of the credit to remove.' }) role: ProducerCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return this.credit(ctx, 'detachProducerCredit', film, expectedVersion, 'Producer', producer, (filmId, producerId) =>
      ['DELETE FROM film_producer WHERE film_id = $1 AND producer_id = $2 AND role = $3', [filmId, producerId, role]] as const,
    );
  }

  /** One credit change: a change of the film (its version moves, the audit history records it). */
  private credit(
    ctx: Context,
    operation: string,
    filmRef: string,
    expectedVersion: number | null | undefined,
    type: 'Studio' | 'Producer',
    ref: string,
    statement: (filmId: number, otherId: number) => readonly [string, unknown[]],
  ): Promise<FilmPayload> {
    return write(ctx.db, async (tx) => {
      const filmId = await filmOf(tx, filmRef);
      const v = new Validator();
      const [otherId] = await resolveReferences(tx, type, [{ field: type.toLowerCase(), ref }], v);
      v.throwIfInvalid();
      await updateEntity(tx, actorOf(ctx), operation, 'Film', filmId, expectedVersion, {}, async () => {
        const [sql, values] = statement(filmId, otherId!);
        await tx.query(sql, values);
      });
      return { film: await reload(tx, filmId) };
    });
  }
}
