import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { fromGlobalId } from '../graphql/ids';
import { Node } from '../graphql/node';
import { quote } from '../graphql/text';

const MAX_NODES = 100;

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when it no longer exists.' })
  node(@Arg('id', () => ID, { description: 'A global ID, as returned in any `id` field.' }) id: string, @Ctx() ctx: Context) {
    return loadNode(id, 'id', ctx);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: `Several objects by their global IDs (at most ${MAX_NODES}), in the same order; null for each that no longer exists.`,
  })
  nodes(@Arg('ids', () => [ID], { description: 'Global IDs, as returned in `id` fields.' }) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > MAX_NODES) {
      throw badUserInput('ids', `Argument "ids" takes at most ${MAX_NODES} IDs, but got ${ids.length}.`);
    }
    return Promise.all(ids.map((id, i) => loadNode(id, `ids[${i}]`, ctx)));
  }
}

function loadNode(id: string, argumentName: string, { loaders }: Context): Promise<Node | null> {
  const decoded = fromGlobalId(id);
  if (!decoded) throw badUserInput(argumentName, `Argument "${argumentName}" is not a valid ID: ${quote(id)}.`);
  switch (decoded.type) {
    case 'Studio':
      return loaders.studioById.load(decoded.rowId);
    case 'Producer':
      return loaders.producerById.load(decoded.rowId);
    case 'Film':
      return loaders.filmById.load(decoded.rowId);
    case 'Deal':
      return loaders.dealById.load(decoded.rowId);
  }
}
