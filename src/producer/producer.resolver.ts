import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { objectSelection } from '../graphql/columns';
import { findByIdOrSlug } from '../graphql/lookup';
import { ProducersArgs } from './producer.inputs';
import { producerListOrder, producerListSource } from './producer.lists';
import { Producer, ProducerConnection } from './producer.type';

@Resolver(() => Producer)
export class ProducerResolver {
  @Query(() => Producer, { nullable: true, description: 'One producer, by ID or by slug (give exactly one); null when there is none.' })
  producer(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the producer.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the producer, such as "robert-zemeckis".' }) slug: string | null,
    @Ctx() { loaders }: Context,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<Producer | null> {
    return findByIdOrSlug('Producer', id, slug, loaders.producerById, loaders.producerBySlug, objectSelection(info));
  }

  @Query(() => ProducerConnection, { description: 'Producers, searched, filtered, ordered and paginated.' })
  producers(@Args() args: ProducersArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => producerListSource(params, args.search, args.filter, fields), producerListOrder(args.orderBy, args.search), args, (row) => ({
      node: Producer.fromRow(row),
    }), info);
  }
}
