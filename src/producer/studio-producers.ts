import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Studio } from '../studio/studio.type';
import { PRODUCERS_BY_NAME, Producer, producerColumns } from './producer.type';

// Studio.producers: the producers affiliated with a studio (the producer_studio link, which
// producers own).

@ObjectType('StudioProducerEdge', { description: 'A producer affiliated with a studio.', simpleResolvers: true })
export class StudioProducerEdge extends EdgeType(Producer) {
  @Field(() => String, { nullable: true, description: 'The producer\'s position at the studio, such as "Co-founder"; null when the sources do not say.' })
  title!: string | null;
}

@ObjectType('StudioProducerConnection', { description: "A page of the producers affiliated with a studio.", simpleResolvers: true })
export class StudioProducerConnection extends ConnectionType(StudioProducerEdge, Producer) {}

/** A page of each studio's producers per level of the query, in one statement. */
export function producersByStudioId(db: Queryable) {
  return new RelationLoader<object>(db, {
    name: 'producersByStudioId',
    parentColumn: 'ps.studio_id',
    source: (_args, _params, _parent, fields) => ({
      select: `${producerColumns('p', fields)}, ps.title AS "_title"`,
      from: 'producer_studio ps JOIN producer p ON p.id = ps.producer_id',
      where: [],
    }),
    order: () => PRODUCERS_BY_NAME,
  });
}

@Resolver(() => Studio)
export class StudioProducersResolver {
  @FieldResolver(() => StudioProducerConnection, { description: 'Producers affiliated with this studio, by name.' })
  producers(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.producersByStudioId.connection(studio.rowId, {}, page, (row) => ({
      node: Producer.fromRow(row),
      title: row._title as string | null,
    }), info);
  }
}
