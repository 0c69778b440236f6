import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../auth/auth';
import { DealStatsResolver } from '../deal/deal-stats';
import { DealFeedResolver } from '../deal/deal-feed.resolver';
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
import { leanFieldResolvers } from './lean-resolvers';
import { NodeResolver } from './node.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the decorated classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      NodeResolver,
      SearchResolver,
      StudioResolver,
      ProducerResolver,
      FilmResolver,
      DealResolver,
      DealFeedResolver,
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
    ],
    // Arguments are checked where they are used (connection sizes, cursors, filters) with errors that
    // name the argument; class-validator is not involved in reads.
    validate: false,
    authChecker,
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
      // Root queries and nested fields without roles or middlewares call their methods directly
      // (lean-resolvers.ts): a global middleware added to buildSchema above would not run for them;
      // add it there too.
      leanFieldResolvers(schema);
      return schema;
    });
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so that moving code around does not change it. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
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
