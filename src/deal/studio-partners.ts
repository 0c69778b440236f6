import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ConnectionType, EdgeType, PageArgs, RelationLoader, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { Studio, studioColumns } from '../studio/studio.type';
import { DealKind } from './deal.enums';
import { Deal } from './deal.type';

// Studio.partners: the other studios a studio shares deals with, derived from the deal_party link
// (which deals own) by the database into studio_partner. Resolved, batched, typed and paginated here.

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

/** A studio's partners by name: the copies in `studio_partner` (same key names and values as the studio's own, so cursors are alike). */
const PARTNERS_BY_NAME: SortKey[] = [
  { name: 'NAME', sql: 'pp.partner_name', type: 'text' },
  { name: 'ID', sql: 'pp.partner_id', type: 'int' },
];

/**
 * A page of each studio's partners per level of the query, in one statement, from `studio_partner`
 * (one row per studio, partner and shared deal, kept by the database: migration StudioPartners).
 * Grouped by partner in the order of its index, so PostgreSQL reads the rows of the partners on the
 * page and stops: the parent condition and the cursor's bound are on grouping columns and pushed into
 * the subquery. The deal ids are not ordered here: the edge orders the few deals it loads.
 */
export function partnersByStudioId(db: Queryable) {
  return new RelationLoader<{ kinds: string[] | null }>(db, {
    name: 'partnersByStudioId',
    parentColumn: 'pp.studio_id',
    source: ({ kinds }, params, _parent, fields) => ({
      select: `${studioColumns('s', fields)}, pp.deal_ids AS "_deal_ids"`,
      from: `(SELECT sp.studio_id, sp.partner_name, sp.partner_id, array_agg(sp.deal_id) AS deal_ids
                FROM studio_partner sp${kinds && kinds.length ? `
               WHERE sp.deal_kind = ANY(${params.add(kinds, 'deal_kind[]')})` : ''}
               GROUP BY sp.studio_id, sp.partner_name, sp.partner_id) pp
             JOIN studio s ON s.id = pp.partner_id`,
      where: [],
    }),
    order: () => PARTNERS_BY_NAME,
  });
}

@Resolver(() => Studio)
export class StudioPartnersResolver {
  @FieldResolver(() => StudioPartnerConnection, {
    description:
      'The other studios that share at least one deal with this one, by name; each edge carries the shared deals. Derived from deal parties (kept with them by the database).',
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
