import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../graphql/connection';
import { COMBINATORS, DateRangeFilter, DecimalRangeFilter, EnumFilter, IntRangeFilter, OrderDirection, SlugFilter, StringFilter, TextFilter } from '../graphql/filters';
import { StudioKindFilter } from '../studio/studio.inputs';
import { DealKind, DealPartyRole, DealStatus } from './deal.enums';

export const DealKindFilter = EnumFilter(DealKind, 'DealKind');
export const DealStatusFilter = EnumFilter(DealStatus, 'DealStatus');
export const DealPartyRoleFilter = EnumFilter(DealPartyRole, 'DealPartyRole');

@InputType('DealPartyFilter', { description: 'Conditions on one party of a deal; a deal matches when one of its parties meets all of them.' })
export class DealPartyFilter {
  @Field(() => SlugFilter, { nullable: true, description: "By the party's slug." })
  studio?: SlugFilter | null;

  @Field(() => StudioKindFilter, { nullable: true, description: 'By the kind of company the party is.' })
  kind?: InstanceType<typeof StudioKindFilter> | null;

  @Field(() => DealPartyRoleFilter, { nullable: true, description: 'By the role the party plays in the deal.' })
  role?: InstanceType<typeof DealPartyRoleFilter> | null;

  @Field(() => StringFilter, { nullable: true, description: "By the party's country (ISO 3166-1 alpha-2 code, such as \"CN\")." })
  country?: StringFilter | null;
}

@InputType('DealFilter', { description: 'Conditions on deals; all given conditions must hold.' })
export class DealFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => TextFilter, { nullable: true, description: 'By title.' })
  title?: TextFilter | null;

  @Field(() => DealKindFilter, { nullable: true, description: 'By kind of deal.' })
  kind?: InstanceType<typeof DealKindFilter> | null;

  @Field(() => DealStatusFilter, { nullable: true, description: 'By status.' })
  status?: InstanceType<typeof DealStatusFilter> | null;

  @Field(() => DateRangeFilter, {
    nullable: true,
    description: 'By announcement date (the first day of its period; undated deals never match a range).',
  })
  announcedOn?: DateRangeFilter | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By year of announcement.' })
  announcedYear?: IntRangeFilter | null;

  @Field(() => DecimalRangeFilter, { nullable: true, description: 'By reported value in US dollars (deals without one never match).' })
  valueUsd?: DecimalRangeFilter | null;

  @Field(() => DecimalRangeFilter, { nullable: true, description: 'By stake in percent, 0 to 100 (deals without one never match).' })
  stakePercent?: DecimalRangeFilter | null;

  @Field(() => DealPartyFilter, { nullable: true, description: 'Deals with a party that meets all these conditions (a Chinese investor, for example).' })
  party?: DealPartyFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Deals with the studios of these slugs among their parties.' })
  studio?: SlugFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Deals covering the films of these slugs.' })
  film?: SlugFilter | null;

  @Field(() => [DealFilter], { nullable: true, description: COMBINATORS.and })
  and?: DealFilter[] | null;

  @Field(() => [DealFilter], { nullable: true, description: COMBINATORS.or })
  or?: DealFilter[] | null;

  @Field(() => DealFilter, { nullable: true, description: COMBINATORS.not })
  not?: DealFilter | null;
}

export enum DealOrderField {
  RELEVANCE = 'RELEVANCE',
  ANNOUNCED_ON = 'ANNOUNCED_ON',
  TITLE = 'TITLE',
  VALUE_USD = 'VALUE_USD',
  STAKE_PERCENT = 'STAKE_PERCENT',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(DealOrderField, {
  name: 'DealOrderField',
  description: 'Fields deals can be ordered by.',
  valuesConfig: {
    RELEVANCE: { description: 'How well the title matches the `search` argument (only with a search; the default order then).' },
    ANNOUNCED_ON: { description: 'Announcement date (undated deals last).' },
    TITLE: { description: 'Title, alphabetically.' },
    VALUE_USD: { description: 'Reported value in US dollars (undisclosed values last).' },
    STAKE_PERCENT: { description: 'Stake in percent (deals without one last).' },
    CREATED_AT: { description: 'When the record was added to the catalogue.' },
  },
});

@InputType('DealOrder', { description: 'One key of an ordering of deals.' })
export class DealOrder {
  @Field(() => DealOrderField, { description: 'The field to order by.' })
  field!: DealOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'The direction (ascending by default).' })
  direction!: OrderDirection;
}

@ArgsType()
export class DealsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Fuzzy search on the title: typo-tolerant, ignoring case and accents. Results are ranked by relevance unless orderBy is given.' })
  search?: string | null;

  @Field(() => DealFilter, { nullable: true, description: 'Conditions the deals must meet.' })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], {
    nullable: true,
    description: 'Ordering, key after key (latest announced first when not given); ties are always broken by ID.',
  })
  orderBy?: DealOrder[] | null;
}
