import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  getVariableValues,
  GraphQLError,
  GraphQLInputObjectType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { asBadUserInput } from './errors';
import { variableTextErrors } from './text';
import { useLeanGatewayRequestContexts } from './gateway-context';

/**
 * Compiled execution behind Apollo Server. graphql-js interprets a query afresh on every request:
 * for each field of each object it looks up the field definition, coerces arguments and decides how
 * to complete the value. graphql-jit turns an operation into a JavaScript function once, and the
 * function is cached by the operation's text, so a repeated query (what clients and the playground
 * send) runs as straight-line code over the same resolvers. Apollo still parses, validates, runs the
 * plugins (limits, trusted documents, logging) and formats errors; only execution changes.
 *
 * graphql-jit reads a field without a resolver as a plain property and does not wait for a promise
 * there, where graphql-js does; a resolver, on the other hand, costs a resolve-info object and a path
 * per call (an edge's `node`, a connection's `nodes`, once per parent). So object types keep their
 * fields plain (`simpleResolvers: true`) and the few fields that hold a promise say `simple: false`
 * (a network step's studios, a search hit's node, a partner's deals, a connection's totalCount), which
 * gives them type-graphql's resolver and makes the compiled code await them.
 *
 * Operations that graphql-jit cannot compile (it returns errors instead of a function), or whose
 * variables it coerces wrongly, run on the standard executor. Subscriptions are refused here: they
 * are served over WebSocket (src/subscriptions.ts). Apollo's `gateway` option is its documented hook
 * for a custom executor.
 */
export interface CompiledExecution {
  gateway: GatewayInterface;
  /** How many operations were compiled and how many ran on the standard executor, for tests and metrics. */
  stats: { compiled: number; fallbacks: number; cached: number };
}

const CACHE_SIZE = 1_000;

export function compiledExecution(schema: GraphQLSchema): CompiledExecution {
  // Apollo's own gateway request context kept every answer alive past its request (gateway-context.ts).
  useLeanGatewayRequestContexts();
  const stats = { compiled: 0, fallbacks: 0, cached: 0 };
  // Keyed by Apollo's hash of the query text and the operation's name; `fallback` remembers an operation
  // that could not be compiled.
  const cache = new LRUCache<string, CompiledQuery | { fallback: true }>({ max: CACHE_SIZE });

  function compiled(document: DocumentNode, operation: OperationDefinitionNode, queryHash: string, operationName: string | undefined): CompiledQuery | undefined {
    const key = `${queryHash}:${operationName ?? ''}`;
    const hit = cache.get(key);
    if (hit) {
      stats.cached++;
      return 'fallback' in hit ? undefined : hit;
    }
    let result: CompiledQuery | ExecutionResult;
    try {
      if (takesInputJitCannotCoerce(schema, operation)) throw new Error('input types graphql-jit cannot coerce');
      result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true }) as CompiledQuery | ExecutionResult;
    } catch {
      result = { errors: [] };
    }
    if (isCompiledQuery(result)) {
      stats.compiled++;
      cache.set(key, result);
      return result;
    }
    stats.fallbacks++;
    cache.set(key, { fallback: true });
    return undefined;
  }

  const executor: GatewayExecutor = async (requestContext) => {
    const { document, queryHash, operationName, operation, context: contextValue, request } = requestContext;
    if (operation.operation === 'subscription') {
      return {
        errors: [
          new GraphQLError('Subscriptions are served over WebSocket on /graphql (the graphql-ws protocol), not over HTTP POST or GET.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          }),
        ],
      };
    }
    if (operation.variableDefinitions?.length) {
      // graphql-js's coercion, for its error messages: they carry the scalar's own explanation ("Date
      // must be a calendar date ..."), where graphql-jit only names the expected type.
      const coerced = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors.map(asBadUserInput) };
      const textErrors = variableTextErrors(document, coerced.coerced);
      if (textErrors.length) return { errors: textErrors };
    }
    const query = operation.operation === 'query' || operation.operation === 'mutation' ? compiled(document, operation, queryHash, operationName ?? undefined) : undefined;
    if (!query) {
      return (await execute({ schema, document, contextValue, variableValues: request.variables, operationName })) as ExecutionResult;
    }
    const result = (await query.query(undefined, contextValue, request.variables ?? {})) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };

  const gateway: GatewayInterface = {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {
      cache.clear();
    },
  };
  return { gateway, stats };
}

/** Whether a variable of the operation has an input type graphql-jit cannot coerce (see jitCannotCoerce). */
function takesInputJitCannotCoerce(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type as Parameters<typeof typeFromAST>[1]);
    return type !== undefined && jitCannotCoerce(getNamedType(type), []);
  });
}

const unsupported = new WeakMap<GraphQLInputObjectType, boolean>();

/**
 * Input types graphql-jit 0.8 gets wrong in variables: recursive ones (a filter with `and`, `or` and
 * `not`: it unrolls a variable's type to coerce it, which never ends) and ones with a field default (`direction: OrderDirection! = ASC`), which it does not fill in, so
 * it refuses a valid request for a missing field. Operations taking them run on graphql-js.
 */
function jitCannotCoerce(type: unknown, path: GraphQLInputObjectType[]): boolean {
  if (!(type instanceof GraphQLInputObjectType)) return false;
  if (path.includes(type)) return true;
  const known = unsupported.get(type);
  if (known !== undefined) return known;
  const fields = Object.values(type.getFields());
  const result = fields.some((field) => field.defaultValue !== undefined) || fields.some((field) => jitCannotCoerce(getNamedType(field.type), [...path, type]));
  if (path.length === 0) unsupported.set(type, result);
  return result;
}

/**
 * graphql-jit's errors imitate graphql-js's but are not built by its constructor (no own `extensions`
 * object when the cause has none, for one); Apollo's error handling and the error formatter expect the
 * real thing. The same message, path, locations, cause and extensions, as graphql-js would report them.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions ?? error.originalError?.['extensions' as never] });
  if (error.locations) Object.assign(copy, { locations: error.locations });
  return copy;
}
