import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type DocumentNode, type FragmentDefinitionNode, GraphQLError, type GraphQLSchema, Kind, type SelectionSetNode } from 'graphql';
import pg from 'pg';
import { type Auth, authenticate } from './auth/auth';
import type { Config } from './config';
import { databaseFailure } from './db/failures';
import { PoolQueryable, RoutedQueryable } from './db/pool';
import { createContext, releaseLoaders } from './app/context';
import type { Context } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { createExecution, type Execution } from './execution';
import { excerpt, textLiteralRule } from './graphql/text';
import { RequestGuard } from './limits/guard';
import { CostBudget } from './limits/admission';
import { costLimitPlugin, limitRules } from './limits/query-limits';
import { callerAddress, MemoryBuckets, PostgresBuckets, RateLimits, type RateLimitRefusal } from './limits/rate-limit';
import type { DealFeed } from './deal/deal-feed';
import { attachSubscriptions } from './subscriptions';
import type { SupervisorState } from './db/supervisor';
import { loadManifest, manifestCache, trustedDocumentsPlugin } from './limits/trusted-documents';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { renderPlayground, servePlaygroundAsset } from './playground';

/**
 * The HTTP layer: a plain `node:http` server in front of Apollo, so that it owns what Apollo does not
 * do: the routes besides /graphql (health, readiness, metrics, playground), the body limit (Apollo's
 * standalone server accepts 50 MB and cannot be told otherwise), API keys, rate limits, request ids,
 * request deadlines and graceful shutdown.
 */

export interface HttpServerOptions {
  config: Config;
  schema: GraphQLSchema;
  /** The service's pool on the primary: writes, and reads when there is no replica. */
  pool: pg.Pool;
  /** Pools on read replicas: each request reads from one of them (in turn) until it writes. */
  replicas?: pg.Pool[];
  /** The live deal feed: with it, /graphql also serves subscriptions over WebSocket. */
  feed?: DealFeed;
  log: Logger;
  /** The supervision of the embedded PostgreSQL, when the service runs on one. */
  embedded?: () => SupervisorState;
}

export interface HttpServer {
  server: http.Server;
  apollo: ApolloServer<Context>;
  metrics: Metrics;
  /** Running totals, for tests and diagnostics. */
  stats: { requests: number; statements: number; replicaStatements: number };
  /** Operations compiled, served from the compiled cache, or run on graphql-js; answers let go of. */
  execution: Execution['stats'];
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Graceful stop: refuse new requests (503), let in-flight ones finish for up to `graceMs`, then
   * close what remains. Resolves when the server is closed.
   */
  close(graceMs: number): Promise<void>;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id',
  'access-control-expose-headers': 'x-request-id, retry-after',
  'access-control-max-age': '600',
};

/** A drain keeps the listener open until nothing has arrived for this long... */
const DRAIN_QUIET_MS = 250;
/** ...but no longer than this (or half the grace period). */
const MAX_DRAIN_ACCEPT_MS = 5_000;

