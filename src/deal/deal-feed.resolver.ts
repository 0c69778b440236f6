import { GraphQLError } from 'graphql';
import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { expectGlobalId } from '../graphql/ids';
import { SLUG } from '../graphql/validation';
import type { DealEvent } from './deal-feed';
import { DealKind } from './deal.enums';
import { Deal } from './deal.type';

interface DealAnnouncedArgs {
  kinds?: DealKind[] | null;
  studio?: string | null;
}

@Resolver()
export class DealFeedResolver {
  @Subscription(() => Deal, {
    description:
      'Deals as they are announced (created through any instance of the service, the importer or the seed), over the graphql-ws protocol on /graphql. Each event is the deal as committed, with its parties and films. Same API-key rules as queries.',
    subscribe: async ({ args, context }: { args: DealAnnouncedArgs; context: Context }) => {
      // Only the WebSocket server runs subscriptions (HTTP refuses them), and it always brings the feed.
      if (!context.feed) throw new Error('dealAnnounced ran without the live deal feed');
      const kinds = args.kinds?.length ? new Set(args.kinds) : undefined;
      const studioId = args.studio == null ? undefined : await studioRowId(context, args.studio);
      return context.feed.subscribe({ kinds, studioId });
    },
  })
  dealAnnounced(
    @Root() event: DealEvent,
    @Ctx() context: Context,
    @Arg('kinds', () => [DealKind], { nullable: true, description: 'Only deals of these kinds; all kinds when omitted or empty.' }) _kinds?: DealKind[],
    @Arg('studio', () => String, { nullable: true, description: 'Only deals with this studio among their parties: its slug or global ID.' }) _studio?: string,
  ): Promise<Deal> {
    // A subscription lives long: each event is read with fresh loaders, so it never shows data
    // cached from an earlier event.
    context.dropLoaders();
    return context.loaders.dealById.load(event.rowId).then((deal) => {
      if (!deal) throw new GraphQLError(`Deal ${event.rowId} was deleted right after it was announced.`, { extensions: { code: 'NOT_FOUND' } });
      return deal;
    });
  }
}

/** The studio of a slug or global ID; an unknown one is an error that names the argument. */
async function studioRowId(context: Context, ref: string): Promise<number> {
  const studio = SLUG.test(ref) ? await context.loaders.studioBySlug.load(ref) : await context.loaders.studioById.load(expectGlobalId(ref, 'Studio', 'studio'));
  if (!studio) throw badUserInput('studio', `No studio has the ${SLUG.test(ref) ? 'slug' : 'ID'} "${ref}": subscribe with an existing studio's slug or ID.`);
  return studio.rowId;
}
