import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../graphql/connection';
import { DateRangeFilter, EnumFilter, OrderDirection, SlugFilter } from '../graphql/filters';
import { DealKind, DealStatus } from './deal.enums';

export const DealKindFilter = EnumFilter(DealKind, 'DealKind');
export const DealStatusFilter = EnumFilter(DealStatus, 'DealStatus');

@InputType('DealFilter', { description: 'Conditions on deals; all given conditions must hold.' })
export class DealFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => DealKindFilter, { nullable: true, description: 'By kind of deal.' })
  kind?: InstanceType<typeof DealKindFilter> | null;

  @Field(() => DealStatusFilter, { nullable: true, description: 'By status.' })
  status?: InstanceType<typeof DealStatusFilter> | null;

  @Field(() => DateRangeFilter, {
    nullable: true,
    description: 'By announcement date (the first day of its period; undated deals never match a range).',
  })
  announcedOn?: DateRangeFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Deals with the studios of these slugs among their parties.' })
  studio?: SlugFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Deals covering the films of these slugs.' })
  film?: SlugFilter | null;
}

export enum DealOrderField {
  ANNOUNCED_ON = 'ANNOUNCED_ON',
  TITLE = 'TITLE',
  VALUE_USD = 'VALUE_USD',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(DealOrderField, {
  name: 'DealOrderField',
  description: 'Fields deals can be ordered by.',
  valuesConfig: {
    ANNOUNCED_ON: { description: 'Announcement date (undated deals last).' },
    TITLE: { description: 'Title, alphabetically.' },
    VALUE_USD: { description: 'Reported value in US dollars (undisclosed values last).' },
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
  @Field(() => String, { nullable: true, description: 'Case-insensitive text that the title must contain.' })
  search?: string | null;

  @Field(() => DealFilter, { nullable: true, description: 'Conditions the deals must meet.' })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], {
    nullable: true,
    description: 'Ordering, key after key (latest announced first when not given); ties are always broken by ID.',
  })
  orderBy?: DealOrder[] | null;
}

@ArgsType()
export class DealFilmsArgs extends PageArgs {}
