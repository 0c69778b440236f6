import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { STUDIOS_BY_NAME, Studio, studioColumns } from '../studio/studio.type';
import { Producer } from './producer.type';

// Producer.studios: the studios a producer is affiliated with (the producer_studio link, which
// producers own).

@ObjectType('ProducerStudioEdge', { description: 'A studio a producer is affiliated with.', simpleResolvers: true })
export class ProducerStudioEdge extends EdgeType(Studio) {
  @Field(() => String, { nullable: true, description: 'The producer\'s position at the studio, such as "Co-founder"; null when the sources do not say.' })
  title!: string | null;
}

@ObjectType('ProducerStudioConnection', { description: "A page of a producer's studio affiliations.", simpleResolvers: true })
export class ProducerStudioConnection extends ConnectionType(ProducerStudioEdge, Studio) {}

/** A page of each producer's affiliations per level of the query, in one statement. */
export function studiosByProducerId(db: Queryable) {
  return new RelationLoader<object>(db, {
    name: 'studiosByProducerId',
    parentColumn: 'ps.producer_id',
    source: (_args, _params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, ps.title AS "_title"`,
      from: 'producer_studio ps JOIN studio s ON s.id = ps.studio_id',
      where: [],
    }),
    order: () => STUDIOS_BY_NAME,
  });
}

@Resolver(() => Producer)
export class ProducerStudiosResolver {
  @FieldResolver(() => ProducerStudioConnection, { description: 'Studios this producer is affiliated with, by name.' })
  studios(@Root() producer: Producer, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.studiosByProducerId.connection(producer.rowId, {}, page, (row) => ({
      node: Studio.fromRow(row),
      title: row._title as string | null,
    }), info);
  }
}
