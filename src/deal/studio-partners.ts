import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { STUDIOS_BY_NAME, Studio, studioColumns } from '../studio/studio.type';
import { DealKind } from './deal.enums';
import { Deal } from './deal.type';

// Studio.partners: the other studios a studio shares deals with, derived from the deal_party link
// (which deals own), not stored. Resolved, batched, typed and paginated here.

@ArgsType()
export class StudioPartnersArgs extends PageArgs {
  @Field(() => [DealKind], { nullable: true, description: 'Count only deals of these kinds (all kinds when not given).' })
  kinds?: DealKind[] | null;
}

@ObjectType('StudioPartnerEdge', {
  description: 'Another studio that shares at least one deal with this one, with the deals they share.',
  simpleResolvers: true,
})
export class StudioPartnerEdge extends EdgeType(Studio) {
  @Field(() => [Deal], { description: 'The deals both studios are party to, latest first.', simple: false })
  deals!: Deal[];
}

@ObjectType('StudioPartnerConnection', { description: "A page of a studio's partners.", simpleResolvers: true })
export class StudioPartnerConnection extends ConnectionType(StudioPartnerEdge, Studio) {}

/**
 * A page of each studio's partners per level of the query, in one statement: the other parties of
 * its deals, one row per partner with the shared deals' ids. The GROUP BY subquery is filtered on its
 * grouping column, which PostgreSQL pushes down into it, so each parent only aggregates its own deals.
 * The ids are not ordered here (that took a join with every deal, 10 ms against 3.5 for the hub
 * studio's 569 partners): the edge orders the few deals it loads. `deal` is joined only to filter by kind.
 */
export function partnersByStudioId(db: Queryable) {
  return new RelationLoader<{ kinds: string[] | null }>(db, {
    name: 'partnersByStudioId',
    parentColumn: 'pp.studio_id',
    source: ({ kinds }, params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, pp.deal_ids AS "_deal_ids"`,
      from: `(SELECT a.studio_id, b.studio_id AS partner_id, array_agg(a.deal_id) AS deal_ids
                FROM deal_party a
                JOIN deal_party b ON b.deal_id = a.deal_id AND b.studio_id <> a.studio_id${
                  kinds && kinds.length ? `
                JOIN deal d ON d.id = a.deal_id AND d.kind = ANY(${params.add(kinds, 'deal_kind[]')})` : ''
                }
               GROUP BY a.studio_id, b.studio_id) pp
             JOIN studio s ON s.id = pp.partner_id`,
      where: [],
    }),
    order: () => STUDIOS_BY_NAME,
  });
}

@Resolver(() => Studio)
export class StudioPartnersResolver {
  @FieldResolver(() => StudioPartnerConnection, {
    description:
      'The other studios that share at least one deal with this one, by name; each edge carries the shared deals. Derived from deal parties, not stored.',
  })
  partners(@Root() studio: Studio, @Args() args: StudioPartnersArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    const kinds = args.kinds && args.kinds.length ? [...args.kinds].sort() : null;
    return loaders.partnersByStudioId.connection(studio.rowId, { kinds }, args, (row) => ({
      node: Studio.fromRow(row),
      // A getter: loaded only when `deals` is selected, and read as a property by any executor.
      get deals() {
        return loaders.dealById.loadMany(row._deal_ids as number[]).then((ds) => ds.filter((d): d is Deal => d instanceof Deal).sort(latestFirst));
      },
    }), info);
  }
}

/** Deals latest first (undated last), then by id, newest first: the order of a partner edge's deals. */
function latestFirst(a: Deal, b: Deal): number {
  if (a.announcedOn !== b.announcedOn) {
    if (a.announcedOn === null) return 1;
    if (b.announcedOn === null) return -1;
    return a.announcedOn < b.announcedOn ? 1 : -1;
  }
  return b.rowId - a.rowId;
}
