import { randomUUID } from 'node:crypto';
import type { ASTNode, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { GraphQLError, isEnumType, Kind, parse, visit } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { databaseFailure } from '../db/failures';
import { shortenQuotes } from './text';
import type { Logger } from '../logger';

/** The codes of the limits on an operation's shape (limits/query-limits.ts and the HTTP layer). */
export const LIMIT_CODES = ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES', 'TOO_MANY_DIRECTIVES', 'TOO_MANY_TOKENS', 'TOO_MANY_OPERATIONS'];

/** Codes a client may see. Anything else is an internal error and is masked. */
export const PUBLIC_CODES = new Set([
  ...LIMIT_CODES,
  'TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
  'TOO_MANY_SUBSCRIPTIONS',
  'OPERATION_NOT_TRUSTED',
  'PAYLOAD_TOO_LARGE',
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
 * A variable that does not fit its type is the caller's mistake: BAD_USER_INPUT unless it says
 * otherwise. graphql-js reports these without a code; Apollo files them under BAD_USER_INPUT only when
 * it executes itself, so the compiled executor and the subscriptions do it here.
 */
export function asBadUserInput(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, originalError: error.originalError, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
}

/**
 * Apollo's `formatError`: client-facing errors pass through untouched; everything else (a database
 * error, a bug) is replaced by a generic message and an error id, and the real error is logged under
 * that id. SQL text, constraint names and stack traces therefore never reach a client.
 */
export function createErrorFormatter(log: Logger, schema?: GraphQLSchema, options: { listEnumValues?: boolean } = {}) {
  const format = clientError(log, schema, options);
  // However a message was made, what it quotes of the input is cut short (text.ts).
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const fields = result.extensions?.fields;
    return {
      ...result,
      message: shortenQuotes(result.message),
      ...(Array.isArray(fields)
        ? { extensions: { ...result.extensions, fields: fields.map((f: { field: string; message: string }) => ({ ...f, message: shortenQuotes(f.message) })) } }
        : {}),
    };
  };
}

function clientError(log: Logger, schema: GraphQLSchema | undefined, options: { listEnumValues?: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = unwrapResolverError(error);
    // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; the limit rules' own codes
    // are kept on the original error.
    const inner = (original as GraphQLError)?.originalError;
    const limitCode = inner instanceof GraphQLError ? inner.extensions?.code : undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && inner instanceof GraphQLError && typeof limitCode === 'string' && (LIMIT_CODES.includes(limitCode) || limitCode === 'BAD_USER_INPUT')) {
      return { ...formatted, extensions: { ...inner.extensions } };
    }
    // graphql-js 16 writes "more that".
    const tokens = /Document contains more tha[nt] (\d+) tokens/.exec(formatted.message);
    if (code === 'GRAPHQL_PARSE_FAILED' && tokens) {
      return {
        message: `The query has more than ${tokens[1]} tokens; split it into smaller queries.`,
        extensions: { code: 'TOO_MANY_TOKENS', limit: Number(tokens[1]) },
      };
    }
    const failure = databaseFailure(original);
    if (failure) {
      return { message: failure.message, locations: formatted.locations, path: formatted.path, extensions: { ...failure.extensions } };
    }
    if (code === 'GRAPHQL_VALIDATION_FAILED' && original instanceof GraphQLError) {
      const rewritten = unknownEnumLiteral(original, schema, options.listEnumValues ?? true) ?? invalidScalarLiteral(original);
      if (rewritten) return { ...formatted, ...rewritten };
    }
    if (code === 'BAD_USER_INPUT' && original instanceof GraphQLError && !formatted.extensions?.fields) {
      const field = invalidVariable(original.message);
      if (field) return { ...formatted, extensions: { ...formatted.extensions, fields: [field] } };
    }
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

/**
 * graphql-js reports an unknown enum literal ("Value "X" does not exist in "StudioKind" enum.") as a
 * validation failure without saying which argument it is in. It is a bad argument: rewrite it as
 * BAD_USER_INPUT naming the argument path (`filter.or[1].kind.eq`) and the values that exist.
 */
function unknownEnumLiteral(
  error: GraphQLError,
  schema: GraphQLSchema | undefined,
  listValues: boolean,
): Pick<GraphQLFormattedError, 'message' | 'extensions'> | undefined {
  const match = /^Value "(.*)" does not exist in "(\w+)" enum\./.exec(error.message);
  const node = error.nodes?.[0];
  if (!match || !node?.loc || !error.source) return undefined;
  const argumentName = argumentPath(error.source.body, node.loc.start);
  if (!argumentName) return undefined;
  const type = schema?.getType(match[2]);
  const values = listValues && type && isEnumType(type) ? ` Expected one of: ${type.getValues().map((v) => v.name).join(', ')}.` : '';
  return {
    message: `Argument "${argumentName}" has no ${match[2]} value "${match[1]}".${values}`,
    extensions: { code: 'BAD_USER_INPUT', argumentName },
  };
}

/**
 * A literal our scalars refused (Date, Decimal, DateTime): graphql-js says why, but not where. It is a
 * bad argument: BAD_USER_INPUT with the field, like a validation problem of a mutation input.
 */
function invalidScalarLiteral(error: GraphQLError): Pick<GraphQLFormattedError, 'message' | 'extensions'> | undefined {
  const match = /^Expected value of type "\w+!?", found .*?; ((?:Date|Decimal|DateTime) must be .*)$/.exec(error.message);
  const node = error.nodes?.[0];
  if (!match || !node?.loc || !error.source) return undefined;
  const argumentName = argumentPath(error.source.body, node.loc.start);
  if (!argumentName) return undefined;
  return {
    message: `Argument "${argumentName}": ${match[1]}`,
    extensions: { code: 'BAD_USER_INPUT', argumentName, fields: [{ field: argumentName, message: match[1] }] },
  };
}

/** `{ field, message }` from Apollo's message for a variable that failed to coerce. */
function invalidVariable(message: string): { field: string; message: string } | undefined {
  const match = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(message);
  return match ? { field: match[2] ?? match[1], message: match[3] } : undefined;
}

/** The dotted path of arguments and input fields leading to the value that starts at `offset`. */
function argumentPath(document: string, offset: number): string | undefined {
  let found: string | undefined;
  const enter = (node: ASTNode, _key: unknown, parent: unknown, path: readonly (string | number)[], ancestors: readonly unknown[]) => {
    if (found !== undefined || node.loc?.start !== offset) return;
    // chain[i] is reached from the document through path[0..i-1]; the step out of chain[i] is
    // path[i]. A list's element index is the step after its `values`. (graphql-js passes the
    // parent apart from the ancestors.)
    const chain = parent && ancestors[ancestors.length - 1] !== parent ? [...ancestors, parent] : [...ancestors];
    const parts: string[] = [];
    chain.forEach((item, i) => {
      if (Array.isArray(item)) return;
      const astNode = item as ASTNode;
      if (astNode.kind === Kind.ARGUMENT || astNode.kind === Kind.OBJECT_FIELD) parts.push(astNode.name.value);
      if (astNode.kind === Kind.LIST && typeof path[i + 1] === 'number') parts[parts.length - 1] += `[${path[i + 1]}]`;
    });
    found = parts.join('.');
  };
  visit(parse(document), { EnumValue: enter, StringValue: enter, IntValue: enter, FloatValue: enter });
  return found || undefined;
}
