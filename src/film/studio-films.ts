import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Studio } from '../studio/studio.type';
import { StudioCreditRole } from './film.enums';
import { FilmCreditsArgs } from './film.inputs';
import { filmCreditsLoader } from './film.lists';
import { Film } from './film.type';

// Studio.films: the films credited to a studio (the film_studio link, which films own). A studio may
// hold several roles on one film (production and distribution): each credit is its own edge.

@ArgsType()
export class StudioFilmsArgs extends FilmCreditsArgs {
  @Field(() => StudioCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: StudioCreditRole | null;
}

@ObjectType('StudioFilmEdge', { description: 'A film credited to a studio, with the role the studio played.', simpleResolvers: true })
export class StudioFilmEdge extends EdgeType(Film) {
  @Field(() => StudioCreditRole, { description: 'The role of the studio on this film.' })
  role!: StudioCreditRole;
}

@ObjectType('StudioFilmConnection', { description: "A page of a studio's film credits.", simpleResolvers: true })
export class StudioFilmConnection extends ConnectionType(StudioFilmEdge, Film) {}

/** A page of each studio's film credits per level of the query, in one statement. */
export function filmsByStudioId(db: Queryable) {
  return filmCreditsLoader(db, 'filmsByStudioId', { table: 'film_studio', alias: 'fs', parentColumn: 'studio_id', roleType: 'studio_credit_role' });
}

@Resolver(() => Studio)
export class StudioFilmsResolver {
  @FieldResolver(() => StudioFilmConnection, {
    description: 'Films credited to this studio, latest release first (undated films last) unless `orderBy` says otherwise; `filter` as in the root `films` list; each edge carries the role.',
  })
  films(@Root() studio: Studio, @Args() args: StudioFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByStudioId.connection(studio.rowId, { role: args.role ?? null, filter: args.filter ?? null, orderBy: args.orderBy ?? null }, args, (row) => ({
      node: Film.fromRow(row),
      role: row._role as StudioCreditRole,
    }), info);
  }
}
