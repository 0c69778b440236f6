import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
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
  studios(@Args() args: StudiosArgs, @Ctx() { db }: Context, @Info() info: GraphQLResolveInfo) {
    return rootConnection(db, (params, fields) => studioListSource(params, args.search, args.filter, fields), studioListOrder(args.orderBy, args.search), args, (row) => ({
      node: Studio.fromRow(row),
    }), info);
  }

  @FieldResolver(() => Studio, { nullable: true, description: 'The company this one belongs to (Alibaba Group for Alibaba Pictures); null when none.' })
  parent(@Root() studio: Studio, @Ctx() { loaders }: Context): Promise<Studio | null> | null {
    return studio.parentRowId === null ? null : loaders.studioById.load(studio.parentRowId);
  }

  @FieldResolver(() => StudioConnection, { description: 'Companies owned by this one, by name.' })
  subsidiaries(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.subsidiariesByStudioId.connection(studio.rowId, {}, page, (row) => ({ node: Studio.fromRow(row) }), info);
  }

  @FieldResolver(() => StudioFilmConnection, {
    description: 'Films credited to this studio, latest release first (undated films last); each edge carries the role.',
  })
  films(@Root() studio: Studio, @Args() args: StudioFilmsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.filmsByStudioId.connection(studio.rowId, { role: args.role ?? null }, args, (row) => ({
      node: Film.fromRow(row),
      role: row._role as StudioCreditRole,
    }), info);
  }

  @FieldResolver(() => StudioProducerConnection, { description: 'Producers affiliated with this studio, by name.' })
  producers(@Root() studio: Studio, @Args() page: PageArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.producersByStudioId.connection(studio.rowId, {}, page, (row) => ({
      node: Producer.fromRow(row),
      title: row._title as string | null,
    }), info);
  }

  @FieldResolver(() => StudioDealConnection, { description: 'Deals this studio is party to, latest first; each edge carries its role.' })
  deals(@Root() studio: Studio, @Args() args: StudioDealsArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    return loaders.dealsByStudioId.connection(studio.rowId, { kind: args.kind ?? null }, args, (row) => ({
      node: Deal.fromRow(row),
      role: row._role as DealPartyRole,
    }), info);
  }

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
