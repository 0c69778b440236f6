import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { asBadUserInput } from '../graphql/errors';
import { variableTextErrors } from '../graphql/text';
import { asGraphQLError, CompiledOperations, type CompileStats } from './compiled';
import { inSpan } from '../tracing';
import { RequestRetention } from './retention';

export { DirectResolverError, installDirectResolvers, isDirectResolver, type DirectFields, type DirectResolver } from './direct';

/**
 * How an operation runs, in one place: Apollo Server parses, validates and runs the plugins (limits,
 * trusted documents, logging) and formats errors; execution happens here, behind Apollo's documented
 * `gateway` hook for a custom executor. Two switches, both read from the configuration:
 * - `mode`: `compiled` runs operations as graphql-jit functions (compiled.ts), `standard` on graphql-js;
 * - direct resolvers on or off (direct.ts; installed on the schema when it is built, src/app/schema.ts).
 * Whatever the switches, the answers and errors are the same: `.ci/run` runs the whole suite with both
 * off as well.
 */

export interface ExecutionSettings {
  mode: 'compiled' | 'standard';
  /** Listed fields call their resolver methods directly (src/app/direct-fields.ts). */
  direct: boolean;
}

export interface Execution {
  gateway: GatewayInterface;
  /** Apollo plugin of the seam: lets go of a finished request's answer (retention.ts). */
  plugin: RequestRetention['plugin'];
  /** Call once a request's answer is written, with its context's `loaders`. */
  release(loaders: object): void;
  settings: ExecutionSettings;
  /** Operations compiled, served from the compiled cache, run on graphql-js; answers let go of. */
  stats: CompileStats & { standard: number; released: () => number };
}

export function createExecution(schema: GraphQLSchema, settings: ExecutionSettings): Execution {
  const compiled = new CompiledOperations(schema);
  const retention = new RequestRetention();
  const stats = Object.assign(compiled.stats, { standard: 0, released: () => retention.released });

  const executor: GatewayExecutor = (requestContext) => {
    // No operation of that name (or several and no name): the errors graphql-js gives, which Apollo
    // answers with a 400 (OPERATION_RESOLUTION_FAILURE). `operation` is undefined then.
    if (!requestContext.operation) {
      const name = requestContext.request.operationName;
      return Promise.resolve({
        errors: [new GraphQLError(name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.')],
      });
    }
    // The current span while it runs: each loader's batch and each statement is a child of it.
    return inSpan('graphql.execute', { 'graphql.operation.name': requestContext.operationName ?? '', 'graphql.operation.type': requestContext.operation.operation, 'graphql.execution.mode': settings.mode }, () =>
      run(requestContext),
    );
  };

  const run = async (requestContext: Parameters<GatewayExecutor>[0]): ReturnType<GatewayExecutor> => {
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
    const query = settings.mode === 'compiled' ? compiled.get(document, operation, queryHash, operationName ?? undefined) : undefined;
    if (!query) {
      stats.standard++;
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
      compiled.clear();
    },
  };
  return { gateway, plugin: retention.plugin, release: (loaders) => retention.release(loaders), settings, stats };
}
