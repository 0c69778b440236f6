import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { actorOf, RequiresRole } from '../auth/auth';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DeletePayload } from '../graphql/payloads';
import { CreateDealInput, UpdateDealInput } from './deal.inputs';
import { Deal } from './deal.type';
import { createDeal, deleteDeal, updateDeal } from './deal.writes';

// The deal mutations: each reads its arguments and calls deal.writes.ts.

@ObjectType('DealPayload', { description: 'The deal as it is after the change.', simpleResolvers: true })
export class DealPayload {
  @Field(() => Deal, { description: 'The created or updated deal, with its new version.' })
  deal!: Deal;
}

@Resolver()
export class DealMutations {
  @RequiresRole(Role.EDITOR)
  @Mutation(() => DealPayload, {
    description:
      'Creates a deal with its parties, films and sources in one transaction: if any part is invalid (a party that does not exist, say), nothing is written. Needs the EDITOR role.',
  })
  async createDeal(@Arg('input', () => CreateDealInput, { description: 'The deal.' }) input: CreateDealInput, @Ctx() ctx: Context): Promise<DealPayload> {
    return { deal: await createDeal(ctx.db, actorOf(ctx), input) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => DealPayload, {
    description: 'Changes a deal (and replaces the parties, films or sources given) at the version the caller read. Needs the EDITOR role.',
  })
  async updateDeal(
    @Arg('id', () => ID, { description: 'The deal.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the change is based on; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Arg('input', () => UpdateDealInput, { description: 'The changes.' }) input: UpdateDealInput,
    @Ctx() ctx: Context,
  ): Promise<DealPayload> {
    return { deal: await updateDeal(ctx.db, actorOf(ctx), expectGlobalId(id, 'Deal', 'id'), expectedVersion, input) };
  }

  @RequiresRole(Role.EDITOR)
  @Mutation(() => DeletePayload, { description: 'Deletes a deal with its parties, film links and source links (the studios, films and sources stay). Needs the EDITOR role.' })
  async deleteDeal(
    @Arg('id', () => ID, { description: 'The deal.' }) id: string,
    @Arg('expectedVersion', () => Int, { description: 'The version the caller read; a newer one gets CONFLICT.' }) expectedVersion: number,
    @Ctx() ctx: Context,
  ): Promise<DeletePayload> {
    await deleteDeal(ctx.db, actorOf(ctx), expectGlobalId(id, 'Deal', 'id'), expectedVersion);
    return { deletedId: id, cascaded: [] };
  }
}
