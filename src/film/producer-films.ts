import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Producer } from '../producer/producer.type';
import { ProducerCreditRole } from './film.enums';
import { FilmCreditsArgs } from './film.inputs';
import { filmCreditsLoader } from './film.lists';
import { Film } from './film.type';

// Producer.films: the films credited to a producer (the film_producer link, which films own).

@ArgsType()
export class ProducerFilmsArgs extends FilmCreditsArgs {
  @Field(() => ProducerCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: ProducerCreditRole | null;
}

@ObjectType('ProducerFilmEdge', { description: 'A film credited to a producer, with the role they played.', simpleResolvers: true })
export class ProducerFilmEdge extends EdgeType(Film) {
  @Field(() => ProducerCreditRole, { description: 'The role of the producer on this film.' })
  role!: ProducerCreditRole;
}

@ObjectType('ProducerFilmConnection', { description: "A page of a producer's film credits.", simpleResolvers: true })
export class ProducerFilmConnection extends ConnectionType(ProducerFilmEdge, Film) {}

/** A page of each producer's film credits per level of the query, in one statement. */
export function filmsByProducerId(db: Queryable) {
  return filmCreditsLoader(db, 'filmsByProducerId', { table: 'film_producer', alias: 'fp', parentColumn: 'producer_id', roleType: 'producer_credit_role' });
}

@Resolver(() => Producer)
export class ProducerFilmsResolver {
  @FieldResolver(() => ProducerFilmConnection, {
    description: 'Films credited to this producer, latest release first (undated films last) unless `orderBy` says otherwise; `filter` as in the root `films` list; each edge carries the role.',
  })
  films(@Root() producer: Producer, @Args() args: ProducerFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByProducerId.connection(producer.rowId, { role: args.role ?? null, filter: args.filter ?? null, orderBy: args.orderBy ?? null }, args, (row) => ({
      node: Film.fromRow(row),
      role: row._role as ProducerCreditRole,
    }), info);
  }
}
