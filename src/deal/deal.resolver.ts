import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { objectSelection } from '../graphql/columns';
import { findByIdOrSlug } from '../graphql/lookup';
import { DealsArgs } from './deal.inputs';
import { dealListOrder, dealListSource } from './deal.lists';
import { Deal, DealConnection } from './deal.type';

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal, { nullable: true, description: 'One deal, by ID or by slug (give exactly one); null when there is none.' })
  deal(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the deal.' }) id: string | null,
    @Ctx() { loaders }: Context,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the deal, such as "alibaba-group-wanda-film-stake-2018".' }) slug?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Deal | null> {
    return findByIdOrSlug('Deal', id, slug ?? null, loaders.dealById, loaders.dealBySlug, objectSelection(info));
  }

  @Query(() => DealConnection, { description: 'Deals, searched, filtered, ordered and paginated (latest announced first by default).' })
  deals(@Args() args: DealsArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => dealListSource(params, args.search, args.filter, fields), dealListOrder(args.orderBy, args.search), args, (row) => ({
      node: Deal.fromRow(row),
    }), info);
  }
}
