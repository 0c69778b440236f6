import { type ClassType, Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import { fuzzy, type Searched, searchTerm } from './fuzzy';
import { badUserInput } from './errors';
import type { ListSource, Params, ReferencedTable, SortKey } from './connection';
import { DateScalar, DecimalScalar } from './scalars';

/**
 * Filter inputs shared by the root lists, and their translation to SQL. Every value is a bound
 * parameter; a malformed filter is a BAD_USER_INPUT error whose `argumentName` is the path of the
 * offending input field (`filter.or[1].releaseDate`).
 */

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Direction of an ordering. Unknown values (NULL) always come last.',
  valuesConfig: {
    ASC: { description: 'Ascending: A to Z, oldest first, smallest first.' },
    DESC: { description: 'Descending: Z to A, newest first, largest first.' },
  },
});

@InputType('SlugFilter', { description: 'Matches by slug: exactly one, or any of a list.' })
export class SlugFilter {
  @Field(() => String, { nullable: true, description: 'The slug equals this value.' })
  eq?: string | null;

  @Field(() => [String], { nullable: true, description: 'The slug is one of these values (at most 100).' })
  in?: string[] | null;
}

@InputType('StringFilter', { description: 'Matches a text value: equal, one of a list, or not; by its start; known or not. Unknown (null) values match only isNull: true.' })
export class StringFilter {
  @Field(() => String, { nullable: true, description: 'The value equals this.' })
  eq?: string | null;

  @Field(() => [String], { nullable: true, description: 'The value is one of these (at most 100).' })
  in?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The value is known and differs from this.' })
  neq?: string | null;

  @Field(() => [String], { nullable: true, description: 'The value is known and none of these (at most 100).' })
  notIn?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The value starts with this, exactly (case included; wildcards matched literally).' })
  startsWith?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known.' })
  isNull?: boolean | null;
}

@InputType('TextFilter', { description: 'Matches a name or title.' })
export class TextFilter {
  @Field(() => String, { nullable: true, description: 'The text equals this exactly.' })
  eq?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The text contains this, ignoring case and accents ("amelie" matches "Amélie"). Wildcards are matched literally.',
  })
  contains?: string | null;
}

@InputType('DateRangeFilter', { description: 'Matches dates: within a range (either bound may be left out), equal or not, before or after, known or not.' })
export class DateRangeFilter {
  @Field(() => DateScalar, { nullable: true, description: 'On or after this date.' })
  gte?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or before this date.' })
  lte?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Equal to this.' })
  eq?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Known and different from this.' })
  neq?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Greater than this (after it).' })
  gt?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Less than this (before it).' })
  lt?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known. Unknown values match no other condition.' })
  isNull?: boolean | null;
}

@InputType('IntRangeFilter', { description: 'Matches whole numbers: within a range (either bound may be left out), equal or not, greater or less, known or not.' })
export class IntRangeFilter {
  @Field(() => Int, { nullable: true, description: 'Greater than or equal to this.' })
  gte?: number | null;

  @Field(() => Int, { nullable: true, description: 'Less than or equal to this.' })
  lte?: number | null;

  @Field(() => Int, { nullable: true, description: 'Equal to this.' })
  eq?: number | null;

  @Field(() => Int, { nullable: true, description: 'Known and different from this.' })
  neq?: number | null;

  @Field(() => Int, { nullable: true, description: 'Greater than this (after it).' })
  gt?: number | null;

  @Field(() => Int, { nullable: true, description: 'Less than this (before it).' })
  lt?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known. Unknown values match no other condition.' })
  isNull?: boolean | null;
}

@InputType('DecimalRangeFilter', { description: 'Matches exact decimal numbers (money, percentages): within a range (either bound may be left out), equal or not, greater or less, known or not.' })
export class DecimalRangeFilter {
  @Field(() => DecimalScalar, { nullable: true, description: 'Greater than or equal to this.' })
  gte?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Less than or equal to this.' })
  lte?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Equal to this.' })
  eq?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Known and different from this.' })
  neq?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Greater than this (after it).' })
  gt?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Less than this (before it).' })
  lt?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known. Unknown values match no other condition.' })
  isNull?: boolean | null;
}

@InputType('FloatRangeFilter', { description: 'Matches numbers (ratings, scores): within a range (either bound may be left out), equal or not, greater or less, known or not.' })
export class FloatRangeFilter {
  @Field(() => Float, { nullable: true, description: 'Greater than or equal to this.' })
  gte?: number | null;

  @Field(() => Float, { nullable: true, description: 'Less than or equal to this.' })
  lte?: number | null;

