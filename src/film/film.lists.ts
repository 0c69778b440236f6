import type { Selection } from '../graphql/columns';
import type { Queryable } from '../db/pool';
import { type ListSource, type Params, RelationLoader, type SortKey } from '../graphql/connection';
import { buildOrder, conditionsOf, type DecimalRangeFilter, likePrefix, OrderDirection, RELEVANCE_KEY, searchable, whereIn, whereRange, whereRelated, whereText, whereYears } from '../graphql/filters';
import type { Searched } from '../graphql/fuzzy';
import { FilmOrderField, type FilmFilter, type FilmOrder } from './film.inputs';
import { FILMS_LATEST_FIRST, filmColumns } from './film.type';

// The root `films` list and every nested list of films: filter conditions, orderings, search.

const usd = (amount: string, currency: string) => `CASE WHEN ${currency} = 'USD' THEN ${amount} END`;

const ORDERABLE = {
  [FilmOrderField.RELEVANCE]: RELEVANCE_KEY,
  [FilmOrderField.TITLE]: { sql: 'f.title', type: 'text' },
  [FilmOrderField.RELEASE_DATE]: { sql: 'f.release_date', type: 'date', nullable: true },
  [FilmOrderField.BUDGET_USD]: { sql: usd('f.budget_amount', 'f.budget_currency'), type: 'numeric', nullable: true },
  [FilmOrderField.WORLDWIDE_GROSS_USD]: { sql: usd('f.worldwide_gross_amount', 'f.worldwide_gross_currency'), type: 'numeric', nullable: true },
  [FilmOrderField.US_GROSS_USD]: { sql: 'f.us_gross_usd', type: 'numeric', nullable: true },
  [FilmOrderField.US_DVD_SALES_USD]: { sql: 'f.us_dvd_sales_usd', type: 'numeric', nullable: true },
  [FilmOrderField.RUNNING_TIME]: { sql: 'f.running_time_minutes', type: 'int', nullable: true },
  [FilmOrderField.ROTTEN_TOMATOES_RATING]: { sql: 'f.rotten_tomatoes_rating', type: 'int', nullable: true },
  [FilmOrderField.IMDB_RATING]: { sql: 'f.imdb_rating', type: 'numeric', nullable: true },
  [FilmOrderField.IMDB_VOTES]: { sql: 'f.imdb_votes', type: 'int', nullable: true },
  [FilmOrderField.CREATED_AT]: { sql: 'f.created_at', type: 'timestamptz' },
} as const;

/**
 * A range on an amount held with its currency, in USD: bounds match USD amounts only (no conversion;
 * the amount's index serves them), and so does an empty range (`{}`: any amount in USD);
 * `isNull: true` matches films whose amount in USD is unknown (none given, or given in another
 * currency), `isNull: false` those with one.
 */
function whereUsd(where: string[], params: Params, amount: string, currency: string, range: DecimalRangeFilter | null | undefined, argumentName: string): void {
  if (!range) return;
  const { isNull, ...bounds } = range;
  if (isNull !== true || Object.values(bounds).some((bound) => bound != null)) where.push(`${currency} = 'USD'`);
  whereRange(where, params, amount, bounds, argumentName, 'numeric');
  if (isNull === true) where.push(`(${amount} IS NULL OR ${currency} IS DISTINCT FROM 'USD')`);
  if (isNull === false) where.push(`${amount} IS NOT NULL`);
}

