import { Args, ArgsType, Ctx, Field, Info, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFieldNames } from '../graphql/columns';
import type { Context } from '../graphql/context';
import { Params } from '../graphql/connection';
import { DecimalScalar } from '../graphql/scalars';
import {
  checkSelectedKeys,
  DecimalStats,
  distinctKeys,
  type GroupKey,
  MAX_GROUPS,
  type Measure,
  measureAggregates,
  measureColumns,
  readMeasures,
  statsHaving,
  statsInputs,
  statsLimit,
  statsOrderBy,
  tooManyGroups,
} from '../graphql/stats';
import { Studio, studioColumns } from '../studio/studio.type';
import { DealKind, DealPartyRole } from './deal.enums';
import { DealFilter } from './deal.inputs';
import { dealConditions } from './deal.lists';
import { CacheHint } from '../graphql/cache-control';
import { verifyReferences } from '../graphql/references';

export enum DealGroupBy {
  YEAR = 'YEAR',
  QUARTER = 'QUARTER',
  KIND = 'KIND',
  STUDIO = 'STUDIO',
  PARTY_ROLE = 'PARTY_ROLE',
  COUNTRY = 'COUNTRY',
}

registerEnumType(DealGroupBy, {
  name: 'DealGroupBy',
  description:
    'A key to group deals by. STUDIO, PARTY_ROLE and COUNTRY group by the parties of the deals: a deal then counts once in the group of each of its parties, so such groups can add up to more than all deals.',
  valuesConfig: {
    YEAR: { description: 'Year announced (undated deals form a group with a null year).' },
    QUARTER: { description: 'Year and quarter announced (sets both `year` and `quarter`).' },
    KIND: { description: 'Kind of deal.' },
    STUDIO: { description: 'Each party studio.' },
    PARTY_ROLE: { description: 'The role of each party (ACQUIRER, TARGET, ...).' },
    COUNTRY: { description: 'The country of each party (null when unknown).' },
  },
});

export enum DealMeasure {
  VALUE_USD = 'VALUE_USD',
  STAKE_PERCENT = 'STAKE_PERCENT',
}

registerEnumType(DealMeasure, {
  name: 'DealMeasure',
  description: 'A numeric field of deals, aggregated per group (the group\'s field of the same name).',
  valuesConfig: {
    VALUE_USD: { description: 'The deal\'s value in US dollars, as reported.' },
    STAKE_PERCENT: { description: 'The stake acquired, in percent.' },
  },
});

const MEASURES: Measure<DealMeasure>[] = [
  { name: DealMeasure.VALUE_USD, field: 'valueUsd', sql: 'd.value_usd', exact: true },
  { name: DealMeasure.STAKE_PERCENT, field: 'stakePercent', sql: 'd.stake_percent', exact: true },
];

const { Order: DealStatsOrder, Condition: DealStatsCondition } = statsInputs(DealMeasure, 'Deal');

@ObjectType('DealStatsGroup', {
  description: 'Aggregates over one group of deals. Key fields not grouped by are null. Money is in US dollars as reported; amounts are exact decimals.',
  simpleResolvers: true,
})
export class DealStatsGroup {
  @Field(() => Int, { nullable: true, description: 'Year announced (grouped by YEAR or QUARTER).' })
  year!: number | null;

  @Field(() => Int, { nullable: true, description: 'Quarter announced, 1 to 4 (grouped by QUARTER).' })
  quarter!: number | null;

  @Field(() => DealKind, { nullable: true, description: 'Kind of deal (grouped by KIND).' })
  kind!: DealKind | null;

  @Field(() => Studio, { nullable: true, description: 'The party studio (grouped by STUDIO).' })
  studio!: Studio | null;

  @Field(() => DealPartyRole, { nullable: true, description: 'The role of the party (grouped by PARTY_ROLE).' })
  partyRole!: DealPartyRole | null;

  @Field(() => String, { nullable: true, description: 'The country of the party (grouped by COUNTRY).' })
  country!: string | null;

  @Field(() => Int, { description: 'Number of deals in the group.' })
  count!: number;

  @Field(() => Int, { description: 'Number of those deals whose US-dollar value is reported.' })
  valuedCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the reported US-dollar values ("0" when none is reported).' })
  totalValueUsd!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average stake in percent over the deals that have one, rounded to 4 decimals.' })
  averageStakePercent!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Largest stake in percent.' })
  maxStakePercent!: string | null;

  @Field(() => DecimalStats, { description: 'Values in US dollars: count, sum, average, smallest, largest.' })
  valueUsd!: DecimalStats;

  @Field(() => DecimalStats, { description: 'Stakes in percent: count, sum, average, smallest, largest.' })
  stakePercent!: DecimalStats;
}

const KEY_FIELDS: Record<string, DealGroupBy[]> = {
  year: [DealGroupBy.YEAR, DealGroupBy.QUARTER],
  quarter: [DealGroupBy.QUARTER],
  kind: [DealGroupBy.KIND],
  studio: [DealGroupBy.STUDIO],
  partyRole: [DealGroupBy.PARTY_ROLE],
  country: [DealGroupBy.COUNTRY],
};

@ArgsType()
export class DealStatsArgs {
  @Field(() => [DealGroupBy], { description: 'Keys to group by, in order (the groups are sorted the same way unless orderBy says otherwise). Empty: one overall group.' })
  groupBy!: DealGroupBy[];

  @Field(() => DealFilter, { nullable: true, description: 'Only the deals meeting these conditions.' })
  filter?: DealFilter | null;

  @Field(() => [DealStatsOrder], { nullable: true, description: 'Order the groups by aggregates, key after key (then by the groupBy keys): the studios with the most deal value first is `groupBy: [STUDIO], orderBy: [{ aggregate: SUM, measure: VALUE_USD }]`.' })
  orderBy?: InstanceType<typeof DealStatsOrder>[] | null;

