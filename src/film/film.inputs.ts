import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { DealKind } from '../deal/deal.enums';
import { PageArgs } from '../graphql/connection';
import { DateRangeFilter, EnumFilter, OrderDirection, SlugFilter, StringFilter } from '../graphql/filters';
import { FilmStatus, ProducerCreditRole, StudioCreditRole } from './film.enums';

export const FilmStatusFilter = EnumFilter(FilmStatus, 'FilmStatus');

@InputType('FilmFilter', { description: 'Conditions on films; all given conditions must hold.' })
export class FilmFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => FilmStatusFilter, { nullable: true, description: 'By status.' })
  status?: InstanceType<typeof FilmStatusFilter> | null;

  @Field(() => DateRangeFilter, { nullable: true, description: 'By release date (films without one never match a range).' })
  releaseDate?: DateRangeFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Films with this genre (eq), or with any of these genres (in).' })
  genre?: StringFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Films credited to the studios with these slugs, in any role.' })
  studio?: SlugFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Films credited to the producers with these slugs, in any role.' })
  producer?: SlugFilter | null;
}

export enum FilmOrderField {
  TITLE = 'TITLE',
  RELEASE_DATE = 'RELEASE_DATE',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(FilmOrderField, {
  name: 'FilmOrderField',
  description: 'Fields films can be ordered by.',
  valuesConfig: {
    TITLE: { description: 'Title, alphabetically.' },
    RELEASE_DATE: { description: 'Release date (unknown dates last).' },
    CREATED_AT: { description: 'When the record was added to the catalogue.' },
  },
});

@InputType('FilmOrder', { description: 'One key of an ordering of films.' })
export class FilmOrder {
  @Field(() => FilmOrderField, { description: 'The field to order by.' })
  field!: FilmOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'The direction (ascending by default).' })
  direction!: OrderDirection;
}

@ArgsType()
export class FilmsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive text that the title must contain.' })
  search?: string | null;

  @Field(() => FilmFilter, { nullable: true, description: 'Conditions the films must meet.' })
  filter?: FilmFilter | null;

  @Field(() => [FilmOrder], {
    nullable: true,
    description: 'Ordering, key after key (by title when not given); ties are always broken by ID.',
  })
  orderBy?: FilmOrder[] | null;
}

@ArgsType()
export class FilmStudiosArgs extends PageArgs {
  @Field(() => StudioCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: StudioCreditRole | null;
}

@ArgsType()
export class FilmProducersArgs extends PageArgs {
  @Field(() => ProducerCreditRole, { nullable: true, description: 'Only credits with this role.' })
  role?: ProducerCreditRole | null;
}

@ArgsType()
export class FilmDealsArgs extends PageArgs {
  @Field(() => DealKind, { nullable: true, description: 'Only deals of this kind.' })
  kind?: DealKind | null;
}
