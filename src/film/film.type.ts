import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ColumnMap, type Selection } from '../graphql/columns';
import { ConnectionType, EdgeType, type SortKey } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { Money } from '../graphql/money';
import { Node } from '../graphql/node';
import { DateScalar, DateTimeScalar } from '../graphql/scalars';
import { FilmStatus } from './film.enums';

/** The columns of each field (`[]`: the id suffices, as for relations, which loaders fetch by id). */
export const FILM_COLUMNS = new ColumnMap(
  ['id', 'slug', 'title', 'status', 'release_date', 'genres', 'logline', 'budget_amount', 'budget_currency', 'worldwide_gross_amount', 'worldwide_gross_currency', 'version', 'created_at', 'updated_at'],
  {
    id: [],
    slug: ['slug'],
    title: ['title'],
    status: ['status'],
    releaseDate: ['release_date'],
    genres: ['genres'],
    logline: ['logline'],
    budget: ['budget_amount', 'budget_currency'],
    worldwideGross: ['worldwide_gross_amount', 'worldwide_gross_currency'],
    version: ['version'],
    createdAt: ['created_at'],
    updatedAt: ['updated_at'],
    studios: [],
    producers: [],
    deals: [],
  },
);

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

  @Field(() => Int, {
    description: 'Version of this record, incremented by every change. Pass it as `expectedVersion` when updating or deleting: a stale version gets CONFLICT.',
  })
  version!: number;

  @Field(() => DateTimeScalar, { description: 'When this record was created in the catalogue.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When this record was last changed in the catalogue.' })
  updatedAt!: Date;

  static fromRow(row: Record<string, unknown>): Film {
    const f = new Film();
    f.rowId = row.id as number;
    f.slug = row.slug as string;
    f.title = row.title as string;
    f.status = row.status as FilmStatus;
    f.releaseDate = row.release_date as string | null;
    f.genres = row.genres as string[];
    f.logline = row.logline as string | null;
    f.budget = Money.of(row.budget_amount, row.budget_currency);
    f.worldwideGross = Money.of(row.worldwide_gross_amount, row.worldwide_gross_currency);
    f.version = row.version as number;
    f.createdAt = row.created_at as Date;
    f.updatedAt = row.updated_at as Date;
    return f;
  }
}

@ObjectType('FilmEdge', { description: 'A film in a list, with its cursor.', simpleResolvers: true })
export class FilmEdge extends EdgeType(Film) {}

@ObjectType('FilmConnection', { description: 'A page of films.', simpleResolvers: true })
export class FilmConnection extends ConnectionType(FilmEdge, Film) {}
