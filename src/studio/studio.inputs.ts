import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { PageArgs } from '../graphql/connection';
import { COMBINATORS, EnumFilter, IntRangeFilter, OrderDirection, SlugFilter, StringFilter, TextFilter } from '../graphql/filters';
import { StudioKind } from './studio.enums';

export const StudioKindFilter = EnumFilter(StudioKind, 'StudioKind');

@InputType('StudioFilter', { description: 'Conditions on studios; all given conditions must hold.' })
export class StudioFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => TextFilter, { nullable: true, description: 'By name.' })
  name?: TextFilter | null;

  @Field(() => StudioKindFilter, { nullable: true, description: 'By kind of company.' })
  kind?: InstanceType<typeof StudioKindFilter> | null;

  @Field(() => StringFilter, { nullable: true, description: 'By country (ISO 3166-1 alpha-2 code, such as "CN").' })
  country?: StringFilter | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By year founded.' })
  foundedYear?: IntRangeFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Subsidiaries of the studios with these slugs.' })
  parent?: SlugFilter | null;

  @Field(() => [StudioFilter], { nullable: true, description: COMBINATORS.and })
  and?: StudioFilter[] | null;

  @Field(() => [StudioFilter], { nullable: true, description: COMBINATORS.or })
  or?: StudioFilter[] | null;

  @Field(() => StudioFilter, { nullable: true, description: COMBINATORS.not })
  not?: StudioFilter | null;
}

export enum StudioOrderField {
  RELEVANCE = 'RELEVANCE',
  NAME = 'NAME',
  FOUNDED_YEAR = 'FOUNDED_YEAR',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(StudioOrderField, {
  name: 'StudioOrderField',
  description: 'Fields studios can be ordered by.',
  valuesConfig: {
    RELEVANCE: { description: 'How well the name matches the `search` argument (only with a search; the default order then).' },
    NAME: { description: 'Name, alphabetically.' },
    FOUNDED_YEAR: { description: 'Year founded (unknown years last).' },
    CREATED_AT: { description: 'When the record was added to the catalogue.' },
  },
});

@InputType('StudioOrder', { description: 'One key of an ordering of studios.' })
export class StudioOrder {
  @Field(() => StudioOrderField, { description: 'The field to order by.' })
  field!: StudioOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'The direction (ascending by default).' })
  direction!: OrderDirection;
}

@ArgsType()
export class StudiosArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Fuzzy search on the name: typo-tolerant, ignoring case and accents. Results are ranked by relevance unless orderBy is given.' })
  search?: string | null;

  @Field(() => StudioFilter, { nullable: true, description: 'Conditions the studios must meet.' })
  filter?: StudioFilter | null;

  @Field(() => [StudioOrder], {
    nullable: true,
    description: 'Ordering, key after key (by name when not given); ties are always broken by ID.',
  })
  orderBy?: StudioOrder[] | null;
}

@InputType('CreateStudioInput', { description: 'A new studio.' })
export class CreateStudioInput {
  @Field({ description: 'Name, such as "Alibaba Pictures".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the name.' })
  slug?: string | null;

  @Field(() => StudioKind, { description: 'What the company mainly does.' })
  kind!: StudioKind;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, such as "CN".' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Headquarters city.' })
  headquarters?: string | null;

  @Field(() => Int, { nullable: true, description: 'Year founded.' })
  foundedYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Stock listing as "EXCHANGE: TICKER", such as "NYSE: BABA".' })
  stockListing?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL (http or https).' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Short description.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The parent company: its slug or ID.' })
  parent?: string | null;
}

@InputType('UpdateStudioInput', { description: 'Changes to a studio: fields left out stay as they are; null clears an optional field.' })
export class UpdateStudioInput {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug (links using the old one stop working).' })
  slug?: string | null;

  @Field(() => StudioKind, { nullable: true, description: 'New kind.' })
  kind?: StudioKind | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code; null clears it.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'Headquarters city; null clears it.' })
  headquarters?: string | null;

  @Field(() => Int, { nullable: true, description: 'Year founded; null clears it.' })
  foundedYear?: number | null;

  @Field(() => String, { nullable: true, description: 'Stock listing; null clears it.' })
  stockListing?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL; null clears it.' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Description; null clears it.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'The parent company (slug or ID); null makes the studio independent.' })
  parent?: string | null;
}
