import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import etag from '@fastify/etag';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { createContext, releaseLoaders } from '../app/context';
import { authenticate } from '../auth/auth';
import type { Config } from '../config';
import { databaseFailure } from '../db/failures';
import { PoolQueryable, RoutedQueryable, WAL_POSITION } from '../db/pool';
import type { SupervisorState } from '../db/supervisor';
import type { DealFeed } from '../deal/deal-feed';
import { createExecution, type Execution } from '../execution';
import type { Context } from '../graphql/context';
import { CostBudget } from '../limits/admission';
import { RequestGuard } from '../limits/guard';
import { loadManifest } from '../limits/trusted-documents';
import type { Logger } from '../logger';
import { Metrics } from '../metrics';
import { createApollo } from './apollo';
import { csvHeader, csvLines, ExportFailed, type ExportFormat, ndjsonLines, planExport, runExport, runPage } from './export';
import { playgroundAsset, renderPlayground } from './playground';
import { type Caller, registerRateLimits } from './rate-limit';
import { errorBody, HttpRefusal } from './replies';
import { attachSubscriptions } from './subscriptions';
import { Reads } from '../db/reads';
import { ResponseCache } from './response-cache';

/**
 * The HTTP layer: Fastify, with Apollo Server through its Fastify integration on /graphql, and the
 * routes beside it (health, readiness, metrics, the playground). Fastify brings the routing, the body
 * limit (413 before a byte too many is read), request ids and closing; @fastify/cors the CORS
 * headers; @fastify/rate-limit the rate limits (rate-limit.ts). What is this service's own: API keys
 * (checked in onRequest, before the rate limits and before the body is read), request deadlines
 * (limits/guard.ts), the cost budget, read replicas, and a drain on shutdown that answers whatever
 * was already on its way.
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
  /** A Redis client for shared rate limits (RATE_LIMIT_STORE=redis). */
  redis?: Redis;
}

export interface HttpServer {
  server: http.Server;
  apollo: ApolloServer<Context>;
  metrics: Metrics;
  /** Running totals, for tests and diagnostics. */
  stats: { requests: number; statements: number; replicaStatements: number };
  /** The response cache, when it is on. */
  responseCache?: ResponseCache;
  /** Operations compiled, served from the compiled cache, or run on graphql-js; answers let go of. */
  execution: Execution['stats'];
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Graceful stop: /ready says so, whatever still arrives is answered until things are quiet, then the
   * port closes and requests in flight get the rest of `graceMs`. Resolves when the server is closed.
   */
  close(graceMs: number): Promise<void>;
}

/** What the GraphQL route keeps of a request, from its start to its answer's end. */
interface GraphQLRequestState {
  guard: RequestGuard;
  primary: PoolQueryable;
  routed?: RoutedQueryable;
  /** The contexts made for it (one per operation of a batch), released when it is answered. */
  contexts: Context[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls: set by the authentication hook on /graphql, read by the rate limits. */
    caller: Caller;
    /** Why the request's API key is refused; answered before the body is read (preParsing). */
    refusal?: HttpRefusal;
    graphqlState?: GraphQLRequestState;
  }
}

