import { Args, ArgsType, Ctx, Field, Info, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { CacheHint } from '../graphql/cache-control';
import { verifyReferences } from '../graphql/references';
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
  NumberStats,
  readMeasures,
  statsHaving,
  statsInputs,
  statsLimit,
  statsOrderBy,
  tooManyGroups,
} from '../graphql/stats';
import { Producer } from '../producer/producer.type';
import { Studio, studioColumns } from '../studio/studio.type';
import { FilmStatus, MpaaRating } from './film.enums';
import { FilmFilter } from './film.inputs';
import { filmConditions } from './film.lists';

export enum FilmGroupBy {
  YEAR = 'YEAR',
  GENRE = 'GENRE',
  STUDIO = 'STUDIO',
  DISTRIBUTOR = 'DISTRIBUTOR',
  DIRECTOR = 'DIRECTOR',
  STATUS = 'STATUS',
  MPAA_RATING = 'MPAA_RATING',
  SOURCE_MATERIAL = 'SOURCE_MATERIAL',
  CREATIVE_TYPE = 'CREATIVE_TYPE',
}

registerEnumType(FilmGroupBy, {
  name: 'FilmGroupBy',
  description:
    'A key to group films by. GENRE, STUDIO, DISTRIBUTOR and DIRECTOR can put a film in several groups (one per genre, per credited studio, ...), so such groups can add up to more than all films.',
  valuesConfig: {
    YEAR: { description: 'Year of release (films without a release date form a group with a null year).' },
    GENRE: { description: 'Each genre of the film (films without genres form a group with a null genre).' },
    STUDIO: { description: 'Each studio credited on the film, in any role (films without studios form a null group).' },
    DISTRIBUTOR: { description: 'Each studio credited with DISTRIBUTION (films without one form a null group).' },
    DIRECTOR: { description: 'Each person credited as DIRECTOR (films without one form a null group).' },
    STATUS: { description: 'Status of the film.' },
    MPAA_RATING: { description: 'MPAA rating (null when unknown).' },
    SOURCE_MATERIAL: { description: 'Source material ("Original Screenplay", ...; null when unknown).' },
    CREATIVE_TYPE: { description: 'Creative type ("Science Fiction", ...; null when unknown).' },
  },
});

export enum FilmMeasure {
  BUDGET_USD = 'BUDGET_USD',
  WORLDWIDE_GROSS_USD = 'WORLDWIDE_GROSS_USD',
  US_GROSS_USD = 'US_GROSS_USD',
  US_DVD_SALES_USD = 'US_DVD_SALES_USD',
  RUNNING_TIME_MINUTES = 'RUNNING_TIME_MINUTES',
  ROTTEN_TOMATOES_RATING = 'ROTTEN_TOMATOES_RATING',
  IMDB_RATING = 'IMDB_RATING',
  IMDB_VOTES = 'IMDB_VOTES',
}

registerEnumType(FilmMeasure, {
  name: 'FilmMeasure',
  description: 'A numeric field of films, aggregated per group (the group\'s field of the same name).',
  valuesConfig: {
    BUDGET_USD: { description: 'Production budget in US dollars (budgets in other currencies left out).' },
    WORLDWIDE_GROSS_USD: { description: 'Worldwide gross in US dollars (grosses in other currencies left out).' },
    US_GROSS_USD: { description: 'US box-office gross in US dollars.' },
    US_DVD_SALES_USD: { description: 'US DVD sales in US dollars.' },
    RUNNING_TIME_MINUTES: { description: 'Running time in minutes.' },
    ROTTEN_TOMATOES_RATING: { description: 'Rotten Tomatoes rating, 0 to 100.' },
    IMDB_RATING: { description: 'IMDb rating, 1 to 10.' },
    IMDB_VOTES: { description: 'IMDb votes.' },
  },
});

