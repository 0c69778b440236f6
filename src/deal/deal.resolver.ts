import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DealsArgs } from './deal.inputs';
import { dealListOrder, dealListSource } from './deal.loaders';
import { Deal, DealConnection } from './deal.type';

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal, { nullable: true, description: 'One deal, by ID; null when there is none.' })
  deal(@Arg('id', () => ID, { description: 'Global ID of the deal.' }) id: string, @Ctx() { loaders }: Context): Promise<Deal | null> {
    return loaders.dealById.load(expectGlobalId(id, 'Deal', 'id'));
  }

  @Query(() => DealConnection, { description: 'Deals, searched, filtered, ordered and paginated (latest announced first by default).' })
  deals(@Args() args: DealsArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => dealListSource(params, args.search, args.filter, fields), dealListOrder(args.orderBy, args.search), args, (row) => ({
      node: Deal.fromRow(row),
    }), info);
  }
}
