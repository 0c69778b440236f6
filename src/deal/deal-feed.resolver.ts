import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context';
import { badUserInput } from '../graphql/errors';
import { expectGlobalId } from '../graphql/ids';
import { SLUG } from '../graphql/validation';
import { type DealEvent, type DealFeed, feedCursor, parseFeedCursor } from './deal-feed';
import { DealKind } from './deal.enums';
import { Deal } from './deal.type';

interface DealAnnouncedArgs {
  kinds?: DealKind[] | null;
  studio?: string | null;
  after?: string | null;
}

@Resolver()
export class DealFeedResolver {
  @Subscription(() => Deal, {
    description:
      'Deals as they are announced (created through any instance of the service, the importer or the seed), over the graphql-ws protocol on /graphql, in the order they were committed. Each event is the deal as committed, with its parties and films. With `after` (a deal\'s feedCursor), the deals announced since are replayed first, then the live ones follow, with no gap and no repeat. Same API-key rules as queries.',
    subscribe: async ({ args, context }: { args: DealAnnouncedArgs; context: Context }) => {
      // Only the WebSocket server runs subscriptions (HTTP refuses them), and it always brings the feed.
      if (!context.feed) throw new Error('dealAnnounced ran without the live deal feed');
      const kinds = args.kinds?.length ? new Set(args.kinds) : undefined;
      const studioId = args.studio == null ? undefined : await studioRowId(context, args.studio);
      const after = args.after == null ? undefined : await resumeFrom(context.feed, args.after);
      return context.feed.subscribe({ kinds, studioId }, after);
    },
  })
  dealAnnounced(
    @Root() event: DealEvent,
    @Ctx() context: Context,
    @Arg('kinds', () => [DealKind], { nullable: true, description: 'Only deals of these kinds; all kinds when omitted or empty.' }) _kinds?: DealKind[],
    @Arg('studio', () => String, { nullable: true, description: 'Only deals with this studio among their parties: its slug or global ID.' }) _studio?: string,
    @Arg('after', () => String, {
      nullable: true,
      description:
        'Resume after this deal\'s announcement: its feedCursor, as the last event received gave it. The deals announced since (kept DEAL_FEED_RETENTION_DAYS, 7 by default) come first, in order, then the live ones.',
    })
    _after?: string,
  ): Promise<Deal> {
    // A subscription lives long: each event is read with fresh loaders, so it never shows data
    // cached from an earlier event.
    context.dropLoaders();
    context.loaders.announcementByDealId.prime(event.rowId, { dealId: event.rowId, seq: event.seq });
    return context.loaders.dealById.load(event.rowId).then((deal) => {
      if (!deal) throw new GraphQLError(`Deal ${event.rowId} was deleted right after it was announced.`, { extensions: { code: 'NOT_FOUND' } });
      return deal;
    });
  }
}

/** The announcement number to resume after; a cursor that is not the feed's, too old or ahead of it is an error naming `after`. */
async function resumeFrom(feed: DealFeed, cursor: string): Promise<number> {
  const seq = parseFeedCursor(cursor);
  if (seq === undefined) throw badUserInput('after', `"${cursor.slice(0, 60)}" is not a cursor of the deal feed: pass the feedCursor of the last deal you received.`);
  const problem = await feed.cursorProblem(seq);
  if (problem === 'too-old') {
    throw badUserInput(
      'after',
      `This cursor is older than the feed keeps (${feed.retentionDays} days): the announcements after it were removed. Read the deals you missed with deals (latest first), then subscribe without after.`,
    );
  }
  if (problem === 'ahead') throw badUserInput('after', 'This cursor is ahead of the deal feed: it was not given by this service (or its database was replaced). Subscribe without after.');
  return seq;
}

/** Deal.feedCursor: where the deal's announcement is in the live feed. */
@Resolver(() => Deal)
export class DealFeedCursorResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where this deal's announcement is in the live feed: subscribe with dealAnnounced(after:) set to it to receive the deals announced after it. Null for a deal created before the feed numbered announcements, or announced longer ago than the feed keeps them.",
  })
  feedCursor(@Root() deal: Deal, @Ctx() { loaders }: Context): Promise<string | null> {
    return loaders.announcementByDealId.load(deal.rowId).then((a) => (a ? feedCursor(a.seq) : null));
  }
}

/** The studio of a slug or global ID; an unknown one is an error that names the argument. */
async function studioRowId(context: Context, ref: string): Promise<number> {
  const studio = SLUG.test(ref) ? await context.loaders.studioBySlug.load(ref) : await context.loaders.studioById.load(expectGlobalId(ref, 'Studio', 'studio'));
  if (!studio) throw badUserInput('studio', `No studio has the ${SLUG.test(ref) ? 'slug' : 'ID'} "${ref}": subscribe with an existing studio's slug or ID.`);
  return studio.rowId;
}