  @Field(() => Float, { nullable: true, description: 'Equal to this.' })
  eq?: number | null;

  @Field(() => Float, { nullable: true, description: 'Known and different from this.' })
  neq?: number | null;

  @Field(() => Float, { nullable: true, description: 'Greater than this (after it).' })
  gt?: number | null;

  @Field(() => Float, { nullable: true, description: 'Less than this (before it).' })
  lt?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known. Unknown values match no other condition.' })
  isNull?: boolean | null;
}

/** An input type `{ eq, in }` for an enum, named `${name}Filter`. */
export function EnumFilter<T extends string>(enumObject: Record<string, T>, name: string): ClassType<{ eq?: T | null; in?: T[] | null; neq?: T | null; notIn?: T[] | null; isNull?: boolean | null }> {
  @InputType(`${name}Filter`, { description: `Matches a ${name}: one value or any of a list, or not; known or not.` })
  class Filter {
    @Field(() => enumObject, { nullable: true, description: 'The value equals this.' })
    eq?: T | null;

    @Field(() => [enumObject], { nullable: true, description: 'The value is one of these.' })
    in?: T[] | null;

    @Field(() => enumObject, { nullable: true, description: 'The value is known and differs from this.' })
    neq?: T | null;

    @Field(() => [enumObject], { nullable: true, description: 'The value is known and none of these.' })
    notIn?: T[] | null;

    @Field(() => Boolean, { nullable: true, description: 'true: the value is unknown; false: it is known.' })
    isNull?: boolean | null;
  }
  return Filter;
}

/** Descriptions of the combinator fields every entity filter has. */
export const COMBINATORS = {
  and: 'All of these filters hold (as well as the other fields of this one).',
  or: 'At least one of these filters holds.',
  not: 'This filter does not hold. Items whose compared value is unknown (null) count as not matching the inner filter, so `not` includes them.',
};

const MAX_IN = 100;
const MAX_COMBINED = 20;
const MAX_NESTING = 5;

/** `column = value` or `column = ANY(values)` for an `{ eq, in }` filter; `cast` is the SQL type of the values. */
export function whereIn(
  where: string[],
  params: Params,
  column: string,
  filter: { eq?: string | null; in?: string[] | null; neq?: string | null; notIn?: string[] | null; startsWith?: string | null; isNull?: boolean | null } | null | undefined,
  argumentName: string,
  cast = 'text',
): void {
  if (!filter) return;
  if (filter.eq != null) where.push(`${column} = ${params.add(filter.eq, cast)}`);
  if (filter.in != null) where.push(`${column} = ANY(${params.add(listOf(filter.in, `${argumentName}.in`), `${cast}[]`)})`);
  if (filter.neq != null) where.push(`${column} <> ${params.add(filter.neq, cast)}`);
  if (filter.notIn != null) where.push(`${column} <> ALL(${params.add(listOf(filter.notIn, `${argumentName}.notIn`), `${cast}[]`)})`);
  if (filter.startsWith != null) where.push(`${column}::text LIKE ${params.add(likePrefix(filter.startsWith, `${argumentName}.startsWith`), 'text')}`);
  if (filter.isNull != null) where.push(`${column} IS ${filter.isNull ? '' : 'NOT '}NULL`);
}

/** A list argument within MAX_IN values. */
function listOf<T>(values: T[], argumentName: string): T[] {
  if (values.length > MAX_IN) throw badUserInput(argumentName, `Argument "${argumentName}" takes at most ${MAX_IN} values, but got ${values.length}.`);
  return values;
}