  @Field(() => [DealStatsCondition], { nullable: true, description: 'Keep only the groups meeting all these conditions (after grouping).' })
  having?: InstanceType<typeof DealStatsCondition>[] | null;

  @Field(() => Int, { nullable: true, description: `Only the first this many groups, in order (1 to ${MAX_GROUPS}).` })
  first?: number | null;
}

const KEYS: Record<DealGroupBy, GroupKey[]> = {
  [DealGroupBy.YEAR]: [{ alias: 'k_year', sql: 'extract(year FROM d.announced_on)::int' }],
  [DealGroupBy.QUARTER]: [
    { alias: 'k_year', sql: 'extract(year FROM d.announced_on)::int' },
    { alias: 'k_quarter', sql: 'extract(quarter FROM d.announced_on)::int' },
  ],
  [DealGroupBy.KIND]: [{ alias: 'k_kind', sql: 'd.kind' }],
  [DealGroupBy.STUDIO]: [{ alias: 'k_studio', sql: 'gp.studio_id' }],
  [DealGroupBy.PARTY_ROLE]: [{ alias: 'k_party_role', sql: 'gp.role' }],
  [DealGroupBy.COUNTRY]: [{ alias: 'k_country', sql: 'gs.country' }],
};

const BY_PARTY = new Set([DealGroupBy.STUDIO, DealGroupBy.PARTY_ROLE, DealGroupBy.COUNTRY]);

/**
 * One statement: the deals matching the filter (one row per deal and party when grouping by party),
 * made distinct per group so a deal never counts twice in one group, then aggregated. The studios of
 * a STUDIO grouping are joined in the same statement.
 */
export async function dealStats(ctx: Context, args: DealStatsArgs, info?: GraphQLResolveInfo): Promise<DealStatsGroup[]> {
  const { groupBy, filter } = args;
  if (info) checkSelectedKeys(selectedFieldNames(info), groupBy, KEY_FIELDS);
  const params = new Params();
  const keys = [...new Map(distinctKeys(groupBy).flatMap((g) => KEYS[g]).map((k) => [k.alias, k])).values()];
  const where = dealConditions(filter, params);
  await verifyReferences(ctx.db, params);
  const byParty = groupBy.some((g) => BY_PARTY.has(g));
  const withStudio = groupBy.includes(DealGroupBy.STUDIO);
  const keyList = keys.map((k) => k.alias);
  const having = statsHaving(MEASURES, args.having, params);
  const sql = `
    SELECT g.*${withStudio ? `, ${studioColumns('s')}` : ''}
      FROM (
        SELECT ${[...keyList, ''].join(', ')}
               count(*)::int AS count, count(value_usd)::int AS valued_count, COALESCE(sum(value_usd), 0) AS total_value_usd,
               round(avg(stake_percent), 4) AS average_stake_percent, max(stake_percent) AS max_stake_percent,
               ${measureAggregates(MEASURES).join(', ')}
          FROM (
            SELECT DISTINCT ${[...keys.map((k) => `${k.sql} AS ${k.alias}`), ''].join(', ')} d.id, d.value_usd, d.stake_percent, ${measureColumns(MEASURES).join(', ')}
              FROM deal d${byParty ? ' JOIN deal_party gp ON gp.deal_id = d.id JOIN studio gs ON gs.id = gp.studio_id' : ''}
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ) x
         ${keyList.length ? `GROUP BY ${keyList.join(', ')}` : ''}
      ) g${withStudio ? ' LEFT JOIN studio s ON s.id = g.k_studio' : ''}
     ${having.length ? `WHERE ${having.join(' AND ')}` : ''}
     ORDER BY ${[...statsOrderBy(MEASURES, args.orderBy), ...keyList.map((k) => (k === 'k_studio' ? 's.name NULLS LAST, g.k_studio' : `g.${k} NULLS LAST`)), 'g.count DESC'].join(', ')}
     LIMIT ${statsLimit(args.first)}`;
  const rows = await ctx.db.query(sql, params.values);
  if (args.first == null && rows.length > MAX_GROUPS) throw tooManyGroups();
  return rows.map((row) => {
    const group = new DealStatsGroup();
    group.year = (row.k_year as number | undefined) ?? null;
    group.quarter = (row.k_quarter as number | undefined) ?? null;
    group.kind = (row.k_kind as DealKind | undefined) ?? null;
    group.studio = withStudio && row.k_studio != null ? Studio.fromRow(row) : null;
    group.partyRole = (row.k_party_role as DealPartyRole | undefined) ?? null;
    group.country = (row.k_country as string | null | undefined)?.trim() ?? null;
    group.count = row.count as number;
    group.valuedCount = row.valued_count as number;
    group.totalValueUsd = row.total_value_usd as string;
    group.averageStakePercent = row.average_stake_percent as string | null;
    group.maxStakePercent = row.max_stake_percent as string | null;
    readMeasures(group as unknown as Record<string, unknown>, row, MEASURES);
    return group;
  });
}

@Resolver()
export class DealStatsResolver {
  // Aggregates over the whole catalogue move little with one write: kept longer.
  @CacheHint({ maxAge: 300 })
  @Query(() => [DealStatsGroup], {
    description:
      'Deal aggregates for analysts: per group, the count and the count, sum, average, minimum and maximum of the US-dollar value and the stake; groups ordered by any aggregate, filtered after grouping and cut. One SQL statement per call. With an empty groupBy, one group with the totals.',
  })
  dealStats(@Args() args: DealStatsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<DealStatsGroup[]> {
    return dealStats(ctx, args, info);
  }
}
