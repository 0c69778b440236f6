import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { PRODUCERS_BY_NAME, Producer, producerColumns } from '../producer/producer.type';
import { ProducerCreditRole } from './film.enums';
import { Film } from './film.type';

// Film.producers: the producers credited on a film (the film_producer link, which films own).

@ArgsType()
export class FilmProducersArgs extends PageArgs {
  @Field(() => ProducerCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: ProducerCreditRole | null;
}

@ObjectType('FilmProducerEdge', { description: 'A producer credited on a film, with the role they played.', simpleResolvers: true })
export class FilmProducerEdge extends EdgeType(Producer) {
  @Field(() => ProducerCreditRole, { description: 'The role of the producer on this film.' })
  role!: ProducerCreditRole;
}

@ObjectType('FilmProducerConnection', { description: "A page of a film's producer credits.", simpleResolvers: true })
export class FilmProducerConnection extends ConnectionType(FilmProducerEdge, Producer) {}

/** A page of each film's producer credits per level of the query, in one statement. */
export function producersByFilmId(db: Queryable) {
  return new RelationLoader<{ role: string | null }>(db, {
    name: 'producersByFilmId',
    parentColumn: 'fp.film_id',
    source: ({ role }, params, _parent, fields) => ({
      select: `${producerColumns('p', fields)}, fp.role AS "_role"`,
      from: 'film_producer fp JOIN producer p ON p.id = fp.producer_id',
      where: role ? [`fp.role = ${params.add(role, 'producer_credit_role')}`] : [],
    }),
    order: () => [...PRODUCERS_BY_NAME, { name: 'ROLE', sql: 'fp.role::text', type: 'text' }],
  });
}

@Resolver(() => Film)
export class FilmProducersResolver {
  @FieldResolver(() => FilmProducerConnection, { description: 'Producers credited on this film, by name; each edge carries the role.' })
  producers(@Root() film: Film, @Args() args: FilmProducersArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.producersByFilmId.connection(film.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Producer.fromRow(row),
      role: row._role as ProducerCreditRole,
    }), info);
  }
}
