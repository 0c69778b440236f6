import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { ProducerFilmConnection } from '../film/credit.types';
import type { ProducerCreditRole } from '../film/film.enums';
import { Film } from '../film/film.type';
import { PageArgs, rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { findByIdOrSlug } from '../graphql/lookup';
import { Studio } from '../studio/studio.type';
import { ProducerStudioConnection } from './affiliation.types';
import { ProducerFilmsArgs, ProducersArgs } from './producer.inputs';
import { producerListOrder, producerListSource } from './producer.loaders';
import { Producer, ProducerConnection } from './producer.type';

@Resolver(() => Producer)
export class ProducerResolver {
  @Query(() => Producer, { nullable: true, description: 'One producer, by ID or by slug (give exactly one); null when there is none.' })
  producer(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the producer.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the producer, such as "robert-zemeckis".' }) slug: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<Producer | null> {
    return findByIdOrSlug('Producer', id, slug, loaders.producerById, loaders.producerBySlug);
  }

  @Query(() => ProducerConnection, { description: 'Producers, searched, filtered, ordered and paginated.' })
  producers(@Args() args: ProducersArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => producerListSource(params, args.search, args.filter, fields), producerListOrder(args.orderBy, args.search), args, (row) => ({
      node: Producer.fromRow(row),
    }), info);
  }

  @FieldResolver(() => ProducerFilmConnection, {
    description: 'Films credited to this producer, latest release first (undated films last); each edge carries the role.',
  })
  films(@Root() producer: Producer, @Args() args: ProducerFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByProducerId.connection(producer.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Film.fromRow(row),
      role: row._role as ProducerCreditRole,
    }), info);
  }

  @FieldResolver(() => ProducerStudioConnection, { description: 'Studios this producer is affiliated with, by name.' })
  studios(@Root() producer: Producer, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.studiosByProducerId.connection(producer.rowId, {}, page, (row) => ({
      node: Studio.fromRow(row),
      title: row._title as string | null,
    }), info);
  }
}
