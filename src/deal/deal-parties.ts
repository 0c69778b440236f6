import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import type { Queryable } from '../db/pool';
import { ListLoader, listPerParentSql } from '../graphql/batch';
import { childSelection } from '../graphql/columns';
import type { Context } from '../graphql/context';
import { Studio, studioColumns } from '../studio/studio.type';
import { DealPartyRole } from './deal.enums';
import { Deal } from './deal.type';

// Deal.parties: the studios taking part in a deal (the deal_party link, which deals own). A deal has
// a handful: the list is returned whole, not paginated, with each party's studio in the same
// statement (one level, one statement), reading only the studio columns the query selects.

@ObjectType('DealParty', { description: 'A studio taking part in a deal, with its role.', simpleResolvers: true })
export class DealParty {
  @Field(() => DealPartyRole, { description: 'The part the studio plays in the deal.' })
  role!: DealPartyRole;

  @Field(() => Studio, { description: 'The studio.' })
  studio!: Studio;

  static of(role: DealPartyRole, studio: Studio): DealParty {
    const party = new DealParty();
    party.role = role;
    party.studio = studio;
    return party;
  }
}

/** Each deal's parties with their studios, per level of the query, in one statement. */
export function partiesByDealId(db: Queryable) {
  return new ListLoader(
    'partiesByDealId',
    db,
    (fields) => listPerParentSql(`dp.role AS "_role", ${studioColumns('s', fields)}`, 'deal_party dp JOIN studio s ON s.id = dp.studio_id', 'dp.deal_id', 'dp.role, s.name, s.id'),
    (row) => DealParty.of(row._role as DealPartyRole, Studio.fromRow(row)),
  );
}

@Resolver(() => Deal)
export class DealPartiesResolver {
  @FieldResolver(() => [DealParty], { description: 'The studios taking part in the deal, each with its role; ordered by role (ACQUIRER, TARGET, INVESTOR, INVESTEE, PARTNER, ...), then by name.' })
  parties(@Root() deal: Deal, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo): Promise<DealParty[]> {
    return loaders.partiesByDealId.load(deal.rowId, childSelection(info, 'studio'));
  }
}
