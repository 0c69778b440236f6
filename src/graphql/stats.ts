import { type ClassType, Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Params } from './connection';
import { badUserInput } from './errors';
import { OrderDirection } from './filters';
import { DecimalScalar } from './scalars';

/**
 * Shared by the analysts' aggregates (`dealStats`, `filmStats`): a grouped query is built from the
 * keys asked for, so that every grouping is one SQL statement; every numeric field (a measure) has
 * its count, sum, average, minimum and maximum; groups can be ordered by any of them, filtered after
 * grouping (`having`) and cut (`first`).
 */

/** Groups beyond this make an error rather than a huge response (unless `first` cuts them). */
export const MAX_GROUPS = 10_000;

export interface GroupKey {
  /** Column alias in the grouped query, such as `k_year`. */
  alias: string;
  /** SQL expression of the key over the rows being grouped. */
  sql: string;
}

/** Refuses duplicate keys in `groupBy`, naming the argument. */
export function distinctKeys<K extends string>(groupBy: K[]): K[] {
  const seen = new Set<K>();
  for (const key of groupBy) {
    if (seen.has(key)) throw badUserInput('groupBy', `Argument "groupBy" lists ${key} more than once.`);
    seen.add(key);
  }
  return groupBy;
}

/** The error for a grouping with too many groups. */
export function tooManyGroups(): Error {
  return badUserInput('groupBy', `This grouping has more than ${MAX_GROUPS} groups; narrow the filter, group by fewer keys, or cut them with "first".`);
}

/**
 * Refuses a selected key field whose key is not grouped by (it would be null in every group, which
 * reads as "unknown" rather than "not asked"). `keyFields`: each key field and the groupBy values
 * that set it.
 */
export function checkSelectedKeys<K extends string>(selected: Set<string>, groupBy: K[], keyFields: Record<string, K[]>): void {
  for (const [field, keys] of Object.entries(keyFields)) {
    if (selected.has(field) && !keys.some((k) => groupBy.includes(k))) {
      throw badUserInput(
        'groupBy',
        `The field "${field}" is selected but "groupBy" does not include ${keys.join(' or ')}: it would be null in every group. Add it to groupBy or leave the field out.`,
      );
    }
  }
}

export enum StatsAggregate {
  COUNT = 'COUNT',
  SUM = 'SUM',
  AVG = 'AVG',
  MIN = 'MIN',
  MAX = 'MAX',
}

registerEnumType(StatsAggregate, {
  name: 'StatsAggregate',
  description: 'An aggregate over a group: with a measure, over the values of that measure the group has (nulls left out).',
  valuesConfig: {
    COUNT: { description: 'Without a measure: the rows in the group. With one: how many of them have a value.' },
    SUM: { description: 'The sum of the values.' },
    AVG: { description: 'The average of the values.' },
    MIN: { description: 'The smallest value.' },
    MAX: { description: 'The largest value.' },
  },
});

@ObjectType('NumberStats', { description: 'Aggregates of a numeric measure (a rating, a count, a duration) over a group; null when no row of the group has a value.', simpleResolvers: true })
export class NumberStats {
  @Field(() => Int, { description: 'Rows of the group with a value.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Sum of the values.' })
  sum!: number | null;

  @Field(() => Float, { nullable: true, description: 'Average of the values.' })
  avg!: number | null;

  @Field(() => Float, { nullable: true, description: 'Smallest value.' })
  min!: number | null;

  @Field(() => Float, { nullable: true, description: 'Largest value.' })
  max!: number | null;
}

@ObjectType('DecimalStats', { description: 'Aggregates of an exact measure (US dollars, percentages) over a group, as exact decimals; averages rounded to 4 decimals; null when no row of the group has a value.', simpleResolvers: true })
export class DecimalStats {
  @Field(() => Int, { description: 'Rows of the group with a value.' })
  count!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'Sum of the values.' })
  sum!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average of the values, rounded to 4 decimals.' })
  avg!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Smallest value.' })
  min!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest value.' })
  max!: string | null;
}

/** A numeric field aggregated per group: its GraphQL field, its SQL over the rows, exact or not. */
export interface Measure<M extends string = string> {
  /** The measure's enum value (ordering, having) and the GraphQL field of the group (`imdbRating`). */
  name: M;
  field: string;
  sql: string;
  exact: boolean;
}

const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max'] as const;

/** The measures' columns of the rows being grouped (`expr AS m_<i>`). */
export function measureColumns(measures: readonly Measure[]): string[] {
  return measures.map((m, i) => `${m.sql} AS m_${i}`);
}

/** The aggregate columns of every measure over the grouped rows. */
export function measureAggregates(measures: readonly Measure[]): string[] {
  return measures.flatMap((m, i) => [
    `count(m_${i})::int AS m_${i}_count`,
    `sum(m_${i}) AS m_${i}_sum`,
    m.exact ? `round(avg(m_${i}), 4) AS m_${i}_avg` : `avg(m_${i})::float8 AS m_${i}_avg`,
    `min(m_${i}) AS m_${i}_min`,
    `max(m_${i}) AS m_${i}_max`,
  ]);
}

