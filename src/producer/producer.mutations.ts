import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DeletePayload } from '../graphql/payloads';
import { CreateProducerInput, UpdateProducerInput } from './producer.inputs';
import { Producer } from './producer.type';
import { createProducer, deleteProducer, updateProducer } from './producer.writes';

// The producer mutations: each reads its arguments and calls producer.writes.ts.

@ObjectType('ProducerPayload', { description: 'The producer as it is after the change.', simpleResolvers: true })
export class ProducerPayload {
  @Field(() => Producer, { description: 'The created or updated producer, with its new version.' })
  producer!: Producer;
}

@Resolver()
export class ProducerMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => ProducerPayload, { description: 'Creates a producer, with its studio affiliations. Needs the EDITOR role.' })
  async createProducer(@Arg('input', () => CreateProducerInput, { description: 'The producer.' }) input: CreateProducerInput, @Ctx() ctx: Context): Promise<ProducerPayload> {
    return { producer: await createProducer(ctx.db, actorOf(ctx), input) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => ProducerPayload, { description: 'Changes a producer at the version the caller read. Needs the EDITOR role.' })
  async updateProducer(
    @Arg('id', () => ID, { description: 'The producer.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateProducerInput, { description: 'The changes.' }) input: UpdateProducerInput,
    @Ctx() ctx: Context,
  ): Promise<ProducerPayload> {
    return { producer: await updateProducer(ctx.db, actorOf(ctx), expectGlobalId(id, 'Producer', 'id'), expectedVersion, input) };
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
    return { deletedId: id, cascaded: await deleteProducer(ctx.db, actorOf(ctx), expectGlobalId(id, 'Producer', 'id'), expectedVersion, cascade) };
  }
}
