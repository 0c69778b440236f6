import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { objectSelection } from '../graphql/columns';
import { findByIdOrSlug } from '../graphql/lookup';
import { StudiosArgs } from './studio.inputs';
import { studioListOrder, studioListSource } from './studio.lists';
import { Studio, StudioConnection } from './studio.type';

@Resolver(() => Studio)
export class StudioResolver {
  @Query(() => Studio, { nullable: true, description: 'One studio, by ID or by slug (give exactly one); null when there is none.' })
  studio(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the studio.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the studio, such as "alibaba-pictures".' }) slug: string | null,
    @Ctx() { loaders }: Context,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Studio | null> {
    return findByIdOrSlug('Studio', id, slug, loaders.studioById, loaders.studioBySlug, objectSelection(info));
  }

  @Query(() => StudioConnection, { description: 'Studios, searched, filtered, ordered and paginated.' })
  studios(@Args() args: StudiosArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => studioListSource(params, args.search, args.filter, fields), studioListOrder(args.orderBy, args.search), args, (row) => ({
      node: Studio.fromRow(row),
    }), info);
  }
}