const ROUTES = ['POST /graphql', 'GET /graphql (queries only)', 'GET /playground', 'GET /health', 'GET /ready', 'GET /metrics'];

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { config, schema, pool, log } = options;
  const replicas = options.replicas ?? [];
  const metrics = new Metrics(pool);
  if (options.embedded) metrics.embeddedPostgres(options.embedded);
  const stats = { requests: 0, statements: 0, replicaStatements: 0 };
  // A few connections apart from each pool: readiness checks and cancellations still work when the
  // pool is exhausted.
  const controlOf = (of: pg.Pool) => {
    // Behind PgBouncer no startup setting may be sent (it refuses them); withTimeout bounds /ready there.
    const timeout = config.pooler === 'none' ? { statement_timeout: 2_000 } : {};
    const control = new pg.Pool({ ...of.options, ...timeout, max: 2, application_name: 'media-graph control' } as pg.PoolConfig);
    control.on('error', () => undefined);
    control.on('connect', (client) => client.on('error', () => undefined));
    return control;
  };
  const control = controlOf(pool);
  const replicaControls = replicas.map(controlOf);
  let nextReplica = 0;
  const sharedBuckets = config.rateLimit.store === 'postgres' ? new PostgresBuckets(new PoolQueryable(pool)) : undefined;
  const rateLimits = new RateLimits(config.rateLimit, sharedBuckets ?? new MemoryBuckets(config.rateLimit.maxCallers));
  const manifest = config.trustedDocuments ? loadManifest() : undefined;

  // What the answers in flight may hold, in estimated cost; waiting for room is bounded like waiting for the pool.
  const budget = new CostBudget(config.maxCostInFlight, config.pool.queue, config.pool.waitMs);
  metrics.costBudget(budget);
  const execution = createExecution(schema, config.execution);
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
    allowBatchedHttpRequests: config.maxBatchOperations > 0,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    validationRules: [...limitRules(config.queryLimits), textLiteralRule],
    persistedQueries: manifest ? { cache: manifestCache(manifest), ttl: null } : {},
    plugins: [
      // Apollo's landing page loads Apollo Sandbox from a CDN; we serve our own playground instead.
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set, and the default cache-control plugin wraps every field's resolver to
      // look for them: measurable on large lists.
      ApolloServerPluginCacheControlDisabled(),
      ...(manifest ? [trustedDocumentsPlugin(manifest)] : []),
      introspectionPlugin(config.introspection),
      costLimitPlugin(schema, config.queryLimits.maxCost, budget),
      requestLogPlugin(log, metrics, stats),
      execution.plugin,
    ],
  });
  await apollo.start();

  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  /** When the last connection or request arrived: a drain waits for a quiet moment. */
  let lastActivity = 0;

  const server = http.createServer((req, res) => {
    inFlight++;
    lastActivity = Date.now();
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    // Accepted while draining: answered, and the connection closed after it.
    if (draining) res.setHeader('connection', 'close');
    route(req, res, requestId).catch((error) => {
      log.error({ err: error, requestId }, 'unhandled error in the HTTP layer');
      if (!res.headersSent) sendErrors(res, 500, `Internal server error (request ${requestId}).`, 'INTERNAL_SERVER_ERROR');
      else res.destroy();
    });
  });
  const subscriptions =
    options.feed &&
    attachSubscriptions({ server, schema, config, pool, feed: options.feed, rateLimits, manifest, metrics, log, formatError, accepting: () => !draining });
  server.on('connection', () => (lastActivity = Date.now()));

  // Slow or stalled clients must not pin connections forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;

  async function route(req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    switch (url.pathname) {
      case '/health':
        // pid: which process answered, behind a load balancer or among WORKERS.
        return sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()), pid: process.pid });
      case '/ready':
        return ready(res);
      case '/metrics':
        if (!config.metrics) break;
        res.statusCode = 200;
        res.setHeader('content-type', metrics.registry.contentType);
        res.end(await metrics.registry.metrics());
        return;
      case '/playground':
        return sendHtml(res, renderPlayground());
      case '/graphql':
        if (method === 'GET' && !url.search && prefersHtml(req)) return sendHtml(res, renderPlayground());
        return graphql(req, res, method, url, requestId);
      default:
        if (url.pathname.startsWith('/playground/') && (method === 'GET' || method === 'HEAD')) {
          if (await servePlaygroundAsset(url.pathname.slice('/playground/'.length), res)) return;
        }
    }
    sendJson(res, 404, { error: `No route for ${method} ${url.pathname}.`, routes: config.metrics ? ROUTES : ROUTES.filter((r) => r !== 'GET /metrics') });
  }

  function tooManyRequests(req: http.IncomingMessage, res: http.ServerResponse, refusal: RateLimitRefusal): void {
    metrics.rateLimited.inc({ caller: refusal.caller });
    metrics.errors.inc({ code: 'RATE_LIMITED' });
    res.setHeader('retry-after', String(refusal.waitSeconds));
    refuseBeforeBody(req, res);
    sendErrors(res, 429, refusal.message, 'RATE_LIMITED', { retryAfterSeconds: refusal.waitSeconds });
  }

  async function ready(res: http.ServerResponse): Promise<void> {
    if (draining) return sendJson(res, 503, { status: 'shutting down', database: 'unknown' });
    const givenUp = options.embedded?.().stoppedBecause;
    if (givenUp) return sendJson(res, 503, { status: 'unavailable', database: 'down', reason: `The embedded PostgreSQL is no longer restarted: ${givenUp}` });
    const check = (c: pg.Pool) =>
      withTimeout(c.query('SELECT 1'), 2_000, 'the database did not answer within 2 s').then(
        () => undefined,
        (error: Error) => error.message,
      );
    const [primaryDown, ...replicasDown] = await Promise.all([check(control), ...replicaControls.map(check)]);
    const replicaStates = replicasDown.map((down) => (down ? 'down' : 'up'));
    // Every replica serves a share of the reads: one that is down would fail them.
    if (primaryDown || replicasDown.some(Boolean)) {
      const reason = primaryDown ?? `read replica ${replicasDown.findIndex(Boolean) + 1} of ${replicas.length}: ${replicasDown.find(Boolean)}`;
      return sendJson(res, 503, { status: 'unavailable', database: primaryDown ? 'down' : 'up', ...(replicas.length ? { replicas: replicaStates } : {}), reason });
    }
    sendJson(res, 200, { status: 'ready', database: 'up', ...(replicas.length ? { replicas: replicaStates } : {}) });
  }

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, requestId: string): Promise<void> {
    // Who calls, and whether they may: decided from the headers alone, before the body is read, so
    // that a caller over its limit (or presenting bad keys past its address's budget) costs no body.
    const address = callerAddress(req, config.trustProxy);
    let auth: Auth;
    try {
      auth = await authenticate(new PoolQueryable(pool), req.headers.authorization, config.readsRequireKey);
    } catch (error) {
      const refusal = error instanceof GraphQLError ? error : databaseFailure(error);
      if (refusal?.extensions.code === 'UNAUTHENTICATED') {
        // A failed authentication takes a token from the address, as an anonymous request would:
        // guessing keys is rate limited like anything else.
        const limited = await rateLimits.take(null, address);
        if (limited) return tooManyRequests(req, res, limited);
        refuseBeforeBody(req, res);
        return sendErrors(res, 401, refusal.message, 'UNAUTHENTICATED');
      }
      if (refusal?.extensions.code === 'SERVICE_UNAVAILABLE' || refusal?.extensions.code === 'TIMEOUT') {
        res.setHeader('retry-after', '1');
        metrics.errors.inc({ code: String(refusal.extensions.code) });
        refuseBeforeBody(req, res);
        return sendErrors(res, 503, `The API key could not be checked: ${refusal.message}`, 'SERVICE_UNAVAILABLE');
      }
      throw error;
    }

    const limited = await rateLimits.take(auth.name, address);
    if (limited) return tooManyRequests(req, res, limited);

    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(req, config.maxBodyBytes);
      if (raw === undefined) {
        res.setHeader('connection', 'close');
        return sendErrors(res, 413, `Request body exceeds the limit of ${config.maxBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE');
      }
      if (/^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = raw.length ? JSON.parse(raw) : undefined;
        } catch (error) {
          return sendErrors(res, 400, `The request body is not valid JSON: ${(error as Error).message}`, 'BAD_REQUEST');
        }
      }
      if (Array.isArray(body) && body.length > config.maxBatchOperations) {
        return sendErrors(
          res,
          400,
          config.maxBatchOperations === 0
            ? 'Batched requests are turned off here: send one operation per request.'
            : `A batched request may hold at most ${config.maxBatchOperations} operations; this one has ${body.length}.`,
          'TOO_MANY_OPERATIONS',
        );
      }
    }

    const guard = new RequestGuard(config.timeouts.requestMs, config.pool.queue, config.pooler === 'none');
    const primary = new PoolQueryable(pool, guard.on(pool, control, 'primary'));
    let routed: RoutedQueryable | undefined;
    if (replicas.length) {
      const index = nextReplica++ % replicas.length;
      routed = new RoutedQueryable(primary, new PoolQueryable(replicas[index], guard.on(replicas[index], replicaControls[index], `replica${index}`)));
    }
    // The contexts made for this request (one per operation of a batch), released when it is done.
    const contexts: Context[] = [];
    guard.start();
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: url.search, body },
        context: async () => {
          const context = createContext(routed ?? primary, {
            requestId,
            limits: config.limits,
            auth,
            onBatch: (loader, size) => metrics.batchSize.observe({ loader }, size),
          });
          contexts.push(context);
          return context;
        },
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } finally {
      guard.stop();
      for (const context of contexts) {
        // What may still reach the request once it is answered lets go of its rows and its answer.
        releaseLoaders(context.loaders);
        execution.release(context.loaders);
      }
      if (routed) stats.replicaStatements += routed.replicaStatements;
    }
  }

  return {
    server,
    apollo,
    metrics,
    stats,
    execution: execution.stats,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${host === '0.0.0.0' || host === '::' ? 'localhost' : shownHost}:${address.port}`);
        });
      });
    },
    async close(graceMs) {
      // Draining: /ready says so (a load balancer stops sending), and whatever still arrives is
      // served, each answer closing its connection. The listener stays open until no connection or
      // request has come for DRAIN_QUIET_MS (at most half the grace period): requests already on
      // their way (connections the kernel accepted, bytes not read yet) are answered, not reset.
      draining = true;
      const acceptUntil = Date.now() + Math.min(graceMs / 2, MAX_DRAIN_ACCEPT_MS);
      while (Date.now() < acceptUntil && Date.now() - lastActivity < DRAIN_QUIET_MS) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections with nothing in flight go now; the others when their answer is written.
      server.closeIdleConnections();
      const left = Math.max(acceptUntil - Date.now(), 0) + graceMs / 2;
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, left).unref()),
        ]);
      }
      server.closeAllConnections();
      // Subscribers are told the server is going away (1001) and reconnect elsewhere.
      await subscriptions?.close();
      await closed;
      await apollo.stop();
      sharedBuckets?.stop();
      await Promise.all([control, ...replicaControls].map((c) => c.end().catch(() => undefined)));
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

function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers['x-request-id'];
  // Accept a caller's id only if it is short and plain, so it can be logged and echoed safely.
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

function prefersHtml(req: http.IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json') && !accept.includes('application/graphql-response+json');
}

/** The body as text, or undefined when it exceeds `limit` bytes (the rest is not read). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/**
 * A refusal sent before the request's body was read: the connection closes after it, so the body is
 * neither waited for nor parsed (a keep-alive connection would have to read past it first).
 */
function refuseBeforeBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody) res.setHeader('connection', 'close');
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(payload));
}

/** A GraphQL-shaped error answer from the HTTP layer. */
function sendErrors(res: http.ServerResponse, status: number, message: string, code: string, extensions: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] });
}

function sendHtml(res: http.ServerResponse, html: string): void {
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.end(html);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
