import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { Film, FilmConnection } from '../film/film.type';
import { childSelection } from '../graphql/columns';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { expectGlobalId } from '../graphql/ids';
import { DealFilmsArgs, DealsArgs } from './deal.inputs';
import { dealListOrder, dealListSource } from './deal.loaders';
import { Deal, DealConnection, DealParty, Source } from './deal.type';

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

  @FieldResolver(() => [DealParty], { description: 'The studios taking part in the deal, each with its role; ordered by role (ACQUIRER, TARGET, INVESTOR, INVESTEE, PARTNER, ...), then by name.' })
  parties(@Root() deal: Deal, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo): Promise<DealParty[]> {
    return loaders.partiesByDealId.load(deal.rowId, childSelection(info, 'studio'));
  }

  @FieldResolver(() => FilmConnection, { description: 'The films the deal covers, by title.' })
  films(@Root() deal: Deal, @Args() args: DealFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByDealId.connection(deal.rowId, {}, args, (row) => ({ node: Film.fromRow(row) }), info);
  }

  @FieldResolver(() => [Source], { description: 'The published reports the deal is known from, oldest first.' })
  sources(@Root() deal: Deal, @Ctx() { loaders }: Context): Promise<Source[]> {
    return loaders.sourcesByDealId.load(deal.rowId);
  }
}