const MEASURES: Measure<FilmMeasure>[] = [
  { name: FilmMeasure.BUDGET_USD, field: 'budgetUsd', sql: "CASE WHEN f.budget_currency = 'USD' THEN f.budget_amount END", exact: true },
  { name: FilmMeasure.WORLDWIDE_GROSS_USD, field: 'worldwideGrossUsd', sql: "CASE WHEN f.worldwide_gross_currency = 'USD' THEN f.worldwide_gross_amount END", exact: true },
  { name: FilmMeasure.US_GROSS_USD, field: 'usGrossUsd', sql: 'f.us_gross_usd', exact: true },
  { name: FilmMeasure.US_DVD_SALES_USD, field: 'usDvdSalesUsd', sql: 'f.us_dvd_sales_usd', exact: true },
  { name: FilmMeasure.RUNNING_TIME_MINUTES, field: 'runningTimeMinutes', sql: 'f.running_time_minutes', exact: false },
  { name: FilmMeasure.ROTTEN_TOMATOES_RATING, field: 'rottenTomatoesRating', sql: 'f.rotten_tomatoes_rating', exact: false },
  { name: FilmMeasure.IMDB_RATING, field: 'imdbRating', sql: 'f.imdb_rating', exact: false },
  { name: FilmMeasure.IMDB_VOTES, field: 'imdbVotes', sql: 'f.imdb_votes', exact: false },
];

const { Order: FilmStatsOrder, Condition: FilmStatsCondition } = statsInputs(FilmMeasure, 'Film');

@ObjectType('FilmStatsGroup', {
  description:
    'Aggregates over one group of films: the keys grouped by (selecting another key is an error), the count, and per numeric field its count, sum, average, minimum and maximum. Money is in US dollars: amounts reported in other currencies are left out.',
  simpleResolvers: true,
})
export class FilmStatsGroup {
  @Field(() => Int, { nullable: true, description: 'Year of release (grouped by YEAR).' })
  year!: number | null;

  @Field(() => String, { nullable: true, description: 'Genre (grouped by GENRE).' })
  genre!: string | null;

  @Field(() => Studio, { nullable: true, description: 'Credited studio (grouped by STUDIO).' })
  studio!: Studio | null;

  @Field(() => Studio, { nullable: true, description: 'Distributing studio (grouped by DISTRIBUTOR).' })
  distributor!: Studio | null;

  @Field(() => Producer, { nullable: true, description: 'Director (grouped by DIRECTOR).' })
  director!: Producer | null;

  @Field(() => FilmStatus, { nullable: true, description: 'Status (grouped by STATUS).' })
  status!: FilmStatus | null;

  @Field(() => MpaaRating, { nullable: true, description: 'MPAA rating (grouped by MPAA_RATING).' })
  mpaaRating!: MpaaRating | null;

  @Field(() => String, { nullable: true, description: 'Source material (grouped by SOURCE_MATERIAL).' })
  sourceMaterial!: string | null;

  @Field(() => String, { nullable: true, description: 'Creative type (grouped by CREATIVE_TYPE).' })
  creativeType!: string | null;

  @Field(() => Int, { description: 'Number of films in the group.' })
  count!: number;

  @Field(() => DecimalStats, { description: 'Production budgets in US dollars.' })
  budgetUsd!: DecimalStats;

  @Field(() => DecimalStats, { description: 'Worldwide grosses in US dollars.' })
  worldwideGrossUsd!: DecimalStats;

  @Field(() => DecimalStats, { description: 'US box-office grosses in US dollars.' })
  usGrossUsd!: DecimalStats;

  @Field(() => DecimalStats, { description: 'US DVD sales in US dollars.' })
  usDvdSalesUsd!: DecimalStats;

  @Field(() => NumberStats, { description: 'Running times in minutes.' })
  runningTimeMinutes!: NumberStats;

  @Field(() => NumberStats, { description: 'Rotten Tomatoes ratings, 0 to 100.' })
  rottenTomatoesRating!: NumberStats;

  @Field(() => NumberStats, { description: 'IMDb ratings, 1 to 10.' })
  imdbRating!: NumberStats;

  @Field(() => NumberStats, { description: 'IMDb votes.' })
  imdbVotes!: NumberStats;

  @Field(() => Int, { description: 'Number of those films with a budget reported in US dollars (as budgetUsd.count).' })
  budgetCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the budgets in US dollars ("0" when none; as budgetUsd.sum).' })
  totalBudgetUsd!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average budget in US dollars, rounded to the cent; null when none.' })
  averageBudgetUsd!: string | null;

  @Field(() => Int, { description: 'Number of those films with a worldwide gross reported in US dollars (as worldwideGrossUsd.count).' })
  grossCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the worldwide grosses in US dollars ("0" when none; as worldwideGrossUsd.sum).' })
  totalWorldwideGrossUsd!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average worldwide gross in US dollars, rounded to the cent; null when none.' })
  averageWorldwideGrossUsd!: string | null;
}

