import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger';

/** Codes a client may see. Anything else is an internal error and is masked. */
export const PUBLIC_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * A bad argument: the message says what was expected and what came instead, and `argumentName`
 * names the argument (a dotted path for input object fields, such as `filter.releaseDate.gte`).
 */
export function badUserInput(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

/**
 * Apollo's `formatError`: client-facing errors pass through untouched; everything else (a database
 * error, a bug) is replaced by a generic message and an error id, and the real error is logged under
 * that id. SQL text, constraint names and stack traces therefore never reach a client.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = unwrapResolverError(error);
    if (typeof code === 'string' && PUBLIC_CODES.has(code) && original instanceof GraphQLError) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const errorId = randomUUID();
    log.error({ errorId, err: original, path: formatted.path }, 'internal error while executing a GraphQL operation');
    return {
      message: `Internal server error. Quote error id ${errorId} when reporting it.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}
