import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { objectSelection } from '../graphql/columns';
import { findByIdOrSlug } from '../graphql/lookup';
import { FilmsArgs } from './film.inputs';
import { filmListOrder, filmListSource } from './film.lists';
import { Film, FilmConnection } from './film.type';

@Resolver(() => Film)
export class FilmResolver {
  @Query(() => Film, { nullable: true, description: 'One film, by ID or by slug (give exactly one); null when there is none.' })
  film(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the film.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the film, such as "steel-soldiers".' }) slug: string | null,
    @Ctx() { loaders }: Context,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Film | null> {
    return findByIdOrSlug('Film', id, slug, loaders.filmById, loaders.filmBySlug, objectSelection(info));
  }

  @Query(() => FilmConnection, { description: 'Films, searched, filtered, ordered and paginated.' })
  films(@Args() args: FilmsArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => filmListSource(params, args.search, args.filter, fields), filmListOrder(args.orderBy, args.search), args, (row) => ({
      node: Film.fromRow(row),
    }), info);
  }
}

