import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../graphql/connection';
import { MoneyInput } from '../graphql/money';
import { DateScalar } from '../graphql/scalars';
import { COMBINATORS, DateRangeFilter, DecimalRangeFilter, EnumFilter, FloatRangeFilter, IntRangeFilter, OrderDirection, SlugFilter, StringFilter, TextFilter } from '../graphql/filters';
import { FilmStatus, MpaaRating, ProducerCreditRole, StudioCreditRole } from './film.enums';

export const FilmStatusFilter = EnumFilter(FilmStatus, 'FilmStatus');
export const MpaaRatingFilter = EnumFilter(MpaaRating, 'MpaaRating');

@InputType('FilmFilter', { description: 'Conditions on films; all given conditions must hold.' })
export class FilmFilter {
  @Field(() => SlugFilter, { nullable: true, description: 'By slug.' })
  slug?: SlugFilter | null;

  @Field(() => TextFilter, { nullable: true, description: 'By title.' })
  title?: TextFilter | null;

  @Field(() => FilmStatusFilter, { nullable: true, description: 'By status.' })
  status?: InstanceType<typeof FilmStatusFilter> | null;

  @Field(() => DateRangeFilter, { nullable: true, description: 'By release date (films without one never match a range).' })
  releaseDate?: DateRangeFilter | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By year of release.' })
  releaseYear?: IntRangeFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'Films with this genre (eq), any of these (in), not this one (neq) or none of these (notIn), a genre starting so (startsWith), or without genres (isNull).' })
  genre?: StringFilter | null;

  @Field(() => DecimalRangeFilter, { nullable: true, description: 'By production budget in US dollars (films whose budget is reported in another currency never match).' })
  budgetUsd?: DecimalRangeFilter | null;

  @Field(() => DecimalRangeFilter, {
    nullable: true,
    description: 'By worldwide gross in US dollars (films whose gross is reported in another currency never match).',
  })
  worldwideGrossUsd?: DecimalRangeFilter | null;

  @Field(() => DecimalRangeFilter, { nullable: true, description: 'By US box-office gross in US dollars (films without one never match).' })
  usGrossUsd?: DecimalRangeFilter | null;

  @Field(() => DecimalRangeFilter, { nullable: true, description: 'By US DVD sales in US dollars (films without them never match).' })
  usDvdSalesUsd?: DecimalRangeFilter | null;

  @Field(() => MpaaRatingFilter, { nullable: true, description: 'By MPAA rating.' })
  mpaaRating?: InstanceType<typeof MpaaRatingFilter> | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By running time in minutes.' })
  runningTimeMinutes?: IntRangeFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'By source material, as the catalogue writes it ("Based on Book/Short Story", ...).' })
  sourceMaterial?: StringFilter | null;

  @Field(() => StringFilter, { nullable: true, description: 'By creative type, as the catalogue writes it ("Science Fiction", ...).' })
  creativeType?: StringFilter | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By Rotten Tomatoes rating, 0 to 100.' })
  rottenTomatoesRating?: IntRangeFilter | null;

  @Field(() => FloatRangeFilter, { nullable: true, description: 'By IMDb rating, 1 to 10.' })
  imdbRating?: FloatRangeFilter | null;

  @Field(() => IntRangeFilter, { nullable: true, description: 'By number of IMDb votes.' })
  imdbVotes?: IntRangeFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Films credited to the studios with these slugs, in any role.' })
  studio?: SlugFilter | null;

  @Field(() => StudioCreditRole, {
    nullable: true,
    description: 'With `studio`: only credits in this role (films a studio distributed, for example).',
  })
  studioRole?: StudioCreditRole | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Films credited to the producers with these slugs, in any role.' })
  producer?: SlugFilter | null;

  @Field(() => SlugFilter, { nullable: true, description: 'Films covered by the deals with these slugs.' })
  deal?: SlugFilter | null;

  @Field(() => [FilmFilter], { nullable: true, description: COMBINATORS.and })
  and?: FilmFilter[] | null;

  @Field(() => [FilmFilter], { nullable: true, description: COMBINATORS.or })
  or?: FilmFilter[] | null;

  @Field(() => FilmFilter, { nullable: true, description: COMBINATORS.not })
  not?: FilmFilter | null;
}

