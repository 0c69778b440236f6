import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../graphql/connection';
import { MoneyInput } from '../graphql/money';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { COMBINATORS, DateRangeFilter, DecimalRangeFilter, EnumFilter, IntRangeFilter, OrderDirection, SlugFilter, StringFilter, TextFilter } from '../graphql/filters';
import { StudioKindFilter } from '../studio/studio.inputs';
import { DatePrecision, DealKind, DealPartyRole, DealStatus } from './deal.enums';

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

@InputType('DealPartyInput', { description: 'A studio taking part in a deal.' })
export class DealPartyInput {
  @Field({ description: 'The studio: its slug or ID.' })
  studio!: string;

  @Field(() => DealPartyRole, { description: 'Its role in the deal.' })
  role!: DealPartyRole;
}

@InputType('SourceInput', { description: 'A published report of the deal. The same publisher and title make the same source.' })
export class SourceInput {
  @Field({ description: 'Publisher, such as "CapitalWatch".' })
  publisher!: string;

  @Field({ description: 'Headline.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Byline.' })
  author?: string | null;

  @Field(() => String, { nullable: true, description: 'Web address (http or https).' })
  url?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Publication date.' })
  publishedOn?: string | null;
}

@InputType('CreateDealInput', { description: 'A new deal, with its parties, films and sources: written together or not at all.' })
export class CreateDealInput {
  @Field(() => DealKind, { description: 'The nature of the deal.' })
  kind!: DealKind;

  @Field({ description: 'Headline of the deal.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the title.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'What the deal is about.' })
  summary?: string | null;

  @Field(() => DealStatus, { defaultValue: DealStatus.ANNOUNCED, description: 'How far the deal has gone (ANNOUNCED by default).' })
  status!: DealStatus;

  @Field(() => DateScalar, { nullable: true, description: 'When it was announced: the first day of its period when only the month or year is known.' })
  announcedOn?: string | null;

  @Field(() => DatePrecision, { nullable: true, description: 'How precisely announcedOn is known (required with it).' })
  announcedOnPrecision?: DatePrecision | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Value as reported, in its currency.' })
  value?: MoneyInput | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Value in US dollars as reported.' })
  valueUsd?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'For equity stakes and acquisitions: the percentage acquired, 0 to 100.' })
  stakePercent?: string | null;

  @Field(() => [DealPartyInput], { description: 'The studios taking part, each once.' })
  parties!: DealPartyInput[];

  @Field(() => [String], { nullable: true, description: 'The films the deal covers: slugs or IDs.' })
  films?: string[] | null;

  @Field(() => [SourceInput], { nullable: true, description: 'Where the deal was reported.' })
  sources?: SourceInput[] | null;
}

@InputType('UpdateDealInput', { description: 'Changes to a deal: fields left out stay as they are; null clears an optional field; a list given replaces the old one.' })
export class UpdateDealInput {
  @Field(() => DealKind, { nullable: true, description: 'New kind.' })
  kind?: DealKind | null;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'Summary; null clears it.' })
  summary?: string | null;

  @Field(() => DealStatus, { nullable: true, description: 'New status.' })
  status?: DealStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Announcement date; null clears it (and its precision).' })
  announcedOn?: string | null;

  @Field(() => DatePrecision, { nullable: true, description: 'Precision of announcedOn.' })
  announcedOnPrecision?: DatePrecision | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Value as reported; null clears it.' })
  value?: MoneyInput | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Value in US dollars; null clears it.' })
  valueUsd?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Stake in percent; null clears it.' })
  stakePercent?: string | null;

  @Field(() => [DealPartyInput], { nullable: true, description: 'Replaces the parties.' })
  parties?: DealPartyInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the films covered.' })
  films?: string[] | null;

  @Field(() => [SourceInput], { nullable: true, description: 'Replaces the sources.' })
  sources?: SourceInput[] | null;
}