/** Sets each measure's stats on a group from its row. */
export function readMeasures(target: Record<string, unknown>, row: Record<string, unknown>, measures: readonly Measure[]): void {
  measures.forEach((m, i) => {
    if (m.exact) {
      const stats = new DecimalStats();
      stats.count = row[`m_${i}_count`] as number;
      for (const a of AGGREGATES.slice(1)) (stats as unknown as Record<string, unknown>)[a] = (row[`m_${i}_${a}`] as string | null) ?? null;
      target[m.field] = stats;
    } else {
      const stats = new NumberStats();
      stats.count = row[`m_${i}_count`] as number;
      for (const a of AGGREGATES.slice(1)) {
        const value = row[`m_${i}_${a}`];
        (stats as unknown as Record<string, unknown>)[a] = value == null ? null : Number(value);
      }
      target[m.field] = stats;
    }
  });
}

export interface StatsOrder<M extends string> {
  aggregate: StatsAggregate;
  measure?: M | null;
  direction: OrderDirection;
}

export interface StatsCondition<M extends string> {
  aggregate: StatsAggregate;
  measure?: M | null;
  gte?: string | null;
  lte?: string | null;
}

/** `${name}StatsOrder` and `${name}StatsCondition`: ordering and `having` over an entity's measures. */
export function statsInputs<M extends string>(measureEnum: Record<string, M>, name: string): { Order: ClassType<StatsOrder<M>>; Condition: ClassType<StatsCondition<M>> } {
  @InputType(`${name}StatsOrder`, { description: `One key of an ordering of ${name.toLowerCase()} groups: an aggregate (of a measure), ascending or descending.` })
  class Order {
    @Field(() => StatsAggregate, { defaultValue: StatsAggregate.COUNT, description: 'The aggregate to order by (COUNT by default).' })
    aggregate!: StatsAggregate;

    @Field(() => measureEnum, { nullable: true, description: 'The measure aggregated (required except for COUNT; COUNT without one counts rows).' })
    measure?: M | null;

    @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC, description: 'The direction (descending by default: the largest first). Groups without a value come last.' })
    direction!: OrderDirection;
  }

  @InputType(`${name}StatsCondition`, { description: `A condition on ${name.toLowerCase()} groups after grouping (SQL's HAVING): an aggregate (of a measure) within a range.` })
  class Condition {
    @Field(() => StatsAggregate, { defaultValue: StatsAggregate.COUNT, description: 'The aggregate (COUNT by default).' })
    aggregate!: StatsAggregate;

    @Field(() => measureEnum, { nullable: true, description: 'The measure aggregated (required except for COUNT).' })
    measure?: M | null;

    @Field(() => DecimalScalar, { nullable: true, description: 'At least this.' })
    gte?: string | null;

    @Field(() => DecimalScalar, { nullable: true, description: 'At most this.' })
    lte?: string | null;
  }
  return { Order, Condition };
}

/** The column of the grouped query an aggregate (of a measure) is in; an error names the argument. */
function aggregateColumn<M extends string>(measures: readonly Measure<M>[], aggregate: StatsAggregate, measure: M | null | undefined, argumentName: string): string {
  if (measure == null) {
    if (aggregate !== StatsAggregate.COUNT) throw badUserInput(`${argumentName}.measure`, `Argument "${argumentName}" needs a measure for ${aggregate} (only COUNT counts rows without one).`);
    return 'g.count';
  }
  const index = measures.findIndex((m) => m.name === measure);
  return `g.m_${index}_${aggregate.toLowerCase()}`;
}

/** ORDER BY keys for `orderBy` (before the groups' own order). */
export function statsOrderBy<M extends string>(measures: readonly Measure<M>[], orderBy: StatsOrder<M>[] | null | undefined): string[] {
  return (orderBy ?? []).map(
    (o, i) => `${aggregateColumn(measures, o.aggregate, o.measure, `orderBy[${i}]`)} ${o.direction === OrderDirection.DESC ? 'DESC' : 'ASC'} NULLS LAST`,
  );
}

/** WHERE conditions over the grouped query for `having`. */
export function statsHaving<M extends string>(measures: readonly Measure<M>[], having: StatsCondition<M>[] | null | undefined, params: Params): string[] {
  const where: string[] = [];
  (having ?? []).forEach((c, i) => {
    const column = aggregateColumn(measures, c.aggregate, c.measure, `having[${i}]`);
    if (c.gte == null && c.lte == null) throw badUserInput(`having[${i}]`, `Argument "having[${i}]" needs gte, lte or both.`);
    if (c.gte != null) where.push(`${column} >= ${params.add(c.gte, 'numeric')}`);
    if (c.lte != null) where.push(`${column} <= ${params.add(c.lte, 'numeric')}`);
  });
  return where;
}

/** LIMIT of a grouped query: `first` when given (1 to MAX_GROUPS), else one more than MAX_GROUPS (to tell). */
export function statsLimit(first: number | null | undefined): number {
  if (first == null) return MAX_GROUPS + 1;
  if (first < 1 || first > MAX_GROUPS) throw badUserInput('first', `Argument "first" must be between 1 and ${MAX_GROUPS}, but got ${first}.`);
  return first;
}
