import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, specifiedDirectives } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../auth/auth';
import { DealStatsResolver } from '../deal/deal-stats';
import { DealFeedCursorResolver, DealFeedResolver } from '../deal/deal-feed.resolver';
import { DealResolver } from '../deal/deal.resolver';
import { FilmStatsResolver } from '../film/film-stats';
import { FilmResolver } from '../film/film.resolver';
import { ProducerResolver } from '../producer/producer.resolver';
import { DealPathResolver, NetworkResolver } from '../network/network.resolver';
import { SearchResolver } from '../search/search.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { ApiKeyResolver } from '../auth/keys.resolver';
import { DealMutations } from '../deal/deal.mutations';
import { FilmMutations } from '../film/film.mutations';
import { ProducerMutations } from '../producer/producer.mutations';
import { StudioMutations } from '../studio/studio.mutations';
import { StudioResolver } from '../studio/studio.resolver';
import { StudioOwnershipResolver } from '../studio/studio-ownership';
import { FilmStudiosResolver } from '../film/film-studios';
import { FilmProducersResolver } from '../film/film-producers';
import { ProducerFilmsResolver } from '../film/producer-films';
import { StudioFilmsResolver } from '../film/studio-films';
import { ProducerStudiosResolver } from '../producer/producer-studios';
import { StudioProducersResolver } from '../producer/studio-producers';
import { DealFilmsResolver } from '../deal/deal-films';
import { DealPartiesResolver } from '../deal/deal-parties';
import { DealSourcesResolver } from '../deal/deal-sources';
import { FilmDealsResolver } from '../deal/film-deals';
import { StudioDealsResolver } from '../deal/studio-deals';
import { StudioPartnersResolver } from '../deal/studio-partners';
import { installDirectResolvers } from '../execution';
import { cacheControlDirective } from '../graphql/cache-control';
import { DIRECT_FIELDS } from './direct-fields';
import { NodeResolver } from './node.resolver';

/** Every resolver class of the service. */
export const RESOLVERS = [
      NodeResolver,
      SearchResolver,
      StudioResolver,
      ProducerResolver,
      FilmResolver,
      DealResolver,
      DealFeedResolver,
      DealFeedCursorResolver,
      DealStatsResolver,
      FilmStatsResolver,
      NetworkResolver,
      DealPathResolver,
      StudioMutations,
      ProducerMutations,
      FilmMutations,
      DealMutations,
      ApiKeyResolver,
      AuditResolver,
      // Relations, each in the folder that owns its link.
      StudioOwnershipResolver,
      StudioFilmsResolver,
      FilmStudiosResolver,
      FilmProducersResolver,
      ProducerFilmsResolver,
      StudioProducersResolver,
      ProducerStudiosResolver,
      StudioDealsResolver,
      StudioPartnersResolver,
      DealPartiesResolver,
      DealFilmsResolver,
      FilmDealsResolver,
      DealSourcesResolver,
] as const;

const built = new Map<string, Promise<GraphQLSchema>>();

/**
 * The executable schema, built once per process (and per setting) from the decorated classes. With
 * `direct`, the fields of src/app/direct-fields.ts call their methods directly (src/execution).
 * `extraResolvers` are for tests that add a field of their own.
 */
export function buildAppSchema(options: { direct?: boolean; extraResolvers?: Function[] } = {}): Promise<GraphQLSchema> {
  const direct = options.direct ?? true;
  const extra = options.extraResolvers ?? [];
  const key = `${direct}|${extra.map((r) => r.name).join(',')}`;
  let schema = built.get(key);
  if (!schema) built.set(key, (schema = build(direct, extra)));
  return schema;
}

function build(direct: boolean, extraResolvers: Function[]): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS, ...extraResolvers] as unknown as [Function, ...Function[]],
    // Arguments are checked where they are used (connection sizes, cursors, filters) with errors that
    // name the argument; class-validator is not involved in reads.
    validate: false,
    authChecker,
    // Cache hints (@CacheHint on types and fields): read by the HTTP layer for Cache-Control.
    directives: [...specifiedDirectives, cacheControlDirective],
    // type-graphql insists on a PubSub once there is a subscription, even when each one brings its own
    // `subscribe` (ours read the live deal feed, fed by PostgreSQL LISTEN/NOTIFY): this one is never used.
    pubSub: {
      publish() {
        throw new Error('events are published through PostgreSQL NOTIFY, not type-graphql');
      },
      subscribe() {
        throw new Error('subscriptions read the live deal feed, not type-graphql');
      },
    },
  })
    .then(describeRoot)
    .then((schema) => {
      // The listed fields call their methods directly: a global middleware added to buildSchema above
      // would not run for them (nor does a role check, which is why no listed field may have one).
      if (direct) installDirectResolvers(schema, DIRECT_FIELDS);
      return schema;
    });
}

/** The SDL committed as schema/schema.graphql: sorted, so that moving code around does not change it. */
export async function printAppSchema(): Promise<string> {
  // With the directives applied to types and fields (the cache hints), which graphql's printSchema leaves out.
  return `${printSchemaWithDirectives(lexicographicSortSchema(await buildAppSchema({ direct: false })))}\n`;
}

/** type-graphql cannot describe the root types themselves; the playground's docs pane opens on them. */
function describeRoot(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  const config = schema.toConfig();
  const describedQuery = new GraphQLObjectType({
    ...query.toConfig(),
    description:
      'The media-industry graph: studios, producers, films and the deals between them. Every list is a Relay cursor connection (first/after, last/before, at most 100 per page).',
  });
  const describedMutation =
    mutation &&
    new GraphQLObjectType({
      ...mutation.toConfig(),
      description:
        'Changes to the catalogue. Each mutation needs an API key with the EDITOR role (keys and the audit history: ADMIN), runs in one transaction, is validated before anything is written, and is recorded in the audit history. Updates and deletes name the version they expect. A write that changes nothing (the values already there, a credit already given) is accepted and leaves the version and the audit history as they were. Mutations of one operation run in order, and each answer shows the catalogue after every write before it.',
    });
  const describedSubscription =
    subscription &&
    new GraphQLObjectType({
      ...subscription.toConfig(),
      description:
        'Live events, over WebSocket on /graphql (the graphql-ws protocol; pass the API key as the connection parameter "authorization": "Bearer <key>" or as the Authorization header of the upgrade request). Every instance of the service delivers every event.',
    });
  const replaced = new Map<unknown, GraphQLObjectType>([[query, describedQuery]]);
  if (mutation && describedMutation) replaced.set(mutation, describedMutation);
  if (subscription && describedSubscription) replaced.set(subscription, describedSubscription);
  return new GraphQLSchema({
    ...config,
    query: describedQuery,
    mutation: describedMutation ?? undefined,
    subscription: describedSubscription ?? undefined,
    types: config.types.map((t) => replaced.get(t) ?? t),
  });
}
