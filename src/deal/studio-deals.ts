import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Studio } from '../studio/studio.type';
import { DealKind, DealPartyRole } from './deal.enums';
import { DealFilter, DealOrder } from './deal.inputs';
import { dealConditions, dealListOrder } from './deal.lists';
import { Deal, dealColumns } from './deal.type';

// Studio.deals: the deals a studio is party to (the deal_party link, which deals own).

@ArgsType()
export class StudioDealsArgs extends PageArgs {
  @Field(() => DealKind, { nullable: true, description: 'Only deals of this kind.' })
  kind?: DealKind | null;

  @Field(() => DealFilter, { nullable: true, description: 'Conditions the deals must meet, as in the root `deals` list.' })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], {
    nullable: true,
    description: 'Ordering, key after key, as in the root `deals` list (latest first when not given); ties are broken by ID.',
  })
  orderBy?: DealOrder[] | null;
}

type StudioDealsFilter = { kind: string | null; filter: DealFilter | null; orderBy: DealOrder[] | null };

@ObjectType('StudioDealEdge', { description: 'A deal a studio is party to, with its role in it.', simpleResolvers: true })
export class StudioDealEdge extends EdgeType(Deal) {
  @Field(() => DealPartyRole, { description: 'The part the studio plays in this deal.' })
  role!: DealPartyRole;
}

@ObjectType('StudioDealConnection', { description: "A page of a studio's deals.", simpleResolvers: true })
export class StudioDealConnection extends ConnectionType(StudioDealEdge, Deal) {}

/** A page of each studio's deals per level of the query, in one statement. */
export function dealsByStudioId(db: Queryable) {
  return new RelationLoader<StudioDealsFilter>(db, {
    name: 'dealsByStudioId',
    parentColumn: 'dp.studio_id',
    source: ({ kind, filter }, params, _parent, fields) => ({
      select: `${dealColumns('d', fields)}, dp.role AS "_role"`,
      from: 'deal_party dp JOIN deal d ON d.id = dp.deal_id',
      where: [...(kind ? [`d.kind = ${params.add(kind, 'deal_kind')}`] : []), ...dealConditions(filter, params)],
    }),
    order: ({ orderBy }) => dealListOrder(orderBy),
  });
}

@Resolver(() => Studio)
export class StudioDealsResolver {
  @FieldResolver(() => StudioDealConnection, { description: 'Deals this studio is party to, latest first unless `orderBy` says otherwise; `filter` as in the root `deals` list; each edge carries its role.' })
  deals(@Root() studio: Studio, @Args() args: StudioDealsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.dealsByStudioId.connection(studio.rowId, { kind: args.kind ?? null, filter: args.filter ?? null, orderBy: args.orderBy ?? null }, args, (row) => ({
      node: Deal.fromRow(row),
      role: row._role as DealPartyRole,
    }), info);
  }
}
