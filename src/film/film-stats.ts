import { Arg, Ctx, Field, Int, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context';
import { Params } from '../graphql/connection';
import { DecimalScalar } from '../graphql/scalars';
import { distinctKeys, type GroupKey, MAX_GROUPS, tooManyGroups } from '../graphql/stats';
import { Studio, studioColumns } from '../studio/studio.type';
import { FilmStatus } from './film.enums';
import { FilmFilter } from './film.inputs';
import { filmConditions } from './film.loaders';
import { CacheHint } from '../graphql/cache-control';

export enum FilmGroupBy {
  YEAR = 'YEAR',
  GENRE = 'GENRE',
  STUDIO = 'STUDIO',
  STATUS = 'STATUS',
}

registerEnumType(FilmGroupBy, {
  name: 'FilmGroupBy',
  description:
    'A key to group films by. GENRE and STUDIO can put a film in several groups (one per genre, one per credited studio), so such groups can add up to more than all films.',
  valuesConfig: {
    YEAR: { description: 'Year of release (films without a release date form a group with a null year).' },
    GENRE: { description: 'Each genre of the film (films without genres form a group with a null genre).' },
    STUDIO: { description: 'Each studio credited on the film, in any role (films without studios form a null group).' },
    STATUS: { description: 'Status of the film.' },
  },
});

@ObjectType('FilmStatsGroup', {
  description:
    'Aggregates over one group of films. Key fields not grouped by are null. Money is in US dollars: budgets and grosses reported in other currencies are left out of the sums and averages.',
  simpleResolvers: true,
})
export class FilmStatsGroup {
  @Field(() => Int, { nullable: true, description: 'Year of release (grouped by YEAR).' })
  year!: number | null;

  @Field(() => String, { nullable: true, description: 'Genre (grouped by GENRE).' })
  genre!: string | null;

  @Field(() => Studio, { nullable: true, description: 'Credited studio (grouped by STUDIO).' })
  studio!: Studio | null;

  @Field(() => FilmStatus, { nullable: true, description: 'Status (grouped by STATUS).' })
  status!: FilmStatus | null;

  @Field(() => Int, { description: 'Number of films in the group.' })
  count!: number;

  @Field(() => Int, { description: 'Number of those films with a budget reported in US dollars.' })
  budgetCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the budgets in US dollars ("0" when none).' })
  totalBudgetUsd!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average budget in US dollars, rounded to the cent; null when none.' })
  averageBudgetUsd!: string | null;

  @Field(() => Int, { description: 'Number of those films with a worldwide gross reported in US dollars.' })
  grossCount!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the worldwide grosses in US dollars ("0" when none).' })
  totalWorldwideGrossUsd!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average worldwide gross in US dollars, rounded to the cent; null when none.' })
  averageWorldwideGrossUsd!: string | null;
}

const KEYS: Record<FilmGroupBy, GroupKey> = {
  [FilmGroupBy.YEAR]: { alias: 'k_year', sql: 'extract(year FROM f.release_date)::int' },
  [FilmGroupBy.GENRE]: { alias: 'k_genre', sql: 'gg.genre' },
  [FilmGroupBy.STUDIO]: { alias: 'k_studio', sql: 'gfs.studio_id' },
  [FilmGroupBy.STATUS]: { alias: 'k_status', sql: 'f.status' },
};

/** One statement, like `dealStats`: distinct (group, film) rows, aggregated; studios joined. */
export async function filmStats(ctx: Context, filter: FilmFilter | null | undefined, groupBy: FilmGroupBy[]): Promise<FilmStatsGroup[]> {
  const params = new Params();
  const keys = distinctKeys(groupBy).map((g) => KEYS[g]);
  const where = filmConditions(filter, params);
  const withStudio = groupBy.includes(FilmGroupBy.STUDIO);
  const keyList = keys.map((k) => k.alias);
  const joins = [
    groupBy.includes(FilmGroupBy.GENRE) ? 'LEFT JOIN LATERAL unnest(f.genres) AS gg(genre) ON true' : '',
    withStudio ? 'LEFT JOIN (SELECT DISTINCT film_id, studio_id FROM film_studio) gfs ON gfs.film_id = f.id' : '',
  ].join(' ');
  const sql = `
    SELECT g.*${withStudio ? `, ${studioColumns('s')}` : ''}
      FROM (
        SELECT ${[...keyList, ''].join(', ')}
               count(*)::int AS count,
               count(budget_usd)::int AS budget_count, COALESCE(sum(budget_usd), 0) AS total_budget_usd, round(avg(budget_usd), 2) AS average_budget_usd,
               count(gross_usd)::int AS gross_count, COALESCE(sum(gross_usd), 0) AS total_gross_usd, round(avg(gross_usd), 2) AS average_gross_usd
          FROM (
            SELECT DISTINCT ${[...keys.map((k) => `${k.sql} AS ${k.alias}`), ''].join(', ')} f.id,
                   CASE WHEN f.budget_currency = 'USD' THEN f.budget_amount END AS budget_usd,
                   CASE WHEN f.worldwide_gross_currency = 'USD' THEN f.worldwide_gross_amount END AS gross_usd
              FROM film f ${joins}
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ) x
         ${keyList.length ? `GROUP BY ${keyList.join(', ')}` : ''}
      ) g${withStudio ? ' LEFT JOIN studio s ON s.id = g.k_studio' : ''}
     ORDER BY ${[...keyList.map((k) => (k === 'k_studio' ? 's.name NULLS LAST, g.k_studio' : `g.${k} NULLS LAST`)), 'g.count DESC'].join(', ')}
     LIMIT ${MAX_GROUPS + 1}`;
  const rows = await ctx.db.query(sql, params.values);
  if (rows.length > MAX_GROUPS) throw tooManyGroups();
  return rows.map((row) => {
    const group = new FilmStatsGroup();
    group.year = (row.k_year as number | undefined) ?? null;
    group.genre = (row.k_genre as string | undefined) ?? null;
    group.studio = withStudio && row.k_studio != null ? Studio.fromRow(row) : null;
    group.status = (row.k_status as FilmStatus | undefined) ?? null;
    group.count = row.count as number;
    group.budgetCount = row.budget_count as number;
    group.totalBudgetUsd = row.total_budget_usd as string;
    group.averageBudgetUsd = row.average_budget_usd as string | null;
    group.grossCount = row.gross_count as number;
    group.totalWorldwideGrossUsd = row.total_gross_usd as string;
    group.averageWorldwideGrossUsd = row.average_gross_usd as string | null;
    return group;
  });
}

@Resolver()
export class FilmStatsResolver {
  @CacheHint({ maxAge: 300 })
  @Query(() => [FilmStatsGroup], {
    description:
      'Film aggregates for analysts: count, total and average budget and worldwide gross in US dollars, per group. One SQL statement per call. With an empty groupBy, one group with the totals.',
  })
  filmStats(
    @Arg('groupBy', () => [FilmGroupBy], { description: 'Keys to group by, in order (the groups are sorted the same way). Empty: one overall group.' })
    groupBy: FilmGroupBy[],
    @Ctx() ctx: Context,
    @Arg('filter', () => FilmFilter, { nullable: true, description: 'Only the films meeting these conditions.' }) filter?: FilmFilter | null,
  ): Promise<FilmStatsGroup[]> {
    return filmStats(ctx, filter, groupBy);
  }
}
