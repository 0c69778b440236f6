import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DealResolver } from '../deal/deal.resolver';
import { FilmResolver } from '../film/film.resolver';
import { ProducerResolver } from '../producer/producer.resolver';
import { StudioResolver } from '../studio/studio.resolver';
import { NodeResolver } from './node.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the decorated classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, StudioResolver, ProducerResolver, FilmResolver, DealResolver],
    // Arguments are checked where they are used (connection sizes, cursors, filters) with errors that
    // name the argument; class-validator is not involved in reads.
    validate: false,
  });
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so that moving code around does not change it. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