const ROUTES = ['POST /graphql', 'GET /graphql (queries only)', 'POST or GET /graphql/export', 'GET /playground', 'GET /health', 'GET /ready', 'GET /metrics'];
/** A drain keeps the listener open until nothing has arrived for this long... */
const DRAIN_QUIET_MS = 250;
/** ...but no longer than this (or half the grace period). */
const MAX_DRAIN_ACCEPT_MS = 5_000;

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
  const manifest = config.trustedDocuments ? loadManifest() : undefined;
  // What the answers in flight may hold, in estimated cost; waiting for room is bounded like waiting for the pool.
  const budget = new CostBudget(config.maxCostInFlight, config.pool.queue, config.pool.waitMs);
  metrics.costBudget(budget);
  const execution = createExecution(schema, config.execution);
  const responseCache = config.responseCache.enabled
    ? new ResponseCache({ listenUrl: config.listenUrl ?? (pool.options as pg.PoolConfig).connectionString!, maxBytes: config.responseCache.maxBytes, log, metrics })
    : undefined;
  await responseCache?.start();
  const { apollo, formatError } = createApollo({ config, schema, execution, budget, manifest, log, metrics, stats, responseCache });
  await apollo.start();

  let draining = false;
  /** When the last connection or request arrived: a drain waits for a quiet moment. */
  let lastActivity = 0;

  const app = Fastify({
    bodyLimit: config.maxBodyBytes,
    // Behind a proxy, the caller is the address the proxy saw: the last X-Forwarded-For entry.
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    // A caller's id is kept only if it is short and plain, so it can be logged and echoed safely.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    logger: false,
    // Slow or stalled clients must not pin connections forever.
    requestTimeout: 60_000,
    keepAliveTimeout: 5_000,
    // On close, connections with nothing in flight go at once; the others when their answer is written.
    forceCloseConnections: 'idle',
  });
  app.server.headersTimeout = 20_000;
  // CSRF: only JSON is parsed. A browser sends JSON to another origin only after a CORS preflight;
  // text/plain (which Fastify would parse) and forms, which it sends without one, get 415.
  app.removeContentTypeParser('text/plain');
  app.server.on('connection', () => (lastActivity = Date.now()));

  app.addHook('onRequest', async (request, reply) => {
    lastActivity = Date.now();
    reply.header('x-request-id', request.id);
    // Accepted while draining: answered, and the connection closed after it.
    if (draining) reply.header('connection', 'close');
  });

  await app.register(cors, {
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    credentials: false,
    methods: ['GET', 'POST', 'OPTIONS'],
    // The headers a preflight asks for are allowed (tracing and client headers included), unless
    // CORS_ALLOWED_HEADERS lists them.
    ...(config.corsAllowedHeaders ? { allowedHeaders: config.corsAllowedHeaders } : {}),
    exposedHeaders: ['x-request-id', 'etag', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-read-after'],
    maxAge: 600,
  });

  // The caller, from the Authorization header alone: a key that is there but not valid is refused
  // (preParsing, below), after it has cost its address a token (the rate limits run in between).
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/graphql')) return;
    const address = request.ip;
    try {
      const auth = await authenticate(new PoolQueryable(pool), request.headers.authorization, config.readsRequireKey);
      request.caller = { keyName: auth.name, address };
      request.graphqlState = undefined;
      (request as FastifyRequest & { auth: typeof auth }).auth = auth;
    } catch (error) {
      request.caller = { keyName: null, address };
      const refusal = error instanceof GraphQLError ? error : databaseFailure(error);
      if (refusal?.extensions.code === 'UNAUTHENTICATED') {
        request.refusal = new HttpRefusal(401, refusal.message, 'UNAUTHENTICATED', {}, true);
      } else if (refusal?.extensions.code === 'SERVICE_UNAVAILABLE' || refusal?.extensions.code === 'TIMEOUT') {
        metrics.errors.inc({ code: String(refusal.extensions.code) });
        request.refusal = new HttpRefusal(503, `The API key could not be checked: ${refusal.message}`, 'SERVICE_UNAVAILABLE', {}, true);
      } else {
        throw error;
      }
    }
  });

  const rateLimits = await registerRateLimits(app, config, { db: new PoolQueryable(pool), redis: options.redis }, metrics);

  app.addHook('preParsing', async (request) => {
    if (request.refusal) throw request.refusal;
  });

  app.setErrorHandler((error: FastifyError & { body?: unknown; closeConnection?: boolean }, request, reply) => {
    // A refusal is about this request at this moment: never kept by a cache.
    void reply.header('cache-control', 'no-store');
    if (error instanceof HttpRefusal || error.closeConnection) {
      // Refused before the body was read: close rather than read past it.
      if (error.closeConnection && requestHasBody(request)) void reply.header('connection', 'close');
      if (error.statusCode === 503) void reply.header('retry-after', '1');
      if (error instanceof HttpRefusal) return reply.code(error.statusCode).send(errorBody(error.message, error.code, error.extensions));
      return reply.code(error.statusCode ?? 429).send(error.body);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      void reply.header('connection', 'close');
      return reply.code(413).send(errorBody(`Request body exceeds the limit of ${config.maxBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE'));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply.code(400).send(errorBody(`The request body is not valid JSON: ${error.message}`, 'BAD_REQUEST'));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send(errorBody('The request body is empty: send a JSON object with a "query".', 'BAD_REQUEST'));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply
        .code(415)
        .send(
          errorBody(
            `Send GraphQL requests as application/json, not ${request.headers['content-type'] ?? 'without a content type'} (a browser sends other types across origins without a CORS preflight, so they are refused to prevent cross-site request forgery; GET /graphql?query=... runs queries without a body).`,
            'BAD_REQUEST',
          ),
        );
    }
    if (typeof error.statusCode === 'number' && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody(error.message, 'BAD_REQUEST'));
    }
    log.error({ err: error, requestId: request.id }, 'unhandled error in the HTTP layer');
    return reply.code(500).send(errorBody(`Internal server error (request ${request.id}).`, 'INTERNAL_SERVER_ERROR'));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: `No route for ${request.method} ${request.url.split('?')[0]}.`, routes: config.metrics ? ROUTES : ROUTES.filter((r) => r !== 'GET /metrics') });
  });

  app.get('/health', async () => ({ status: 'ok', uptimeSeconds: Math.round(process.uptime()), pid: process.pid }));

  app.get('/ready', async (_request, reply) => {
    if (draining) return reply.code(503).send({ status: 'shutting down', database: 'unknown' });
    const givenUp = options.embedded?.().stoppedBecause;
    if (givenUp) return reply.code(503).send({ status: 'unavailable', database: 'down', reason: `The embedded PostgreSQL is no longer restarted: ${givenUp}` });
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
      return reply.code(503).send({ status: 'unavailable', database: primaryDown ? 'down' : 'up', ...(replicas.length ? { replicas: replicaStates } : {}), reason });
    }
    return { status: 'ready', database: 'up', ...(replicas.length ? { replicas: replicaStates } : {}) };
  });

  if (config.metrics) {
    app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  }

  // GraphQL: each request's deadline, reads routed to a replica, its contexts released once answered.
  const openRequestState = (readAfter?: string): NonNullable<FastifyRequest['graphqlState']> => {
    const guard = new RequestGuard(config.timeouts.requestMs, config.pool.queue, config.pooler === 'none');
    const primary = new PoolQueryable(pool, guard.on(pool, control, 'primary'));
    let routed: RoutedQueryable | undefined;
    if (replicas.length) {
      const index = nextReplica++ % replicas.length;
      routed = new RoutedQueryable(primary, new PoolQueryable(replicas[index], guard.on(replicas[index], replicaControls[index], `replica${index}`)), readAfter);
    }
    guard.start();
    return { guard, primary, routed, contexts: [] };
  };
  const closeRequestState = (state: NonNullable<FastifyRequest['graphqlState']>) => {
    state.guard.stop();
    for (const context of state.contexts) {
      // What may still reach the request once it is answered lets go of its rows and its answer.
      releaseLoaders(context.loaders);
      execution.release(context.loaders);
    }
    if (state.routed) {
      state.routed.release();
      stats.replicaStatements += state.routed.replicaStatements;
      if (state.routed.replicaBehind) metrics.readsAfterWriteOnPrimary.inc();
    }
  };
  const contextFor = (request: FastifyRequest, state: NonNullable<FastifyRequest['graphqlState']>): Context => {
    const auth = (request as FastifyRequest & { auth: Context['auth'] }).auth;
    const context = createContext(state.routed ?? state.primary, {
      requestId: request.id,
      limits: config.limits,
      auth,
      onBatch: (loader, size) => metrics.batchSize.observe({ loader }, size),
      reads: responseCache ? new Reads() : undefined,
    });
    state.contexts.push(context);
    return context;
  };
  const answerGraphQL = fastifyApolloHandler(apollo, { context: async (request) => contextFor(request, request.graphqlState!) });

  /** The WAL position a client asks its reads to include (X-Read-After, from a write's answer). */
  const readAfterOf = (request: FastifyRequest): string | undefined => {
    const value = request.headers['x-read-after'];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !WAL_POSITION.test(value.trim())) {
      throw new HttpRefusal(400, 'X-Read-After must be a WAL position such as 0/3000148, as the X-Read-After header of a write\'s answer gives it.', 'BAD_USER_INPUT');
    }
    // Without replicas every read is on the primary: it has every write.
    return replicas.length ? value.trim() : undefined;
  };

  const graphqlRoute = {
    preHandler: async (request: FastifyRequest) => {
      const body = request.body;
      if (Array.isArray(body) && body.length > config.maxBatchOperations) {
        throw new HttpRefusal(
          400,
          config.maxBatchOperations === 0
            ? 'Batched requests are turned off here: send one operation per request.'
            : `A batched request may hold at most ${config.maxBatchOperations} operations; this one has ${body.length}.`,
          'TOO_MANY_OPERATIONS',
        );
      }
      request.graphqlState = openRequestState(readAfterOf(request));
    },
    onSend: async (request: FastifyRequest, reply: FastifyReply) => {
      // A batch's operations each set Cache-Control, the last one winning: never keep a batch.
      if (Array.isArray(request.body)) void reply.header('cache-control', 'no-store');
      // Where the primary was after this request's writes: sent back, it makes any instance read them.
      const writtenAt = request.graphqlState?.routed?.writtenAt;
      if (writtenAt) void reply.header('x-read-after', writtenAt);
    },
    onResponse: async (request: FastifyRequest) => {
      const state = request.graphqlState;
      if (!state) return;
      closeRequestState(state);
      request.graphqlState = undefined;
    },
  };

  app.post('/graphql', graphqlRoute, answerGraphQL);

  // Exports (export.ts): a root list's rows as CSV or NDJSON, page after page, each page an ordinary
  // operation with its own deadline and context; the first page runs before anything is sent, so
  // its errors are a 400 with GraphQL's errors.
  const answerExport = async (request: FastifyRequest, reply: FastifyReply) => {
    // The URL's parameters and, for a POST, the JSON body's (which win): `?format=csv` with a body works.
    const input = { ...(request.query as Record<string, unknown>), ...((request.method === 'POST' ? request.body : undefined) as Record<string, unknown> | undefined) };
    const format = (input?.format ?? 'csv') as ExportFormat;
    if (format !== 'csv' && format !== 'ndjson') throw new HttpRefusal(400, `format must be "csv" or "ndjson", not ${JSON.stringify(format)}.`, 'BAD_REQUEST');
    if (typeof input?.query !== 'string') throw new HttpRefusal(400, 'Send the query of the list to export in "query" (and "format": csv or ndjson).', 'BAD_REQUEST');
    let variables: Record<string, unknown> = {};
    try {
      const given = input.variables;
      variables = (typeof given === 'string' ? JSON.parse(given) : given) ?? {};
    } catch (error) {
      throw new HttpRefusal(400, `"variables" is not valid JSON: ${(error as Error).message}`, 'BAD_REQUEST');
    }
    const plan = planExport(schema, { query: input.query, variables, operationName: typeof input.operationName === 'string' ? input.operationName : undefined, format });
    const runOne = async (query: string, pageVariables: Record<string, unknown>) => {
      const state = openRequestState();
      try {
        return await runPage(apollo, contextFor(request, state), query, pageVariables);
      } finally {
        closeRequestState(state);
      }
    };
    let body: PassThrough | undefined;
    const write = async (items: Record<string, unknown>[]) => {
      if (!body) {
        body = new PassThrough();
        void reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="${plan.fileName}"`)
          .header('cache-control', 'no-store')
          .send(body);
        if (format === 'csv') body.write(csvHeader(plan));
      }
      if (!body.write(format === 'csv' ? csvLines(plan, items) : ndjsonLines(items))) await once(body, 'drain');
    };
    try {
      const rows = await runExport(plan, variables, runOne, write);
      if (!body) await write([]);
      body!.end();
      log.info({ requestId: request.id, rows, format }, 'export finished');
    } catch (error) {
      if (!body && error instanceof ExportFailed) {
        return reply.code(400).header('cache-control', 'no-store').send({ errors: error.errors });
      }
      if (!body) throw error;
      // Rows were sent: end the transfer short, so the client sees it fail rather than a short file.
      log.error({ requestId: request.id, err: error }, 'export failed part-way; the connection is cut');
      body.destroy(error as Error);
    }
    return reply;
  };
  app.post('/graphql/export', answerExport);
  app.get('/graphql/export', answerExport);

  // What a GET answers can be cached: an ETag on each answer (@fastify/etag), and 304 without a body
  // when the caller's If-None-Match has it still. Cache-Control comes from the operation's hints
  // (apollo.ts). Registered apart, so POST answers are not hashed.
  await app.register(async (gets) => {
    await gets.register(etag);
    const playgroundPage = (reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderPlayground());
    gets.get('/playground', async (_request, reply) => playgroundPage(reply));
    gets.get<{ Params: { asset: string } }>('/playground/:asset', async (request, reply) => {
      const asset = await playgroundAsset(request.params.asset, request.headers['accept-encoding']);
      if (!asset) return reply.callNotFound();
      return reply.headers(asset.headers).send(asset.body);
    });
    gets.get('/graphql', graphqlRoute, async (request, reply) => {
      // A browser opening the endpoint gets the playground.
      if (!request.url.includes('?') && prefersHtml(request)) return playgroundPage(reply);
      // The answer may differ by key (private) even where the URL is the same.
      void reply.header('vary', 'authorization');
      return answerGraphQL.call(gets, request as Parameters<typeof answerGraphQL>[0], reply as Parameters<typeof answerGraphQL>[1]);
    });
  });

  const subscriptions =
    options.feed &&
    attachSubscriptions({
      server: app.server,
      schema,
      config,
      pool,
      feed: options.feed,
      rateLimits,
      addressOf: (request) => addressOf(request, config.trustProxy),
      manifest,
      metrics,
      log,
      formatError,
      accepting: () => !draining,
    });

  await app.ready();

  return {
    server: app.server,
    apollo,
    metrics,
    stats,
    responseCache,
    execution: execution.stats,
    async listen(port, host) {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : shownHost}:${address.port}`;
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
      // Fastify's close stops listening, closes idle connections and waits for the requests in flight.
      const left = Math.max(acceptUntil - Date.now(), 0) + graceMs / 2;
      const closed = app.close();
      const late = setTimeout(() => app.server.closeAllConnections(), left);
      late.unref();
      // Subscribers are told the server is going away (1001) and reconnect elsewhere.
      await subscriptions?.close();
      await closed;
      clearTimeout(late);
      await apollo.stop();
      await responseCache?.stop();
      rateLimits.stop();
      await Promise.all([control, ...replicaControls].map((c) => c.end().catch(() => undefined)));
    },
  };
}

function requestHasBody(request: FastifyRequest): boolean {
  return Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
}

function prefersHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('application/json') && !accept.includes('application/graphql-response+json');
}

/** The caller's address of a raw request (WebSocket upgrades): as Fastify's request.ip with trustProxy 1. */
function addressOf(request: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
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
