import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DealStatsResolver } from '../deal/deal-stats';
import { DealResolver } from '../deal/deal.resolver';
import { FilmStatsResolver } from '../film/film-stats';
import { FilmResolver } from '../film/film.resolver';
import { ProducerResolver } from '../producer/producer.resolver';
import { DealPathResolver, NetworkResolver } from '../network/network.resolver';
import { SearchResolver } from '../search/search.resolver';
import { StudioResolver } from '../studio/studio.resolver';
import { NodeResolver } from './node.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the decorated classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, SearchResolver, StudioResolver, ProducerResolver, FilmResolver, DealResolver, DealStatsResolver, FilmStatsResolver, NetworkResolver, DealPathResolver],
    // Arguments are checked where they are used (connection sizes, cursors, filters) with errors that
    // name the argument; class-validator is not involved in reads.
    validate: false,
  }).then(describeRoot);
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so that moving code around does not change it. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}

/** type-graphql cannot describe the root type itself; the playground's docs pane opens on it. */
function describeRoot(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType()!;
  const config = schema.toConfig();
  const described = new GraphQLObjectType({
    ...query.toConfig(),
    description:
      'The media-industry graph: studios, producers, films and the deals between them. Every list is a Relay cursor connection (first/after, last/before, at most 100 per page).',
  });
  return new GraphQLSchema({ ...config, query: described, types: config.types.map((t) => (t === query ? described : t)) });
}
