import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Table } from '../db/table';
import { ColumnMap, rowMapper, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Money } from '../graphql/money';
import { Node } from '../graphql/node';
import { DateScalar, DateTimeScalar } from '../graphql/scalars';
import { FilmEntity } from './film.entity';
import { FilmStatus, MpaaRating } from './film.enums';

/** The table, as its entity declares it. */
export const FILM_TABLE = new Table(FilmEntity);

/** The columns of each field: the entity's properties, and the fields that are not one. */
export const FILM_COLUMNS = ColumnMap.of(FILM_TABLE, {
  id: [],
  budget: ['budgetAmount', 'budgetCurrency'],
  worldwideGross: ['worldwideGrossAmount', 'worldwideGrossCurrency'],
  usGross: ['usGrossUsd'],
  usDvdSales: ['usDvdSalesUsd'],
});

/** Credits list a studio's or producer's films latest first, undated (upcoming) ones last. */
export const FILMS_LATEST_FIRST: SortKey[] = [
  { name: 'RELEASE_DATE', sql: 'f.release_date', type: 'date', desc: true, nullable: true },
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];

/** Films by title, as a deal lists them. */
export const FILMS_BY_TITLE: SortKey[] = [
  { name: 'TITLE', sql: 'f.title', type: 'text' },
  { name: 'ID', sql: 'f.id', type: 'int' },
];

/** The SELECT list of a table aliased `alias`: every column, or those of the selected fields. */
export const filmColumns = (alias: string, fields?: Selection) => FILM_COLUMNS.select(alias, fields);

@ObjectType('Film', {
  implements: Node,
  simpleResolvers: true,
  description: 'A film, announced, in the making or released, such as "Steel Soldiers".',
})
export class Film implements Node {
  /** Primary key in `film`; clients see the global `id`. */
  rowId!: number;

  @Field(() => ID, { description: 'Global, opaque identifier.' })
  get id(): string {
    return toGlobalId('Film', this.rowId);
  }

  @Field({ description: 'Unique, URL-safe name: the lower-case kebab-case of the title, such as "steel-soldiers".' })
  slug!: string;

  @Field({ description: 'Title, such as "Steel Soldiers". Titles may be numbers ("1776"): always a string.' })
  title!: string;

  @Field(() => FilmStatus, { description: 'Where the film stands, from announcement to release.' })
  status!: FilmStatus;

  @Field(() => DateScalar, { nullable: true, description: 'First release date; null when unknown or not yet released.' })
  releaseDate!: string | null;

  @Field(() => [String], { description: 'Genres, such as ["Action", "Thriller"]; empty when unknown.' })
  genres!: string[];

  @Field(() => String, { nullable: true, description: 'One- or two-sentence summary of the story; null when unknown.' })
  logline!: string | null;

  @Field(() => Money, { nullable: true, description: 'Production budget as reported, with its currency; null when unknown.' })
  budget!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Worldwide box-office gross as reported, with its currency; null when unknown.' })
  worldwideGross!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Box-office gross in the United States, in US dollars; null when unknown.' })
  usGross!: Money | null;

  @Field(() => Money, { nullable: true, description: 'DVD sales in the United States, in US dollars; null when unknown.' })
  usDvdSales!: Money | null;

  @Field(() => MpaaRating, { nullable: true, description: 'Rating by the MPAA, the US rating board; null when unknown.' })
  mpaaRating!: MpaaRating | null;

  @Field(() => Int, { nullable: true, description: 'Running time in minutes; null when unknown.' })
  runningTimeMinutes!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the film is based on, as the catalogue says it: "Original Screenplay", "Based on Book/Short Story", "Remake", "Based on Real Life Events", ...; null when unknown.',
  })
  sourceMaterial!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The kind of story, as the catalogue says it: "Contemporary Fiction", "Historical Fiction", "Science Fiction", "Fantasy", "Super Hero", ...; null when unknown.',
  })
  creativeType!: string | null;

  @Field(() => Int, { nullable: true, description: 'Rotten Tomatoes rating: the percentage of positive reviews, 0 to 100; null when unknown.' })
  rottenTomatoesRating!: number | null;

  @Field(() => Float, { nullable: true, description: 'IMDb user rating on a scale of 1 to 10, to one decimal; null when unknown.' })
  imdbRating!: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of IMDb users who rated the film; null when unknown.' })
  imdbVotes!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The release date exactly as the imported source wrote it, when the import had to repair it (a two-digit year read in the wrong century: see the import\'s rules); null when the source\'s date was used as it was.',
  })
  reportedReleaseDate!: string | null;

  @Field(() => Int, {
    description: 'Version of this record, incremented by every change. Pass it as `expectedVersion` when updating or deleting: a stale version gets CONFLICT.',
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: 'When this record was created in the catalogue.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When this record was last changed in the catalogue.' })
  updatedAt!: Date;

  /** A row of `film` as a Film. */
  static fromRow: (row: Record<string, unknown>) => Film;
}

Film.fromRow = rowMapper(FILM_TABLE, () => new Film(), {
  rename: { id: 'rowId' },
  // Money is an amount with its currency: two columns, one field.
  skip: ['budgetAmount', 'budgetCurrency', 'worldwideGrossAmount', 'worldwideGrossCurrency', 'usGrossUsd', 'usDvdSalesUsd', 'imdbRating'],
  then: (film, row) => {
    film.budget = Money.of(row.budget_amount, row.budget_currency);
    film.worldwideGross = Money.of(row.worldwide_gross_amount, row.worldwide_gross_currency);
    film.usGross = Money.of(row.us_gross_usd, row.us_gross_usd == null ? null : 'USD');
    film.usDvdSales = Money.of(row.us_dvd_sales_usd, row.us_dvd_sales_usd == null ? null : 'USD');
    // numeric(3,1) arrives as text: a rating is a number to the client.
    film.imdbRating = row.imdb_rating == null ? null : Number(row.imdb_rating);
  },
});

@ObjectType('FilmEdge', { description: 'A film in a list, with its cursor.', simpleResolvers: true })
export class FilmEdge extends EdgeType(Film) {}

@ObjectType('FilmConnection', { description: 'A page of films.', simpleResolvers: true })
export class FilmConnection extends ConnectionType(FilmEdge, Film) {}
