import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Producer } from '../producer/producer.type';
import { ProducerCreditRole } from './film.enums';
import { FilmFilter, FilmOrder } from './film.inputs';
import { filmConditions, filmCreditOrder } from './film.lists';
import { Film, filmColumns } from './film.type';

// Producer.films: the films credited to a producer (the film_producer link, which films own).

@ArgsType()
export class ProducerFilmsArgs extends PageArgs {
  @Field(() => ProducerCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: ProducerCreditRole | null;

  @Field(() => FilmFilter, { nullable: true, description: 'Conditions the films must meet, as in the root `films` list.' })
  filter?: FilmFilter | null;

  @Field(() => [FilmOrder], {
    nullable: true,
    description: 'Ordering, key after key, as in the root `films` list (latest release first when not given); ties are broken by ID, then role.',
  })
  orderBy?: FilmOrder[] | null;
}

type ProducerFilmsFilter = { role: string | null; filter: FilmFilter | null; orderBy: FilmOrder[] | null };

@ObjectType('ProducerFilmEdge', { description: 'A film credited to a producer, with the role they played.', simpleResolvers: true })
export class ProducerFilmEdge extends EdgeType(Film) {
  @Field(() => ProducerCreditRole, { description: 'The role of the producer on this film.' })
  role!: ProducerCreditRole;
}

@ObjectType('ProducerFilmConnection', { description: "A page of a producer's film credits.", simpleResolvers: true })
export class ProducerFilmConnection extends ConnectionType(ProducerFilmEdge, Film) {}

/** A page of each producer's film credits per level of the query, in one statement. */
export function filmsByProducerId(db: Queryable) {
  return new RelationLoader<ProducerFilmsFilter>(db, {
    name: 'filmsByProducerId',
    parentColumn: 'fp.producer_id',
    source: ({ role, filter }, params, _parent, fields) => ({
      select: `${filmColumns('f', fields)}, fp.role AS "_role"`,
      from: 'film_producer fp JOIN film f ON f.id = fp.film_id',
      where: [...(role ? [`fp.role = ${params.add(role, 'producer_credit_role')}`] : []), ...filmConditions(filter, params)],
    }),
    order: ({ orderBy }) => [...filmCreditOrder(orderBy), { name: 'ROLE', sql: 'fp.role::text', type: 'text' }],
  });
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
