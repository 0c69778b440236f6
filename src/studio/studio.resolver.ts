import { Args, Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { StudioDealConnection, StudioPartnerConnection } from '../deal/deal-relations.types';
import { Deal } from '../deal/deal.type';
import type { DealPartyRole } from '../deal/deal.enums';
import { StudioFilmConnection } from '../film/credit.types';
import type { StudioCreditRole } from '../film/film.enums';
import { Film } from '../film/film.type';
import { PageArgs, rootConnection } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { findByIdOrSlug } from '../graphql/lookup';
import { StudioProducerConnection } from '../producer/affiliation.types';
import { Producer } from '../producer/producer.type';
import { StudiosArgs, StudioDealsArgs, StudioFilmsArgs, StudioPartnersArgs } from './studio.inputs';
import { studioListOrder, studioListSource } from './studio.loaders';
import { Studio, StudioConnection } from './studio.type';

@Resolver(() => Studio)
export class StudioResolver {
  @Query(() => Studio, { nullable: true, description: 'One studio, by ID or by slug (give exactly one); null when there is none.' })
  studio(
    @Arg('id', () => ID, { nullable: true, description: 'Global ID of the studio.' }) id: string | null,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the studio, such as "alibaba-pictures".' }) slug: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<Studio | null> {
    return findByIdOrSlug('Studio', id, slug, loaders.studioById, loaders.studioBySlug);
  }

  @Query(() => StudioConnection, { description: 'Studios, searched, filtered, ordered and paginated.' })
  studios(@Args() args: StudiosArgs, @Ctx() { db }: Context) {
    return rootConnection(db, (params) => studioListSource(params, args.search, args.filter), studioListOrder(args.orderBy, args.search), args, (row, cursor) => ({
      cursor,
      node: Studio.fromRow(row),
    }));
  }

  @FieldResolver(() => Studio, { nullable: true, description: 'The company this one belongs to (Alibaba Group for Alibaba Pictures); null when none.' })
  parent(@Root() studio: Studio, @Ctx() { loaders }: Context): Promise<Studio | null> | null {
    return studio.parentRowId === null ? null : loaders.studioById.load(studio.parentRowId);
  }

  @FieldResolver(() => StudioConnection, { description: 'Companies owned by this one, by name.' })
  subsidiaries(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context) {
    return loaders.subsidiariesByStudioId.connection(studio.rowId, {}, page, (row, cursor) => ({ cursor, node: Studio.fromRow(row) }));
  }

  @FieldResolver(() => StudioFilmConnection, {
    description: 'Films credited to this studio, latest release first (undated films last); each edge carries the role.',
  })
  films(@Root() studio: Studio, @Args() args: StudioFilmsArgs, @Ctx() { loaders }: Context) {
    return loaders.filmsByStudioId.connection(studio.rowId, { role: args.role ?? null }, args, (row, cursor) => ({
      cursor,
      node: Film.fromRow(row),
      role: row._role as StudioCreditRole,
    }));
  }

  @FieldResolver(() => StudioProducerConnection, { description: 'Producers affiliated with this studio, by name.' })
  producers(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context) {
    return loaders.producersByStudioId.connection(studio.rowId, {}, page, (row, cursor) => ({
      cursor,
      node: Producer.fromRow(row),
      title: row._title as string | null,
    }));
  }

  @FieldResolver(() => StudioDealConnection, { description: 'Deals this studio is party to, latest first; each edge carries its role.' })
  deals(@Root() studio: Studio, @Args() args: StudioDealsArgs, @Ctx() { loaders }: Context) {
    return loaders.dealsByStudioId.connection(studio.rowId, { kind: args.kind ?? null }, args, (row, cursor) => ({
      cursor,
      node: Deal.fromRow(row),
      role: row._role as DealPartyRole,
    }));
  }

  @FieldResolver(() => StudioPartnerConnection, {
    description:
      'The other studios that share at least one deal with this one, by name; each edge carries the shared deals. Derived from deal parties, not stored.',
  })
  partners(@Root() studio: Studio, @Args() args: StudioPartnersArgs, @Ctx() { loaders }: Context) {
    const kinds = args.kinds && args.kinds.length ? [...args.kinds].sort() : null;
    return loaders.partnersByStudioId.connection(studio.rowId, { kinds }, args, (row, cursor) => ({
      cursor,
      node: Studio.fromRow(row),
      deals: async () => (await loaders.dealById.loadMany(row._deal_ids as number[])).filter((d): d is Deal => d instanceof Deal),
    }));
  }
}
