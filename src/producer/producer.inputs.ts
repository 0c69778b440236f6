import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { ProducerCreditRole } from '../film/film.enums';
import { PageArgs } from '../graphql/connection';
import { COMBINATORS, EnumFilter, OrderDirection, SlugFilter, TextFilter } from '../graphql/filters';
import { ProducerKind } from './producer.enums';

export const ProducerKindFilter = EnumFilter(ProducerKind, 'ProducerKind');

@InputType('ProducerFilter', { description: 'Conditions on producers; all given conditions must hold.' })
export class ProducerFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => TextFilter, { nullable: true, description: 'By name.' })
  name?: TextFilter | null;

  @Field(() => ProducerKindFilter, { nullable: true, description: 'Persons or companies.' })
  kind?: InstanceType<typeof ProducerKindFilter> | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Producers affiliated with the studios with these slugs.' })
  studio?: SlugFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Producers credited (in any role) on the films with these slugs.' })
  film?: SlugFilter | null;

  @Field(() => [ProducerFilter], { nullable: true, description: COMBINATORS.and })
  and?: ProducerFilter[] | null;

  @Field(() => [ProducerFilter], { nullable: true, description: COMBINATORS.or })
  or?: ProducerFilter[] | null;

  @Field(() => ProducerFilter, { nullable: true, description: COMBINATORS.not })
  not?: ProducerFilter | null;
}

export enum ProducerOrderField {
  RELEVANCE = 'RELEVANCE',
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(ProducerOrderField, {
  name: 'ProducerOrderField',
  description: 'Fields producers can be ordered by.',
  valuesConfig: {
    RELEVANCE: { description: 'How well the name matches the `search` argument (only with a search; the default order then).' },
    NAME: { description: 'Name, alphabetically.' },
    CREATED_AT: { description: 'When the record was added to the catalogue.' },
  },
});

@InputType('ProducerOrder', { description: 'One key of an ordering of producers.' })
export class ProducerOrder {
  @Field(() => ProducerOrderField, { description: 'The field to order by.' })
  field!: ProducerOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC, description: 'The direction (ascending by default).' })
  direction!: OrderDirection;
}

@ArgsType()
export class ProducersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Fuzzy search on the name: typo-tolerant, ignoring case and accents. Results are ranked by relevance unless orderBy is given.' })
  search?: string | null;

  @Field(() => ProducerFilter, { nullable: true, description: 'Conditions the producers must meet.' })
  filter?: ProducerFilter | null;

  @Field(() => [ProducerOrder], {
    nullable: true,
    description: 'Ordering, key after key (by name when not given); ties are always broken by ID.',
  })
  orderBy?: ProducerOrder[] | null;
}

@InputType('AffiliationInput', { description: 'A producer\'s affiliation with a studio.' })
export class AffiliationInput {
  @Field({ description: 'The studio: its slug or ID.' })
  studio!: string;

  @Field(() => String, { nullable: true, description: 'The producer\'s position there, such as "Co-founder".' })
  title?: string | null;
}

@InputType('CreateProducerInput', { description: 'A new producer.' })
export class CreateProducerInput {
  @Field({ description: 'Name, such as "Robert Zemeckis".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the name.' })
  slug?: string | null;

  @Field(() => ProducerKind, { defaultValue: ProducerKind.PERSON, description: 'A person (default) or a company.' })
  kind!: ProducerKind;

  @Field(() => String, { nullable: true, description: 'Short biography.' })
  bio?: string | null;

  @Field(() => [AffiliationInput], { nullable: true, description: 'Studios the producer is affiliated with.' })
  affiliations?: AffiliationInput[] | null;
}

@InputType('UpdateProducerInput', { description: 'Changes to a producer: fields left out stay as they are; null clears an optional field.' })
export class UpdateProducerInput {
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => ProducerKind, { nullable: true, description: 'Person or company.' })
  kind?: ProducerKind | null;

  @Field(() => String, { nullable: true, description: 'Biography; null clears it.' })
  bio?: string | null;

  @Field(() => [AffiliationInput], { nullable: true, description: 'Replaces all affiliations when given ([] removes them all).' })
  affiliations?: AffiliationInput[] | null;
}
