import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DeletePayload } from '../graphql/payloads';
import { CreateStudioInput, UpdateStudioInput } from './studio.inputs';
import { Studio } from './studio.type';
import { createStudio, deleteStudio, updateStudio } from './studio.writes';

// The studio mutations: each reads its arguments and calls studio.writes.ts.

@ObjectType('StudioPayload', { description: 'The studio as it is after the change.', simpleResolvers: true })
export class StudioPayload {
  @Field(() => Studio, { description: 'The created or updated studio, with its new version.' })
  studio!: Studio;
}

@Resolver()
export class StudioMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => StudioPayload, { description: 'Creates a studio. Needs the EDITOR role.' })
  async createStudio(@Arg('input', () => CreateStudioInput, { description: 'The studio.' }) input: CreateStudioInput, @Ctx() ctx: Context): Promise<StudioPayload> {
    return { studio: await createStudio(ctx.db, actorOf(ctx), input) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => StudioPayload, { description: 'Changes a studio at the version the caller read. Needs the EDITOR role.' })
  async updateStudio(
    @Arg('id', () => ID, { description: 'The studio.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one in the database gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateStudioInput, { description: 'The changes.' }) input: UpdateStudioInput,
    @Ctx() ctx: Context,
  ): Promise<StudioPayload> {
    return { studio: await updateStudio(ctx.db, actorOf(ctx), expectGlobalId(id, 'Studio', 'id'), expectedVersion, input) };
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
    return { deletedId: id, cascaded: await deleteStudio(ctx.db, actorOf(ctx), expectGlobalId(id, 'Studio', 'id'), expectedVersion, cascade) };
  }
}