/** A LIKE pattern for "starts with", its wildcards escaped. */
export function likePrefix(prefix: string, argumentName: string): string {
  if (prefix.length > 200) throw badUserInput(argumentName, `Argument "${argumentName}" is limited to 200 characters, but got ${prefix.length}.`);
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Exact equality, or accent- and case-insensitive "contains" (trigram-indexed through `mg_norm`). */
export function whereText(where: string[], params: Params, column: string, filter: TextFilter | null | undefined, argumentName: string): void {
  if (!filter) return;
  if (filter.eq != null) where.push(`${column} = ${params.add(filter.eq, 'text')}`);
  if (filter.contains != null) {
    if (filter.contains.length > 200) {
      throw badUserInput(`${argumentName}.contains`, `Argument "${argumentName}.contains" is limited to 200 characters, but got ${filter.contains.length}.`);
    }
    const escaped = filter.contains.replace(/[\\%_]/g, (c) => `\\${c}`);
    where.push(`mg_norm(${column}) LIKE '%' || mg_norm(${params.add(escaped, 'text')}) || '%'`);
  }
}

/** Compares two decimal strings exactly. */
function compareDecimals(a: string, b: string): number {
  const scale = (s: string) => {
    const negative = s.startsWith('-');
    const [whole, fraction = ''] = s.replace('-', '').split('.');
    return { negative, digits: BigInt(whole + fraction.padEnd(20, '0')) };
  };
  const x = scale(a);
  const y = scale(b);
  const sx = x.negative ? -x.digits : x.digits;
  const sy = y.negative ? -y.digits : y.digits;
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

/** Range-filter conditions on a column: bounds (gte, lte, gt, lt), eq, neq and isNull. */
export function whereRange(
  where: string[],
  params: Params,
  column: string,
  range: { gte?: string | number | null; lte?: string | number | null; gt?: string | number | null; lt?: string | number | null; eq?: string | number | null; neq?: string | number | null; isNull?: boolean | null } | null | undefined,
  argumentName: string,
  cast: 'int' | 'date' | 'numeric',
): void {
  if (!range) return;
  const { gte, lte } = range;
  if (gte != null && lte != null) {
    const empty = cast === 'numeric' ? compareDecimals(String(gte), String(lte)) > 0 : gte > lte;
    if (empty) throw badUserInput(argumentName, `Argument "${argumentName}" is an empty range: gte (${gte}) is greater than lte (${lte}).`);
  }
  for (const [key, operator] of [['gte', '>='], ['lte', '<='], ['gt', '>'], ['lt', '<'], ['eq', '='], ['neq', '<>']] as const) {
    const value = range[key];
    if (value != null) where.push(`${column} ${operator} ${params.add(value, cast)}`);
  }
  if (range.isNull != null) where.push(`${column} IS ${range.isNull ? '' : 'NOT '}NULL`);
}

/**
 * A condition on a related table: rows for which a related row's slug matches `filter`. `exists`
 * wraps the slug condition in the EXISTS (or IN) subquery that links the two tables.
 */
export function whereRelated(
  where: string[],
  params: Params,
  filter: { eq?: string | null; in?: string[] | null } | null | undefined,
  argumentName: string,
  slugColumn: string,
  exists: (condition: string) => string,
  table: ReferencedTable,
): void {
  params.reference(table, filter, argumentName);
  const conditions: string[] = [];
  whereIn(conditions, params, slugColumn, filter, argumentName);
  if (conditions.length) where.push(exists(conditions.join(' AND ')));
}

interface Combinable<F> {
  and?: F[] | null;
  or?: F[] | null;
  not?: F | null;
}

/**
 * The SQL conditions of an entity filter (joined with AND by the caller), its `and`, `or` and `not`
 * included. `own` translates the entity's own fields.
 */
export function conditionsOf<F extends Combinable<F>>(
  filter: F | null | undefined,
  path: string,
  own: (filter: F, path: string) => string[],
  depth = 0,
): string[] {
  if (!filter) return [];
  if (depth > MAX_NESTING) {
    throw badUserInput(path, `Argument "${path}" nests and/or/not more than ${MAX_NESTING} levels deep; flatten the filter.`);
  }
  const where = own(filter, path);
  const group = (inner: F, innerPath: string) => {
    const conditions = conditionsOf(inner, innerPath, own, depth + 1);
    return conditions.length ? `(${conditions.join(' AND ')})` : 'true';
  };
  const checkSize = (list: F[], name: string) => {
    if (list.length > MAX_COMBINED) {
      throw badUserInput(`${path}.${name}`, `Argument "${path}.${name}" takes at most ${MAX_COMBINED} filters, but got ${list.length}.`);
    }
  };
  if (filter.and) {
    checkSize(filter.and, 'and');
    filter.and.forEach((inner, i) => where.push(group(inner, `${path}.and[${i}]`)));
  }
  if (filter.or) {
    checkSize(filter.or, 'or');
    where.push(filter.or.length ? `(${filter.or.map((inner, i) => group(inner, `${path}.or[${i}]`)).join(' OR ')})` : 'false');
  }
  if (filter.not) where.push(`NOT COALESCE(${group(filter.not, `${path}.not`)}, false)`);
  return where;
}

/**
 * A root list's source with its `search:` argument applied: the fuzzy match joins the conditions,
 * and the relevance (score, popularity, name: see fuzzy.ts) is available to orderings as `relevance.*`.
 */
export function searchable(source: ListSource, params: Params, searched: Searched, search: string | null | undefined): ListSource {
  const term = search == null ? undefined : searchTerm(params, search, 'search');
  if (!term) return source;
  const { condition, score, popularity, name } = fuzzy(searched, term);
  return {
    ...source,
    from: `${source.from} CROSS JOIN LATERAL (SELECT ${score} AS score, ${popularity} AS popularity, ${name} AS name) relevance`,
    where: [...source.where, condition],
  };
}

/** How an orderable field of a list sorts: its SQL expression, type and nullability. */
export type OrderableKey = Omit<SortKey, 'desc' | 'name'>;

/**
 * The relevance of a searched list, as an ordering key: the score, then popularity, then name (the
 * order of the root `search`); buildOrder expands it into those three.
 */
export const RELEVANCE_KEY: OrderableKey = { sql: 'relevance.score', type: 'numeric' };

/** RELEVANCE in the given direction: its score, popularity and name keys (the name the other way). */
function relevanceKeys(desc: boolean): SortKey[] {
  return [
    { name: 'RELEVANCE', sql: 'relevance.score', type: 'numeric', desc },
    { name: 'RELEVANCE_POPULARITY', sql: 'relevance.popularity', type: 'bigint', desc },
    { name: 'RELEVANCE_NAME', sql: 'relevance.name', type: 'text', desc: !desc },
  ];
}

/**
 * The sort keys of a root list from its `orderBy` argument: the requested fields in turn, then the
 * row id, so that ties are broken and cursors are stable. With a search and no `orderBy`, the most
 * relevant come first; RELEVANCE without a search is an error.
 */
export function buildOrder<F extends string>(
  orderBy: Array<{ field: F; direction?: OrderDirection | null }> | null | undefined,
  fallback: Array<{ field: F; direction: OrderDirection }>,
  keys: Record<F, OrderableKey>,
  id: string,
  search?: string | null,
): SortKey[] {
  const searching = Boolean(search?.trim());
  const requested =
    orderBy && orderBy.length ? orderBy : searching ? [{ field: 'RELEVANCE' as F, direction: OrderDirection.DESC }] : fallback;
  const seen = new Set<F>();
  const order: SortKey[] = [];
  for (const { field, direction } of requested) {
    if (seen.has(field)) {
      throw badUserInput('orderBy', `Argument "orderBy" lists ${field} more than once; give each field at most once.`);
    }
    if (field === 'RELEVANCE' && !searching) {
      throw badUserInput('orderBy', 'Argument "orderBy" asks for RELEVANCE, which needs a "search" argument.');
    }
    seen.add(field);
    if (field === 'RELEVANCE') order.push(...relevanceKeys(direction === OrderDirection.DESC));
    else order.push({ ...keys[field], name: field, desc: direction === OrderDirection.DESC });
  }
  order.push({ name: 'ID', sql: id, type: 'int' });
  return order;
}

/** A range of years on a date column, as a date range (so the column's index serves it). */
export function whereYears(
  where: string[],
  params: Params,
  column: string,
  range: { gte?: number | null; lte?: number | null; gt?: number | null; lt?: number | null; eq?: number | null; neq?: number | null; isNull?: boolean | null } | null | undefined,
  argumentName: string,
): void {
  if (!range) return;
  for (const bound of ['gte', 'lte', 'gt', 'lt', 'eq', 'neq'] as const) {
    const year = range[bound];
    if (year != null && (year < 1 || year > 9999)) {
      throw badUserInput(`${argumentName}.${bound}`, `Argument "${argumentName}.${bound}" must be a year between 1 and 9999, but got ${year}.`);
    }
  }
  const first = (year: number) => `${String(year).padStart(4, '0')}-01-01`;
  const last = (year: number) => `${String(year).padStart(4, '0')}-12-31`;
  whereRange(
    where,
    params,
    column,
    {
      gte: range.gte != null ? first(range.gte) : range.eq != null ? first(range.eq) : null,
      lte: range.lte != null ? last(range.lte) : range.eq != null ? last(range.eq) : null,
      gt: range.gt != null ? last(range.gt) : null,
      lt: range.lt != null ? first(range.lt) : null,
      isNull: range.isNull,
    },
    argumentName,
    'date',
  );
  // eq with another bound: both hold (the ranges intersect); neq: outside the year.
  if (range.eq != null && (range.gte != null || range.lte != null)) whereRange(where, params, column, { gte: first(range.eq), lte: last(range.eq) }, argumentName, 'date');
  if (range.neq != null) where.push(`NOT (${column} BETWEEN ${params.add(first(range.neq), 'date')} AND ${params.add(last(range.neq), 'date')})`);
}