const KEYS: Record<FilmGroupBy, GroupKey> = {
  [FilmGroupBy.YEAR]: { alias: 'k_year', sql: 'extract(year FROM f.release_date)::int' },
  [FilmGroupBy.GENRE]: { alias: 'k_genre', sql: 'gg.genre' },
  [FilmGroupBy.STUDIO]: { alias: 'k_studio', sql: 'gfs.studio_id' },
  [FilmGroupBy.DISTRIBUTOR]: { alias: 'k_distributor', sql: 'gfd.studio_id' },
  [FilmGroupBy.DIRECTOR]: { alias: 'k_director', sql: 'gfp.producer_id' },
  [FilmGroupBy.STATUS]: { alias: 'k_status', sql: 'f.status' },
  [FilmGroupBy.MPAA_RATING]: { alias: 'k_mpaa_rating', sql: 'f.mpaa_rating' },
  [FilmGroupBy.SOURCE_MATERIAL]: { alias: 'k_source_material', sql: 'f.source_material' },
  [FilmGroupBy.CREATIVE_TYPE]: { alias: 'k_creative_type', sql: 'f.creative_type' },
};

/** Each key field of a group, and the groupBy value that sets it. */
const KEY_FIELDS: Record<string, FilmGroupBy[]> = {
  year: [FilmGroupBy.YEAR],
  genre: [FilmGroupBy.GENRE],
  studio: [FilmGroupBy.STUDIO],
  distributor: [FilmGroupBy.DISTRIBUTOR],
  director: [FilmGroupBy.DIRECTOR],
  status: [FilmGroupBy.STATUS],
  mpaaRating: [FilmGroupBy.MPAA_RATING],
  sourceMaterial: [FilmGroupBy.SOURCE_MATERIAL],
  creativeType: [FilmGroupBy.CREATIVE_TYPE],
};

@ArgsType()
export class FilmStatsArgs {
  @Field(() => [FilmGroupBy], { description: 'Keys to group by, in order (the groups are sorted the same way unless orderBy says otherwise). Empty: one overall group.' })
  groupBy!: FilmGroupBy[];

  @Field(() => FilmFilter, { nullable: true, description: 'Only the films meeting these conditions.' })
  filter?: FilmFilter | null;

  @Field(() => [FilmStatsOrder], { nullable: true, description: 'Order the groups by aggregates, key after key (then by the groupBy keys): the top 10 by worldwide gross is `orderBy: [{ aggregate: SUM, measure: WORLDWIDE_GROSS_USD }], first: 10`.' })
  orderBy?: InstanceType<typeof FilmStatsOrder>[] | null;

  @Field(() => [FilmStatsCondition], { nullable: true, description: 'Keep only the groups meeting all these conditions (after grouping): `having: [{ gte: "5" }]` keeps groups of at least 5 films.' })
  having?: InstanceType<typeof FilmStatsCondition>[] | null;

  @Field(() => Int, { nullable: true, description: `Only the first this many groups, in order (1 to ${MAX_GROUPS}). Without it, a grouping of more than ${MAX_GROUPS} groups is an error.` })
  first?: number | null;
}

/**
 * One statement: distinct (group, film) rows, aggregated, filtered (having), ordered and cut; the
 * studios of a STUDIO grouping joined in it. The distributors and directors a grouping names are
 * read in one more statement each, through the request's loaders.
 */
