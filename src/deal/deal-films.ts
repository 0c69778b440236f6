import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { FILMS_BY_TITLE, Film, FilmConnection, filmColumns } from '../film/film.type';
import { PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Deal } from './deal.type';

// Deal.films: the films a deal covers (the deal_film link, which deals own).

@ArgsType()
export class DealFilmsArgs extends PageArgs {}

/** A page of each deal's films per level of the query, in one statement. */
export function filmsByDealId(db: Queryable) {
  return new RelationLoader<object>(db, {
    name: 'filmsByDealId',
    parentColumn: 'df.deal_id',
    source: (_args, _params, _parent, fields) => ({ select: filmColumns('f', fields), from: 'deal_film df JOIN film f ON f.id = df.film_id', where: [] }),
    order: () => FILMS_BY_TITLE,
  });
}

@Resolver(() => Deal)
export class DealFilmsResolver {
  @FieldResolver(() => FilmConnection, { description: 'The films the deal covers, by title.' })
  films(@Root() deal: Deal, @Args() args: DealFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByDealId.connection(deal.rowId, {}, args, (row) => ({ node: Film.fromRow(row) }), info);
  }
}