export enum FilmOrderField {
  RELEVANCE = 'RELEVANCE',
  TITLE = 'TITLE',
  RELEASE_DATE = 'RELEASE_DATE',
  BUDGET_USD = 'BUDGET_USD',
  WORLDWIDE_GROSS_USD = 'WORLDWIDE_GROSS_USD',
  US_GROSS_USD = 'US_GROSS_USD',
  US_DVD_SALES_USD = 'US_DVD_SALES_USD',
  RUNNING_TIME = 'RUNNING_TIME',
  ROTTEN_TOMATOES_RATING = 'ROTTEN_TOMATOES_RATING',
  IMDB_RATING = 'IMDB_RATING',
  IMDB_VOTES = 'IMDB_VOTES',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(FilmOrderField, {
  name: 'FilmOrderField',
  description: 'Fields films can be ordered by.',
  valuesConfig: {
    RELEVANCE: { description: 'How well the title matches the `search` argument (only with a search; the default order then).' },
    TITLE: { description: 'Title, alphabetically.' },
    RELEASE_DATE: { description: 'Release date (unknown dates last).' },
    BUDGET_USD: { description: 'Budget in US dollars (unknown or non-USD budgets last).' },
    WORLDWIDE_GROSS_USD: { description: 'Worldwide gross in US dollars (unknown or non-USD grosses last).' },
    US_GROSS_USD: { description: 'US box-office gross (unknown last).' },
    US_DVD_SALES_USD: { description: 'US DVD sales (unknown last).' },
    RUNNING_TIME: { description: 'Running time (unknown last).' },
    ROTTEN_TOMATOES_RATING: { description: 'Rotten Tomatoes rating (unknown last).' },
    IMDB_RATING: { description: 'IMDb rating (unknown last).' },
    IMDB_VOTES: { description: 'Number of IMDb votes, a measure of popularity (unknown last).' },
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
  @Field(() => String, { nullable: true, description: 'Fuzzy search on the title: typo-tolerant, ignoring case and accents. Results are ranked by relevance unless orderBy is given.' })
  search?: string | null;

  @Field(() => FilmFilter, { nullable: true, description: 'Conditions the films must meet.' })
  filter?: FilmFilter | null;

  @Field(() => [FilmOrder], {
    nullable: true,
    description: 'Ordering, key after key (by title when not given); ties are always broken by ID.',
  })
  orderBy?: FilmOrder[] | null;
}

/** The arguments every list of a studio's or producer's film credits shares with the root `films`. */
@ArgsType()
export class FilmCreditsArgs extends PageArgs {
  @Field(() => FilmFilter, { nullable: true, description: 'Conditions the films must meet, as in the root `films` list.' })
  filter?: FilmFilter | null;

  @Field(() => [FilmOrder], {
    nullable: true,
    description: 'Ordering, key after key, as in the root `films` list (latest release first when not given); ties are broken by ID, then role.',
  })
  orderBy?: FilmOrder[] | null;
}

@InputType('StudioCreditInput', { description: 'A studio credited on a film.' })
export class StudioCreditInput {
  @Field({ description: 'The studio: its slug or ID.' })
  studio!: string;

  @Field(() => StudioCreditRole, { description: 'What the studio did on the film.' })
  role!: StudioCreditRole;
}

@InputType('ProducerCreditInput', { description: 'A producer credited on a film.' })
export class ProducerCreditInput {
  @Field({ description: 'The producer: its slug or ID.' })
  producer!: string;

  @Field(() => ProducerCreditRole, { description: 'What the producer did on the film.' })
  role!: ProducerCreditRole;
}

@InputType('CreateFilmInput', { description: 'A new film, with its credits.' })
export class CreateFilmInput {
  @Field({ description: 'Title. A title made of digits ("1776") is still a title.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Slug; by default the lower-case kebab-case of the title.' })
  slug?: string | null;

  @Field(() => FilmStatus, { description: 'Where the film stands.' })
  status!: FilmStatus;

  @Field(() => DateScalar, { nullable: true, description: 'First release date.' })
  releaseDate?: string | null;

  @Field(() => [String], { nullable: true, description: 'Genres, such as ["Action", "Thriller"].' })
  genres?: string[] | null;

  @Field(() => String, { nullable: true, description: 'One- or two-sentence summary of the story.' })
  logline?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Production budget.' })
  budget?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Worldwide box-office gross.' })
  worldwideGross?: MoneyInput | null;

  @Field(() => [StudioCreditInput], { nullable: true, description: 'Studios credited on the film.' })
  studios?: StudioCreditInput[] | null;

  @Field(() => [ProducerCreditInput], { nullable: true, description: 'Producers credited on the film.' })
  producers?: ProducerCreditInput[] | null;
}

@InputType('UpdateFilmInput', { description: 'Changes to a film: fields left out stay as they are; null clears an optional field.' })
export class UpdateFilmInput {
  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New slug.' })
  slug?: string | null;

  @Field(() => FilmStatus, { nullable: true, description: 'New status.' })
  status?: FilmStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'Release date; null clears it.' })
  releaseDate?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the genres ([] or null: none).' })
  genres?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Logline; null clears it.' })
  logline?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Budget; null clears it.' })
  budget?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: 'Worldwide gross; null clears it.' })
  worldwideGross?: MoneyInput | null;

  @Field(() => [StudioCreditInput], { nullable: true, description: 'Replaces all studio credits when given.' })
  studios?: StudioCreditInput[] | null;

  @Field(() => [ProducerCreditInput], { nullable: true, description: 'Replaces all producer credits when given.' })
  producers?: ProducerCreditInput[] | null;
}