export async function filmStats(ctx: Context, args: FilmStatsArgs, info?: GraphQLResolveInfo): Promise<FilmStatsGroup[]> {
  const { groupBy } = args;
  if (info) checkSelectedKeys(selectedFieldNames(info), groupBy, KEY_FIELDS);
  const params = new Params();
  const keys = distinctKeys(groupBy).map((g) => KEYS[g]);
  const where = filmConditions(args.filter, params);
  await verifyReferences(ctx.db, params);
  const withStudio = groupBy.includes(FilmGroupBy.STUDIO);
  const keyList = keys.map((k) => k.alias);
  const joins = [
    groupBy.includes(FilmGroupBy.GENRE) ? 'LEFT JOIN LATERAL unnest(f.genres) AS gg(genre) ON true' : '',
    withStudio ? 'LEFT JOIN (SELECT DISTINCT film_id, studio_id FROM film_studio) gfs ON gfs.film_id = f.id' : '',
    groupBy.includes(FilmGroupBy.DISTRIBUTOR) ? "LEFT JOIN film_studio gfd ON gfd.film_id = f.id AND gfd.role = 'DISTRIBUTION'" : '',
    groupBy.includes(FilmGroupBy.DIRECTOR) ? "LEFT JOIN film_producer gfp ON gfp.film_id = f.id AND gfp.role = 'DIRECTOR'" : '',
  ].join(' ');
  const having = statsHaving(MEASURES, args.having, params);
  const order = [
    ...statsOrderBy(MEASURES, args.orderBy),
    ...keyList.map((k) => (k === 'k_studio' ? 's.name NULLS LAST, g.k_studio' : `g.${k} NULLS LAST`)),
    'g.count DESC',
  ];
  const limit = statsLimit(args.first);
  const sql = `
    SELECT g.*${withStudio ? `, ${studioColumns('s')}` : ''}
      FROM (
        SELECT ${[...keyList, ''].join(', ')} count(*)::int AS count, ${measureAggregates(MEASURES).join(', ')},
               round(avg(m_0), 2) AS average_budget_usd, round(avg(m_1), 2) AS average_gross_usd
          FROM (
            SELECT DISTINCT ${[...keys.map((k) => `${k.sql} AS ${k.alias}`), ''].join(', ')} f.id, ${measureColumns(MEASURES).join(', ')}
              FROM film f ${joins}
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ) x
         ${keyList.length ? `GROUP BY ${keyList.join(', ')}` : ''}
      ) g${withStudio ? ' LEFT JOIN studio s ON s.id = g.k_studio' : ''}
     ${having.length ? `WHERE ${having.join(' AND ')}` : ''}
     ORDER BY ${order.join(', ')}
     LIMIT ${limit}`;
  const rows = await ctx.db.query(sql, params.values);
  if (args.first == null && rows.length > MAX_GROUPS) throw tooManyGroups();
  const distributors = await ctx.loaders.studioById.loadMany(rows.flatMap((r) => (r.k_distributor == null ? [] : [r.k_distributor as number])));
  const directors = await ctx.loaders.producerById.loadMany(rows.flatMap((r) => (r.k_director == null ? [] : [r.k_director as number])));
  const byId = <T extends { rowId: number }>(list: Array<T | Error | null>) => new Map(list.flatMap((x) => (x && !(x instanceof Error) ? [[x.rowId, x] as const] : [])));
  const distributorById = byId(distributors);
  const directorById = byId(directors);
  return rows.map((row) => {
    const group = new FilmStatsGroup();
    group.year = (row.k_year as number | undefined) ?? null;
    group.genre = (row.k_genre as string | undefined) ?? null;
    group.studio = withStudio && row.k_studio != null ? Studio.fromRow(row) : null;
    group.distributor = distributorById.get(row.k_distributor as number) ?? null;
    group.director = directorById.get(row.k_director as number) ?? null;
    group.status = (row.k_status as FilmStatus | undefined) ?? null;
    group.mpaaRating = (row.k_mpaa_rating as MpaaRating | undefined) ?? null;
    group.sourceMaterial = (row.k_source_material as string | undefined) ?? null;
    group.creativeType = (row.k_creative_type as string | undefined) ?? null;
    group.count = row.count as number;
    readMeasures(group as unknown as Record<string, unknown>, row, MEASURES);
    group.budgetCount = group.budgetUsd.count;
    group.totalBudgetUsd = group.budgetUsd.sum ?? '0';
    group.averageBudgetUsd = row.average_budget_usd as string | null;
    group.grossCount = group.worldwideGrossUsd.count;
    group.totalWorldwideGrossUsd = group.worldwideGrossUsd.sum ?? '0';
    group.averageWorldwideGrossUsd = row.average_gross_usd as string | null;
    return group;
  });
}

@Resolver()
export class FilmStatsResolver {
  @CacheHint({ maxAge: 300 })
  @Query(() => [FilmStatsGroup], {
    description:
      'Film aggregates for analysts: per group, the count and every numeric field\'s count, sum, average, minimum and maximum; groups ordered by any aggregate, filtered after grouping and cut. One SQL statement (plus one per kind of record a key names). With an empty groupBy, one group with the totals.',
  })
  filmStats(@Args() args: FilmStatsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<FilmStatsGroup[]> {
    return filmStats(ctx, args, info);
  }
}
