import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { Film } from '../film/film.type';
import { PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { DealKind } from './deal.enums';
import { DEALS_LATEST_FIRST, Deal, DealConnection, dealColumns } from './deal.type';

// Film.deals: the deals covering a film (the deal_film link, which deals own).

@ArgsType()
export class FilmDealsArgs extends PageArgs {
  @Field(() => DealKind, { nullable: true, description: 'Only deals of this kind.' })
  kind?: DealKind | null;
}

/** A page of each film's deals per level of the query, in one statement. */
export function dealsByFilmId(db: Queryable) {
  return new RelationLoader<{ kind: string | null }>(db, {
    name: 'dealsByFilmId',
    parentColumn: 'df.film_id',
    source: ({ kind }, params, _parent, fields) => ({
      select: dealColumns('d', fields),
      from: 'deal_film df JOIN deal d ON d.id = df.deal_id',
      where: kind ? [`d.kind = ${params.add(kind, 'deal_kind')}`] : [],
    }),
    order: () => DEALS_LATEST_FIRST,
  });
}

@Resolver(() => Film)
export class FilmDealsResolver {
  @FieldResolver(() => DealConnection, { description: 'Deals covering this film, latest first.' })
  deals(@Root() film: Film, @Args() args: FilmDealsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.dealsByFilmId.connection(film.rowId, { kind: args.kind ?? null }, args, (row) => ({ node: Deal.fromRow(row) }), info);
  }
}
