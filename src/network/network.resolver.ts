import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { DealKind } from '../deal/deal.enums';
import type { Deal } from '../deal/deal.type';
import { Params } from '../graphql/connection';
import type { Context, Loaders } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { Studio } from '../studio/studio.type';
import { checkDepth, tooLarge } from './network.loaders';
import { LinkKind, MAX_DEPTH, networkSql } from './network.sql';
import { DealPath, NetworkArgs, NetworkStep, StudioNetworkConnection } from './network.types';

/** Steps from the parallel arrays a walk returns; studios and deals come from the batched loaders. */
function stepsOf(row: Record<string, unknown>, loaders: Loaders): NetworkStep[] {
  const from = row._from as number[];
  const to = row._to as number[];
  const deals = row._deals as (number | null)[];
  const links = row._links as LinkKind[];
  return links.map((link, i) => {
    const step = new NetworkStep();
    step.link = link;
    // Promises: graphql-js awaits them, and the loaders batch every step of the response together.
    step.from = loaders.studioById.load(from[i]) as unknown as Studio;
    step.to = loaders.studioById.load(to[i]) as unknown as Studio;
    step.deal = deals[i] === null ? null : (loaders.dealById.load(deals[i]!) as unknown as Deal);
    return step;
  });
}

async function dealsOf(row: Record<string, unknown>, loaders: Loaders): Promise<Deal[]> {
  const ids = (row._deals as (number | null)[]).filter((id): id is number => id !== null);
  return (await loaders.dealById.loadMany(ids)).filter((d): d is Deal => d !== null && !(d instanceof Error));
}

@Resolver(() => Studio)
export class NetworkResolver {
  @FieldResolver(() => StudioNetworkConnection, {
    description:
      'The studios reachable from this one through deals (and ownership, unless includeOwnership is false) within `depth` links, nearest first, each with its distance and one shortest path. Computed in PostgreSQL; all the studios of a list are walked in one statement.',
  })
  network(@Root() studio: Studio, @Args() args: NetworkArgs, @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo) {
    checkDepth(args.depth, 'depth');
    const kinds = args.kinds && args.kinds.length ? [...new Set(args.kinds)].sort() : null;
    return loaders.networkByStudioId.connection(studio.rowId, { depth: args.depth, kinds, ownership: args.includeOwnership }, args, (row) => ({
      node: Studio.fromRow(row),
      distance: row._distance as number,
      path: stepsOf(row, loaders),
      get deals() {
        return dealsOf(row, loaders);
      },
    }), info);
  }
}

@Resolver()
export class DealPathResolver {
  @Query(() => DealPath, {
    nullable: true,
    description:
      'The shortest chain of deals linking two studios, or null when none exists within maxDepth links. A subsidiary counts as linked to its parent company (Alibaba Pictures to Alibaba Group) unless includeOwnership is false, and the path says where it used such a link. Computed in PostgreSQL by a bounded recursive query.',
  })
  async dealPath(
    @Arg('from', { description: 'Slug of the studio to start from, such as "wanda-film".' }) fromSlug: string,
    @Arg('to', { description: 'Slug of the studio to reach, such as "stx-entertainment".' }) toSlug: string,
    @Ctx() { db, loaders, limits }: Context,
    @Arg('kinds', () => [DealKind], { nullable: true, description: 'Follow only deals of these kinds (all kinds when not given).' }) kinds?: DealKind[] | null,
    @Arg('maxDepth', () => Int, { defaultValue: MAX_DEPTH, description: `Longest path to look for, 1 to ${MAX_DEPTH} links.` }) maxDepth = MAX_DEPTH,
    @Arg('includeOwnership', () => Boolean, { defaultValue: true, description: 'Also follow links between subsidiaries and their parent companies.' }) includeOwnership = true,
  ): Promise<DealPath | null> {
    checkDepth(maxDepth, 'maxDepth');
    const [from, to] = await Promise.all([loaders.studioBySlug.load(fromSlug), loaders.studioBySlug.load(toSlug)]);
    if (!from) throw badUserInput('from', `No studio has the slug "${fromSlug}" (argument "from").`);
    if (!to) throw badUserInput('to', `No studio has the slug "${toSlug}" (argument "to").`);
    const path = new DealPath();
    path.from = from;
    path.to = to;
    if (from.rowId === to.rowId) {
      Object.assign(path, { length: 0, steps: [], deals: [], throughOwnership: false });
      return path;
    }
    const params = new Params();
    const origin = params.add(from.rowId, 'int');
    const target = params.add(to.rowId, 'int');
    const walk = networkSql(params, { origin, depth: maxDepth, kinds: kinds && kinds.length ? kinds : null, ownership: includeOwnership, cap: limits.networkMaxPairs });
    const [row] = await db.query(
      `SELECT n.distance AS "_distance", n.from_ids AS "_from", n.to_ids AS "_to", n.deal_ids AS "_deals", n.links AS "_links", n.truncated AS "_truncated"
         FROM (${walk}) n WHERE n.studio_id = ${target} OR n.truncated
        ORDER BY n.truncated DESC LIMIT 1`,
      params.values,
    );
    if (row?._truncated) throw tooLarge('maxDepth', maxDepth, limits.networkMaxPairs);
    if (!row) return null;
    path.length = row._distance as number;
    path.steps = stepsOf(row, loaders);
    path.deals = await dealsOf(row, loaders);
    path.throughOwnership = (row._links as LinkKind[]).some((link) => link !== LinkKind.DEAL);
    return path;
  }
}
