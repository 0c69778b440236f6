import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DeletePayload } from '../graphql/payloads';
import { ProducerCreditRole, StudioCreditRole } from './film.enums';
import { CreateFilmInput, UpdateFilmInput } from './film.inputs';
import { Film } from './film.type';
import { createFilm, credits, deleteFilm, updateFilm } from './film.writes';

// The film and credit mutations: each reads its arguments and calls film.writes.ts.

@ObjectType('FilmPayload', { description: 'The film as it is after the change.', simpleResolvers: true })
export class FilmPayload {
  @Field(() => Film, { description: 'The created or updated film, with its new version.' })
  film!: Film;
}

@Resolver()
export class FilmMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Creates a film with its credits, in one transaction. Needs the EDITOR role.' })
  async createFilm(@Arg('input', () => CreateFilmInput, { description: 'The film.' }) input: CreateFilmInput, @Ctx() ctx: Context): Promise<FilmPayload> {
    return { film: await createFilm(ctx.db, actorOf(ctx), input) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Changes a film (and, when given, replaces its credits) at the version the caller read. Needs the EDITOR role.' })
  async updateFilm(
    @Arg('id', () => ID, { description: 'The film.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateFilmInput, { description: 'The changes.' }) input: UpdateFilmInput,
    @Ctx() ctx: Context,
  ): Promise<FilmPayload> {
    return { film: await updateFilm(ctx.db, actorOf(ctx), expectGlobalId(id, 'Film', 'id'), expectedVersion, input) };
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
    return { deletedId: id, cascaded: await deleteFilm(ctx.db, actorOf(ctx), expectGlobalId(id, 'Film', 'id'), expectedVersion, cascade) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Credits a studio on a film in a role (nothing changes if it already is). Needs the EDITOR role.' })
  async attachStudioCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('studio', { description: 'The studio: its slug or ID.' }) studio: string,
    @Arg('role', () => StudioCreditRole, { description: 'What the studio did.' }) role: StudioCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return { film: await credits.attachStudio(ctx.db, actorOf(ctx), film, studio, role, expectedVersion) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Removes a studio credit from a film (nothing changes if there is none). Needs the EDITOR role.' })
  async detachStudioCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('studio', { description: 'The studio: its slug or ID.' }) studio: string,
    @Arg('role', () => StudioCreditRole, { description: 'The role of the credit to remove.' }) role: StudioCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return { film: await credits.detachStudio(ctx.db, actorOf(ctx), film, studio, role, expectedVersion) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Credits a producer on a film in a role (nothing changes if it already is). Needs the EDITOR role.' })
  async attachProducerCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('producer', { description: 'The producer: its slug or ID.' }) producer: string,
    @Arg('role', () => ProducerCreditRole, { description: 'What the producer did.' }) role: ProducerCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return { film: await credits.attachProducer(ctx.db, actorOf(ctx), film, producer, role, expectedVersion) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => FilmPayload, { description: 'Removes a producer credit from a film (nothing changes if there is none). Needs the EDITOR role.' })
  async detachProducerCredit(
    @Arg('film', { description: 'The film: its slug or ID.' }) film: string,
    @Arg('producer', { description: 'The producer: its slug or ID.' }) producer: string,
    @Arg('role', () => ProducerCreditRole, { description: 'The role of the credit to remove.' }) role: ProducerCreditRole,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true, description: "The film's version the caller read, if it should be checked." }) expectedVersion?: number | null,
  ): Promise<FilmPayload> {
    return { film: await credits.detachProducer(ctx.db, actorOf(ctx), film, producer, role, expectedVersion) };
  }
}
