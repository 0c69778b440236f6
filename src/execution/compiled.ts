import {
  getNamedType,
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

/**
 * Compiled execution with graphql-jit. graphql-js interprets a query afresh on every request: for
 * each field of each object it looks up the field definition, coerces arguments and decides how to
 * complete the value. graphql-jit turns an operation into a JavaScript function once, cached by the
 * operation's text, so a repeated query (what clients and the playground send) runs as straight-line
 * code over the same resolvers.
 *
 * graphql-jit reads a field without a resolver as a plain property and does not wait for a promise
 * there, where graphql-js does; a resolver, on the other hand, costs a resolve-info object and a path
 * per call. So object types keep their fields plain (type-graphql's `simpleResolvers: true`) and the
 * few fields that hold a promise say `simple: false` (a network step's studios, a search hit's node,
 * a partner's deals, a connection's totalCount), which gives them a resolver that compiled code awaits.
 *
 * Operations graphql-jit cannot compile, or whose variables it would coerce wrongly, run on graphql-js.
 * graphql-jit is pinned to an exact version: test/execution.test.ts checks each of these behaviours.
 */

const CACHE_SIZE = 1_000;

export interface CompileStats {
  compiled: number;
  fallbacks: number;
  cached: number;
}

/** The compiled form of operations, by Apollo's hash of the query text and the operation's name. */
export class CompiledOperations {
  readonly stats: CompileStats = { compiled: 0, fallbacks: 0, cached: 0 };
  // `fallback` remembers an operation that could not be compiled.
  private readonly cache = new LRUCache<string, CompiledQuery | { fallback: true }>({ max: CACHE_SIZE });

  constructor(private readonly schema: GraphQLSchema) {}

  /** The compiled operation, or undefined when it must run on graphql-js. */
  get(document: DocumentNode, operation: OperationDefinitionNode, queryHash: string, operationName: string | undefined): CompiledQuery | undefined {
    const key = `${queryHash}:${operationName ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cached++;
      return 'fallback' in hit ? undefined : hit;
    }
    let result: CompiledQuery | ExecutionResult;
    try {
      if (takesInputJitCannotCoerce(this.schema, operation)) throw new Error('input types graphql-jit cannot coerce');
      result = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true }) as CompiledQuery | ExecutionResult;
    } catch {
      result = { errors: [] };
    }
    if (isCompiledQuery(result)) {
      this.stats.compiled++;
      this.cache.set(key, result);
      return result;
    }
    this.stats.fallbacks++;
    this.cache.set(key, { fallback: true });
    return undefined;
  }

  clear(): void {
    this.cache.clear();
  }
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
 * `not`: it unrolls a variable's type to coerce it, which never ends) and ones with a field default
 * (`direction: OrderDirection! = ASC`), which it does not fill in, so it refuses a valid request for a
 * missing field. Operations taking them run on graphql-js.
 */
export function jitCannotCoerce(type: unknown, path: GraphQLInputObjectType[]): boolean {
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
export function asGraphQLError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions ?? error.originalError?.['extensions' as never] });
  if (error.locations) Object.assign(copy, { locations: error.locations });
  return copy;
}
