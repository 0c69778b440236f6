import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type DocumentNode, type FragmentDefinitionNode, GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Config } from '../config';
import type { Execution } from '../execution';
import type { Context } from '../graphql/context';
import { cacheControlHeader, type CachePolicy, cachePolicy } from '../graphql/cache-control';
import { createErrorFormatter } from '../graphql/errors';
import { currentTraceId, endSpan, startSpan } from '../tracing';
import { excerpt, textLiteralRule } from '../graphql/text';
import type { CostBudget } from '../limits/admission';
import { costLimitPlugin, limitRules } from '../limits/query-limits';
import { manifestCache, trustedDocumentsPlugin } from '../limits/trusted-documents';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { type ResponseCache, responseCachePlugin } from './response-cache';

/**
 * Apollo Server as this service runs it: its executor is the execution seam (src/execution), its
 * landing page is off (the playground is ours, served offline), errors are formatted by
 * graphql/errors.ts, and its plugins apply the introspection policy, the cost limit and budget,
 * trusted documents, and write one log line and the metrics of each request.
 */
export function createApollo(options: {
  config: Config;
  schema: GraphQLSchema;
  execution: Execution;
  budget: CostBudget;
  manifest: Map<string, string> | undefined;
  log: Logger;
  metrics: Metrics;
  stats: { requests: number; statements: number };
  /** The response cache, when it is on. */
  responseCache?: ResponseCache;
}): { apollo: ApolloServer<Context>; formatError: ReturnType<typeof createErrorFormatter> } {
  const { config, schema, execution, budget, manifest, log, metrics, stats, responseCache } = options;
  const formatError = createErrorFormatter(log, schema, { listEnumValues: config.suggestions });
  const apollo = new ApolloServer<Context>({
    gateway: execution.gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: !config.suggestions,
    // Allowed here, and restricted by introspectionPlugin according to the setting.
    introspection: true,
    // Shutdown is ours (drain HTTP, then the pool, then PostgreSQL); Apollo's own signal handler would
    // stop it first and re-send the signal, cutting in-flight requests short.
    stopOnTerminationSignals: false,
    // Our own CSRF rule instead of Apollo's (src/http/server.ts): a POST must be JSON, which a browser
    // sends across origins only after a CORS preflight, and a GET runs queries only, which change
    // nothing; so a plain `fetch` of GET /graphql?query=... works from any page, and caches can keep it.
    csrfPrevention: false,
    allowBatchedHttpRequests: config.maxBatchOperations > 0,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    validationRules: [...limitRules(config.queryLimits), textLiteralRule],
    persistedQueries: manifest ? { cache: manifestCache(manifest), ttl: null } : {},
    plugins: [
      // Apollo's landing page loads Apollo Sandbox from a CDN; we serve our own playground instead.
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin reads hints while fields resolve, which compiled execution does
      // not report (and it wraps every field's resolver to do so); ours reads them from the operation.
      ApolloServerPluginCacheControlDisabled(),
      ...(manifest ? [trustedDocumentsPlugin(manifest)] : []),
      introspectionPlugin(config.introspection),
      costLimitPlugin(schema, config.queryLimits.maxCost, budget),
      cacheControlPlugin(schema, config.cacheMaxAgeSeconds),
      requestLogPlugin(log, metrics, stats),
      // After the limits and the policies: a hit is refused or shaped exactly as a miss would be.
      ...(responseCache ? [responseCachePlugin(responseCache)] : []),
      execution.plugin,
    ],
  });
  return { apollo, formatError };
}

/**
 * Cache-Control of every answer, from the `@cacheControl` hints of what the operation reads
 * (graphql/cache-control.ts), computed once per parsed document: `public, max-age=N` for a query
 * without an API key, `private, ...` with one (or when a hint says PRIVATE), `no-store` for mutations
 * and for answers with errors. ETags and 304s are the HTTP layer's (@fastify/etag, GET only).
 */
function cacheControlPlugin(schema: GraphQLSchema, defaultMaxAge: number): ApolloServerPlugin<Context> {
  const policies = new WeakMap<DocumentNode, Map<OperationDefinitionNode, CachePolicy | undefined>>();
  const policyOf = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let byOperation = policies.get(document);
    if (!byOperation) policies.set(document, (byOperation = new Map()));
    if (!byOperation.has(operation)) byOperation.set(operation, cachePolicy(schema, document, operation, defaultMaxAge));
    return byOperation.get(operation);
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ document, operation, response, contextValue }) {
          if (!response.http) return;
          const failed = response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          const policy = failed || !document || !operation ? undefined : policyOf(document, operation);
          response.http.headers.set('cache-control', cacheControlHeader(policy, contextValue?.auth?.name != null));
        },
      };
    },
  };
}

/** Introspection as configured: on, off, or only for callers with an API key. */
function introspectionPlugin(policy: Config['introspection']): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (policy === 'on' || !operation || !introspects(document, operation.selectionSet)) return;
          if (policy === 'off') {
            throw new GraphQLError('Introspection is turned off on this service.', { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
          }
          if (!contextValue.auth.role) {
            throw new GraphQLError('Introspection needs an API key here: send "Authorization: Bearer <key>" (the playground has a Headers tab).', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        },
      };
    },
  };
}

/**
 * Whether an operation reaches `__schema` or `__type` anywhere: at its root, under an alias, through
 * inline fragments or named fragments, at any depth (validation has already refused unknown
 * fragments and cycles; `seen` guards anyway).
 */
function introspects(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === '__schema' || selection.name.value === '__type' || (selection.selectionSet !== undefined && introspects(document, selection.selectionSet, seen));
      case Kind.INLINE_FRAGMENT:
        return introspects(document, selection.selectionSet, seen);
      case Kind.FRAGMENT_SPREAD: {
        if (seen.has(selection.name.value)) return false;
        seen.add(selection.name.value);
        const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        return fragment !== undefined && introspects(document, fragment.selectionSet, seen);
      }
    }
  });
}

/**
 * One log line and the metrics of each GraphQL request: operation, duration, SQL statements and error
 * codes. Errors that mean "try again later" set the HTTP status: 503 (with Retry-After) when the
 * database is unavailable or busy, 504 when a deadline cancelled the work.
 */
function requestLogPlugin(log: Logger, metrics: Metrics, stats: { requests: number; statements: number }): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async parsingDidStart() {
          const span = startSpan('graphql.parse');
          return async (error) => endSpan(span, error);
        },
        async validationDidStart() {
          const span = startSpan('graphql.validate');
          return async (errors) => endSpan(span, errors?.[0]);
        },
        async willSendResponse({ contextValue, operationName, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          if (codes.includes('SERVICE_UNAVAILABLE')) {
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          } else if (codes.includes('TIMEOUT')) {
            response.http.status = 504;
          }
          const statements = contextValue?.db?.statements ?? 0;
          stats.requests++;
          stats.statements += statements;
          metrics.requestDuration.observe({ operation: metrics.operation(operationName) }, seconds);
          metrics.statements.observe(statements);
          for (const code of codes) metrics.errors.inc({ code });
          log.info(
            {
              requestId: contextValue?.requestId,
              traceId: currentTraceId(),
              caller: contextValue?.auth?.name ?? null,
              // A client's text, cut short like any input a message quotes.
              operationName: operationName == null ? null : excerpt(operationName),
              durationMs: seconds * 1000,
              sqlStatements: statements,
              errorCodes: codes.length ? codes : undefined,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

