import type { Queryable } from '../db/pool';
import { RelationLoader, type SortKey } from '../graphql/connection';
import { badUserInput } from '../graphql/errors';
import { studioColumns } from '../studio/studio.type';
import type { Limits } from '../graphql/limits';
import { MAX_DEPTH, networkSql } from './network.sql';

export interface NetworkFilter {
  depth: number;
  kinds: string[] | null;
  ownership: boolean;
}

const NEAREST_FIRST: SortKey[] = [
  { name: 'DISTANCE', sql: 'n.distance', type: 'int' },
  { name: 'NAME', sql: 's.name', type: 'text' },
  { name: 'ID', sql: 's.id', type: 'int' },
];

/** Validates a walk's depth, naming the argument. */
export function checkDepth(depth: number, argumentName: string): void {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    throw badUserInput(argumentName, `Argument "${argumentName}" must be between 1 and ${MAX_DEPTH}, but got ${depth}.`);
  }
}

export function tooLarge(argumentName: string, depth: number, cap: number): Error {
  return badUserInput(
    argumentName,
    `The network within ${depth} links is too large to compute here (more than ${cap} studios and distances to visit). Lower "${argumentName}" or follow fewer deal "kinds".`,
  );
}

/** The per-request loader of studios' networks: every origin of a level walked in one statement. */
export function createNetworkLoaders(db: Queryable, limits: Limits) {
  const networkByStudioId = new RelationLoader<NetworkFilter>(db, {
    name: 'networkByStudioId',
    source: ({ depth, kinds, ownership }, params, parent, fields) => ({
      select: `${studioColumns('s', fields)}, n.distance AS "_distance", n.from_ids AS "_from", n.to_ids AS "_to", n.deal_ids AS "_deals", n.links AS "_links", n.truncated AS "_truncated"`,
      from: `(${networkSql(params, { origin: parent, depth, kinds, ownership, cap: limits.networkMaxPairs })}) n JOIN studio s ON s.id = n.studio_id`,
      where: [],
    }),
    order: () => NEAREST_FIRST,
    check: (rows, { depth }) => {
      if (rows.length && rows[0]._truncated) throw tooLarge('depth', depth, limits.networkMaxPairs);
    },
  });
  return { networkByStudioId };
}

type NetworkLoaders = ReturnType<typeof createNetworkLoaders>;

declare module '../graphql/context' {
  /** This domain's loaders, made by createNetworkLoaders. */
  interface Loaders extends NetworkLoaders {}
}
