import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Studio } from '../studio/studio.type';
import { DealKind, DealPartyRole } from './deal.enums';
import { DEALS_LATEST_FIRST, Deal, dealColumns } from './deal.type';

// Studio.deals: the deals a studio is party to (the deal_party link, which deals own).

@ArgsType()
export class StudioDealsArgs extends PageArgs {
  @Field(() => DealKind, { nullable: true, description: 'Only deals of this kind.' })
  kind?: DealKind | null;
}

@ObjectType('StudioDealEdge', { description: 'A deal a studio is party to, with its role in it.', simpleResolvers: true })
export class StudioDealEdge extends EdgeType(Deal) {
  @Field(() => DealPartyRole, { description: 'The part the studio plays in this deal.' })
  role!: DealPartyRole;
}

@ObjectType('StudioDealConnection', { description: "A page of a studio's deals.", simpleResolvers: true })
export class StudioDealConnection extends ConnectionType(StudioDealEdge, Deal) {}

/** A page of each studio's deals per level of the query, in one statement. */
export function dealsByStudioId(db: Queryable) {
  return new RelationLoader<{ kind: string | null }>(db, {
    name: 'dealsByStudioId',
    parentColumn: 'dp.studio_id',
    source: ({ kind }, params, _parent, fields) => ({
      select: `${dealColumns('d', fields)}, dp.role AS "_role"`,
      from: 'deal_party dp JOIN deal d ON d.id = dp.deal_id',
      where: kind ? [`d.kind = ${params.add(kind, 'deal_kind')}`] : [],
    }),
    order: () => DEALS_LATEST_FIRST,
  });
}

@Resolver(() => Studio)
export class StudioDealsResolver {
  @FieldResolver(() => StudioDealConnection, { description: 'Deals this studio is party to, latest first; each edge carries its role.' })
  deals(@Root() studio: Studio, @Args() args: StudioDealsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.dealsByStudioId.connection(studio.rowId, { kind: args.kind ?? null }, args, (row) => ({
      node: Deal.fromRow(row),
      role: row._role as DealPartyRole,
    }), info);
  }
}
