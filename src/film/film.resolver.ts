import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { Deal, DealConnection } from '../deal/deal.type';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { findByIdOrSlug } from '../graphql/lookup';
import { Producer } from '../producer/producer.type';
import { Studio } from '../studio/studio.type';
import { FilmProducerConnection, FilmStudioConnection } from './credit.types';
import type { ProducerCreditRole, StudioCreditRole } from './film.enums';
import { FilmDealsArgs, FilmProducersArgs, FilmsArgs, FilmStudiosArgs } from './film.inputs';
import { filmListOrder, filmListSource } from './film.loaders';
import { Film, FilmConnection } from './film.type';

@Resolver(() => Film)
export class FilmResolver {
  @Query(() => Film, { nullable: true, description: 'One film, by ID or by slug (give exactly one); null when there is none.' })
  film(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the film.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the film, such as "steel-soldiers".' }) slug: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<Film | null> {
    return findByIdOrSlug('Film', id, slug, loaders.filmById, loaders.filmBySlug);
  }

  @Query(() => FilmConnection, { description: 'Films, searched, filtered, ordered and paginated.' })
  films(@Args() args: FilmsArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => filmListSource(params, args.search, args.filter, fields), filmListOrder(args.orderBy, args.search), args, (row) => ({
      node: Film.fromRow(row),
    }), info);
  }

  @FieldResolver(() => FilmStudioConnection, { description: 'Studios credited on this film, by name; each edge carries the role.' })
  studios(@Root() film: Film, @Args() args: FilmStudiosArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.studiosByFilmId.connection(film.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Studio.fromRow(row),
      role: row._role as StudioCreditRole,
    }), info);
  }

  @FieldResolver(() => FilmProducerConnection, { description: 'Producers credited on this film, by name; each edge carries the role.' })
  producers(@Root() film: Film, @Args() args: FilmProducersArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.producersByFilmId.connection(film.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Producer.fromRow(row),
      role: row._role as ProducerCreditRole,
    }), info);
  }

  @FieldResolver(() => DealConnection, { description: 'Deals covering this film, latest first.' })
  deals(@Root() film: Film, @Args() args: FilmDealsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.dealsByFilmId.connection(film.rowId, { kind: args.kind ?? null }, args, (row) => ({ node: Deal.fromRow(row) }), info);
  }
}

