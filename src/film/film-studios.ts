import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { STUDIOS_BY_NAME, Studio, studioColumns } from '../studio/studio.type';
import { StudioCreditRole } from './film.enums';
import { Film } from './film.type';

// Film.studios: the studios credited on a film (the film_studio link, which films own).

@ArgsType()
export class FilmStudiosArgs extends PageArgs {
  @Field(() => StudioCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: StudioCreditRole | null;
}

@ObjectType('FilmStudioEdge', { description: 'A studio credited on a film, with its role.', simpleResolvers: true })
export class FilmStudioEdge extends EdgeType(Studio) {
  @Field(() => StudioCreditRole, { description: 'The role of the studio on this film.' })
  role!: StudioCreditRole;
}

@ObjectType('FilmStudioConnection', { description: "A page of a film's studio credits.", simpleResolvers: true })
export class FilmStudioConnection extends ConnectionType(FilmStudioEdge, Studio) {}

/** A page of each film's studio credits per level of the query, in one statement. */
export function studiosByFilmId(db: Queryable) {
  return new RelationLoader<{ role: string | null }>(db, {
    name: 'studiosByFilmId',
    parentColumn: 'fs.film_id',
    source: ({ role }, params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, fs.role AS "_role"`,
      from: 'film_studio fs JOIN studio s ON s.id = fs.studio_id',
      where: role ? [`fs.role = ${params.add(role, 'studio_credit_role')}`] : [],
    }),
    order: () => [...STUDIOS_BY_NAME, { name: 'ROLE', sql: 'fs.role::text', type: 'text' }],
  });
}

@Resolver(() => Film)
export class FilmStudiosResolver {
  @FieldResolver(() => FilmStudioConnection, { description: 'Studios credited on this film, by name; each edge carries the role.' })
  studios(@Root() film: Film, @Args() args: FilmStudiosArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.studiosByFilmId.connection(film.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Studio.fromRow(row),
      role: row._role as StudioCreditRole,
    }), info);
  }
}
