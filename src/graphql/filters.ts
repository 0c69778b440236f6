import { type ClassType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { badUserInput } from './errors';
import type { Params, SortKey } from './connection';
import { DateScalar } from './scalars';

/**
 * Filter inputs shared by the root lists, and their translation to SQL. Every value is a bound
 * parameter; a malformed filter is a BAD_USER_INPUT error naming the argument path.
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

@InputType('StringFilter', { description: 'Matches a text value exactly, or any of a list.' })
export class StringFilter {
  @Field(() => String, { nullable: true, description: 'The value equals this.' })
  eq?: string | null;

  @Field(() => [String], { nullable: true, description: 'The value is one of these (at most 100).' })
  in?: string[] | null;
}

@InputType('DateRangeFilter', { description: 'Matches dates within a range; either bound may be left out.' })
export class DateRangeFilter {
  @Field(() => DateScalar, { nullable: true, description: 'On or after this date.' })
  gte?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or before this date.' })
  lte?: string | null;
}

@InputType('IntRangeFilter', { description: 'Matches whole numbers within a range; either bound may be left out.' })
export class IntRangeFilter {
  @Field(() => Int, { nullable: true, description: 'Greater than or equal to this.' })
  gte?: number | null;

  @Field(() => Int, { nullable: true, description: 'Less than or equal to this.' })
  lte?: number | null;
}

/** An input type `{ eq, in }` for an enum, named `${name}Filter`. */
export function EnumFilter<T extends string>(enumObject: Record<string, T>, name: string): ClassType<{ eq?: T | null; in?: T[] | null }> {
  @InputType(`${name}Filter`, { description: `Matches a ${name}: exactly one value, or any of a list.` })
  class Filter {
    @Field(() => enumObject, { nullable: true, description: 'The value equals this.' })
    eq?: T | null;

    @Field(() => [enumObject], { nullable: true, description: 'The value is one of these.' })
    in?: T[] | null;
  }
  return Filter;
}

const MAX_IN = 100;

/** `column = value` or `column = ANY(values)` for an `{ eq, in }` filter; `cast` is the SQL type of the values. */
export function whereIn(
  where: string[],
  params: Params,
  column: string,
  filter: { eq?: string | null; in?: string[] | null } | null | undefined,
  argumentName: string,
  cast = 'text',
): void {
  if (!filter) return;
  if (filter.eq != null) where.push(`${column} = ${params.add(filter.eq, cast)}`);
  if (filter.in != null) {
    if (filter.in.length > MAX_IN) {
      throw badUserInput(`${argumentName}.in`, `Argument "${argumentName}.in" takes at most ${MAX_IN} values, but got ${filter.in.length}.`);
    }
    where.push(`${column} = ANY(${params.add(filter.in, `${cast}[]`)})`);
  }
}

/** `column BETWEEN gte AND lte` (either bound optional) for a range filter. */
export function whereRange<V extends string | number>(
  where: string[],
  params: Params,
  column: string,
  range: { gte?: V | null; lte?: V | null } | null | undefined,
  argumentName: string,
  cast: string,
): void {
  if (!range) return;
  const { gte, lte } = range;
  if (gte != null && lte != null && gte > lte) {
    throw badUserInput(argumentName, `Argument "${argumentName}" is an empty range: gte (${gte}) is after lte (${lte}).`);
  }
  if (gte != null) where.push(`${column} >= ${params.add(gte, cast)}`);
  if (lte != null) where.push(`${column} <= ${params.add(lte, cast)}`);
}

const MAX_SEARCH_LENGTH = 200;

/** Case-insensitive "contains" on any of `columns`; blank searches match everything. */
export function whereSearch(where: string[], params: Params, columns: string[], search: string | null | undefined): void {
  const term = search?.trim();
  if (!term) return;
  if (term.length > MAX_SEARCH_LENGTH) {
    throw badUserInput('search', `Argument "search" is limited to ${MAX_SEARCH_LENGTH} characters, but got ${term.length}.`);
  }
  // LIKE wildcards typed by the user are matched literally.
  const pattern = params.add(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  where.push(`(${columns.map((c) => `${c} ILIKE ${pattern}`).join(' OR ')})`);
}

/** How an orderable field of a list sorts: its SQL expression, type and nullability. */
export type OrderableKey = Omit<SortKey, 'desc' | 'name'>;

/**
 * The sort keys of a root list from its `orderBy` argument: the requested fields in turn, then the
 * row id, so that ties are broken and cursors are stable.
 */
export function buildOrder<F extends string>(
  orderBy: Array<{ field: F; direction?: OrderDirection | null }> | null | undefined,
  fallback: Array<{ field: F; direction: OrderDirection }>,
  keys: Record<F, OrderableKey>,
  id: string,
): SortKey[] {
  const requested = orderBy && orderBy.length ? orderBy : fallback;
  const seen = new Set<F>();
  const order: SortKey[] = [];
  for (const { field, direction } of requested) {
    if (seen.has(field)) {
      throw badUserInput('orderBy', `Argument "orderBy" lists ${field} more than once; give each field at most once.`);
    }
    seen.add(field);
    order.push({ ...keys[field], name: field, desc: direction === OrderDirection.DESC });
  }
  order.push({ name: 'ID', sql: id, type: 'int' });
  return order;
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
): void {
  const conditions: string[] = [];
  whereIn(conditions, params, slugColumn, filter, argumentName);
  if (conditions.length) where.push(exists(conditions.join(' AND ')));
}