/** SQL conditions on `film f` for a FilmFilter, combinators included. */
export function filmConditions(filter: FilmFilter | null | undefined, params: Params, path = 'filter'): string[] {
  return conditionsOf(filter, path, (f, p) => {
    const where: string[] = [];
    whereIn(where, params, 'f.slug', f.slug, `${p}.slug`);
    whereText(where, params, 'f.title', f.title, `${p}.title`);
    whereIn(where, params, 'f.status', f.status, `${p}.status`, 'film_status');
    whereRange(where, params, 'f.release_date', f.releaseDate, `${p}.releaseDate`, 'date');
    whereYears(where, params, 'f.release_date', f.releaseYear, `${p}.releaseYear`);
    if (f.genre) {
      // A film's genres are a list: "is" means "has", "not" means "has none of".
      const g = f.genre;
      if (g.eq != null) where.push(`f.genres @> ARRAY[${params.add(g.eq, 'text')}]`);
      if (g.in != null) where.push(`f.genres && ${params.add(g.in, 'text[]')}`);
      if (g.neq != null) where.push(`f.genres <> '{}' AND NOT f.genres @> ARRAY[${params.add(g.neq, 'text')}]`);
      if (g.notIn != null) where.push(`f.genres <> '{}' AND NOT f.genres && ${params.add(g.notIn, 'text[]')}`);
      if (g.startsWith != null) where.push(`EXISTS (SELECT 1 FROM unnest(f.genres) sg WHERE sg LIKE ${params.add(likePrefix(g.startsWith, `${p}.genre.startsWith`), 'text')})`);
      if (g.isNull != null) where.push(g.isNull ? `f.genres = '{}'` : `f.genres <> '{}'`);
    }
    whereUsd(where, params, 'f.budget_amount', 'f.budget_currency', f.budgetUsd, `${p}.budgetUsd`);
    whereUsd(where, params, 'f.worldwide_gross_amount', 'f.worldwide_gross_currency', f.worldwideGrossUsd, `${p}.worldwideGrossUsd`);
    whereRange(where, params, 'f.us_gross_usd', f.usGrossUsd, `${p}.usGrossUsd`, 'numeric');
    whereRange(where, params, 'f.us_dvd_sales_usd', f.usDvdSalesUsd, `${p}.usDvdSalesUsd`, 'numeric');
    whereIn(where, params, 'f.mpaa_rating', f.mpaaRating, `${p}.mpaaRating`, 'mpaa_rating');
    whereRange(where, params, 'f.running_time_minutes', f.runningTimeMinutes, `${p}.runningTimeMinutes`, 'int');
    whereIn(where, params, 'f.source_material', f.sourceMaterial, `${p}.sourceMaterial`);
    whereIn(where, params, 'f.creative_type', f.creativeType, `${p}.creativeType`);
    whereRange(where, params, 'f.rotten_tomatoes_rating', f.rottenTomatoesRating, `${p}.rottenTomatoesRating`, 'int');
    whereRange(where, params, 'f.imdb_rating', f.imdbRating, `${p}.imdbRating`, 'numeric');
    whereRange(where, params, 'f.imdb_votes', f.imdbVotes, `${p}.imdbVotes`, 'int');
    if (f.studio || f.studioRole) {
      const credit: string[] = [];
      params.reference('studio', f.studio, `${p}.studio`);
      whereIn(credit, params, 'cs.slug', f.studio, `${p}.studio`);
      if (f.studioRole) credit.push(`cfs.role = ${params.add(f.studioRole, 'studio_credit_role')}`);
      where.push(`EXISTS (SELECT 1 FROM film_studio cfs JOIN studio cs ON cs.id = cfs.studio_id WHERE cfs.film_id = f.id${credit.map((c) => ` AND ${c}`).join('')})`);
    }
    whereRelated(where, params, f.producer, `${p}.producer`, 'cp.slug', (c) => `EXISTS (SELECT 1 FROM film_producer cfp JOIN producer cp ON cp.id = cfp.producer_id WHERE cfp.film_id = f.id AND ${c})`, 'producer');
    whereRelated(where, params, f.deal, `${p}.deal`, 'cd.slug', (c) => `EXISTS (SELECT 1 FROM deal_film cdf JOIN deal cd ON cd.id = cdf.deal_id WHERE cdf.film_id = f.id AND ${c})`, 'deal');
    return where;
  });
}

/** How films are searched (fuzzy.ts): by title; popularity for films: IMDb votes. */
export function filmSearched(a: string): Searched {
  return { text: `${a}.title`, popularity: `COALESCE(${a}.imdb_votes, 0)` };
}

/** The root `films` list: rows of `film f` matching search and filter. */
export function filmListSource(params: Params, search?: string | null, filter?: FilmFilter | null, fields?: Selection): ListSource {
  return searchable({ select: filmColumns('f', fields), from: 'film f', where: filmConditions(filter, params) }, params, filmSearched('f'), search);
}

export function filmListOrder(orderBy?: FilmOrder[] | null, search?: string | null): SortKey[] {
  return buildOrder(orderBy, [{ field: FilmOrderField.TITLE, direction: OrderDirection.ASC }], ORDERABLE, 'f.id', search);
}

/**
 * FILMS_LATEST_FIRST on the credit's copies of its film's keys (migration CreditSortKeys): same
 * names and values, so the same cursors, but the credit table's index holds them in this order, and
 * a parent's latest films are read from it without sorting all of the parent's credits.
 */
function creditsLatestFirst(alias: string): SortKey[] {
  const on: Record<string, string> = { RELEASE_DATE: `${alias}.film_release_date`, TITLE: `${alias}.film_title`, ID: `${alias}.film_id` };
  return FILMS_LATEST_FIRST.map((key) => ({ ...key, sql: on[key.name] }));
}

/** What a studio's or producer's film credits are filtered and ordered by (RelationLoader arguments). */
export type FilmCreditsFilter = { role: string | null; filter: FilmFilter | null; orderBy: FilmOrder[] | null };

/**
 * A page of each parent's film credits per level of the query, in one statement: `link` is the
 * credit table (film_studio fs, film_producer fp) and the parent column and role type of it. A parent
 * may hold several roles on one film: each credit is its own row, ordered by role last.
 */
export function filmCreditsLoader(db: Queryable, name: string, link: { table: string; alias: string; parentColumn: string; roleType: string }) {
  const { table, alias, parentColumn, roleType } = link;
  return new RelationLoader<FilmCreditsFilter>(db, {
    name,
    parentColumn: `${alias}.${parentColumn}`,
    source: ({ role, filter }, params, _parent, fields) => ({
      select: `${filmColumns('f', fields)}, ${alias}.role AS "_role"`,
      from: `${table} ${alias} JOIN film f ON f.id = ${alias}.film_id`,
      where: [...(role ? [`${alias}.role = ${params.add(role, roleType)}`] : []), ...filmConditions(filter, params)],
    }),
    order: ({ orderBy }) => [...(orderBy?.length ? filmListOrder(orderBy) : creditsLatestFirst(alias)), { name: 'ROLE', sql: `${alias}.role::text`, type: 'text' }],
  });
}
