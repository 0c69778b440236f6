import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  createSourceEventStream,
  type DocumentNode,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type pg from 'pg';
import { Gauge } from 'prom-client';
import { WebSocketServer } from 'ws';
import { type Auth, authenticate } from '../auth/auth';
import type { Config } from '../config';
import { databaseFailure } from '../db/failures';
import { PoolQueryable } from '../db/pool';
import type { DealFeed } from '../deal/deal-feed';
import { createContext } from '../app/context';
import { asBadUserInput } from '../graphql/errors';
import { textLiteralRule, variableTextErrors } from '../graphql/text';
import { costError, limitRules } from '../limits/query-limits';
import type { RateLimiting } from './rate-limit';
import { documentHash } from '../limits/trusted-documents';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * GraphQL subscriptions over WebSocket on /graphql (the graphql-ws protocol), fed by the live deal
 * feed. The same rules as HTTP: the API key (connection parameter `authorization`, or the upgrade
 * request's Authorization header) is checked when the socket opens, a key that is there but invalid
 * is refused, and READS_REQUIRE_KEY refuses sockets without one; each subscription takes a token from
 * the caller's rate limit and passes the depth, alias, directive, token and cost limits (and the
 * trusted documents, when on). Queries and mutations stay on HTTP, where deadlines apply.
 */

export interface SubscriptionServerOptions {
  server: http.Server;
  schema: GraphQLSchema;
  config: Config;
  /** The primary's pool: announced deals are read there (a replica may not have them yet). */
  pool: pg.Pool;
  feed: DealFeed;
  rateLimits: RateLimiting;
  /** The caller's address, as the HTTP layer tells it (the trusted proxy's view with TRUST_PROXY). */
  addressOf: (request: http.IncomingMessage) => string;
  manifest: Map<string, string> | undefined;
  metrics: Metrics;
  log: Logger;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** False while shutting down: new sockets are refused. */
  accepting: () => boolean;
}

/** WebSocket close code for a refused connection (graphql-ws uses it for "Forbidden"). */
export const CLOSE_REFUSED = 4403;
/** WebSocket close code for a connection over the caller's limit (WS_MAX_CONNECTIONS_PER_CALLER); 429 as in HTTP. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4290;

type Extra = { auth?: Auth; caller?: string } & Record<PropertyKey, unknown>;

/** What `subscriptions` counts of a graphql-ws connection: its running (and starting) subscriptions. */
interface Tracked {
  readonly subscriptions: Record<string, unknown>;
}

/**
 * The WebSocket connections of each caller on this instance (an API key by name, or an address
 * without one), for the per-caller limits. A caller's running subscriptions are counted from its
 * connections' own lists (graphql-ws keeps them), so nothing here can drift from what runs.
 */
class CallerSockets {
  private readonly byCaller = new Map<string, Set<Tracked>>();

  count(caller: string): number {
    return this.byCaller.get(caller)?.size ?? 0;
  }

  add(caller: string, ctx: Tracked): void {
    let sockets = this.byCaller.get(caller);
    if (!sockets) this.byCaller.set(caller, (sockets = new Set()));
    sockets.add(ctx);
  }

  remove(caller: string, ctx: Tracked): void {
    const sockets = this.byCaller.get(caller);
    sockets?.delete(ctx);
    if (sockets?.size === 0) this.byCaller.delete(caller);
  }

  subscriptions(caller: string): number {
    let n = 0;
    for (const ctx of this.byCaller.get(caller) ?? []) n += Object.keys(ctx.subscriptions).length;
    return n;
  }
}

/** Closes a socket with a code and a reason, cut to the 123 bytes a close frame holds. */
function closeWith(socket: { close(code: number, reason: string): void }, code: number, reason: string): void {
  socket.close(code, Buffer.from(reason).subarray(0, 123).toString());
}

/** How a caller is named in the limits' messages. */
const callerWords = (caller: string) => (caller.startsWith('key:') ? 'this API key' : 'this address');

export function attachSubscriptions(options: SubscriptionServerOptions): { close(): Promise<void>; connections(): number } {
  const { server, schema, config, pool, feed, rateLimits, addressOf, manifest, metrics, log, formatError } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes });

  server.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname !== '/graphql' || !options.accepting()) {
      socket.end(`HTTP/1.1 ${pathname !== '/graphql' ? '404 Not Found' : '503 Service Unavailable'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const callers = new CallerSockets();
  const { connectionsPerCaller, subscriptionsPerCaller } = config.webSocketLimits;

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      subscribe: subscribeRetrying,
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const given = params.authorization ?? params.Authorization;
        const header = typeof given === 'string' ? given : ctx.extra.request.headers.authorization;
        try {
          ctx.extra.auth = await authenticate(new PoolQueryable(pool), header, config.readsRequireKey);
          const caller = ctx.extra.auth?.name ? `key:${ctx.extra.auth.name}` : `address:${addressOf(ctx.extra.request)}`;
          if (callers.count(caller) >= connectionsPerCaller) {
            metrics.webSocketRefusals.inc({ limit: 'connections' });
            const reason = `Too many WebSocket connections from ${callerWords(caller)}: at most ${connectionsPerCaller}; close one, or share one.`;
            closeWith(ctx.extra.socket, CLOSE_TOO_MANY_CONNECTIONS, reason);
            return false;
          }
          ctx.extra.caller = caller;
          callers.add(caller, ctx);
          ctx.extra.socket.once('close', () => callers.remove(caller, ctx));
          return true;
        } catch (error) {
          const reason =
            error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED'
              ? error.message
              : 'The API key could not be checked: the database is unavailable. Retry in a moment.';
          closeWith(ctx.extra.socket, CLOSE_REFUSED, reason);
          return false;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        const auth = ctx.extra.auth;
        // This subscription is already in its connection's list: more than the limit means one too many.
        if (ctx.extra.caller && callers.subscriptions(ctx.extra.caller) > subscriptionsPerCaller) {
          metrics.webSocketRefusals.inc({ limit: 'subscriptions' });
          return [
            new GraphQLError(
              `Too many subscriptions from ${callerWords(ctx.extra.caller)}: at most ${subscriptionsPerCaller} running at once on this instance. Complete one before starting another; the others keep running.`,
              { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: subscriptionsPerCaller } },
            ),
          ];
        }
        const refusal = await rateLimits.check({ keyName: auth?.name ?? null, address: addressOf(ctx.extra.request) });
        if (refusal) {
          metrics.rateLimited.inc({ caller: refusal.kind });
          return [new GraphQLError(refusal.message, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: refusal.waitSeconds } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.queryLimits.maxTokens });
        } catch (error) {
          // The error formatter turns a token-limit failure into TOO_MANY_TOKENS, as on HTTP.
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (manifest && !manifest.has(documentHash(payload.query))) {
          return [
            new GraphQLError('This service only runs registered operations, and this one is not registered. Add it to schema/operations/ and run `npm run trusted-documents`.', {
              extensions: { code: 'OPERATION_NOT_TRUSTED' },
            }),
          ];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...limitRules(config.queryLimits), textLiteralRule]);
        if (invalid.length) {
          return invalid.map((error) => (error.extensions.code ? error : new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (operation && operation.operation !== 'subscription') {
          return [
            new GraphQLError(`Send ${operation.operation === 'query' ? 'queries' : 'mutations'} over HTTP (POST /graphql); this WebSocket carries subscriptions only.`, {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        if (operation?.variableDefinitions?.length) {
          const coerced = getVariableValues(schema, operation.variableDefinitions, payload.variables ?? {}, { maxErrors: 50 });
          if (coerced.errors) return coerced.errors.map(asBadUserInput);
          const textErrors = variableTextErrors(document, coerced.coerced);
          if (textErrors.length) return textErrors;
        }
        const tooCostly = costError(schema, document, payload.variables ?? {}, payload.operationName ?? undefined, config.queryLimits.maxCost);
        if (tooCostly) return [tooCostly];
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: createContext(new PoolQueryable(pool), { requestId: randomUUID(), limits: config.limits, auth: auth ?? undefined, feed }),
        };
      },
      onNext(_ctx, _id, _payload, _args, result) {
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
    },
    wss,
  );

  new Gauge({
    name: 'mediagraph_deal_feed_subscribers',
    help: 'Active dealAnnounced subscriptions on this instance.',
    registers: [metrics.registry],
    collect() {
      this.set(feed.subscriberCount);
    },
  });

  wss.on('connection', (socket) => {
    metrics.subscriptionSockets.inc();
    socket.once('close', () => metrics.subscriptionSockets.dec());
  });
  log.debug('subscriptions: graphql-ws on /graphql');

  return {
    connections: () => wss.clients.size,
    close: async () => {
      await disposable.dispose();
    },
  };
}

/** How long an event is tried again while the database is unavailable (a failover takes 10-20 s). */
export const EVENT_RETRY_MS = 60_000;
const EVENT_RETRY_INTERVAL_MS = 500;
const RETRIED = new Set(['SERVICE_UNAVAILABLE', 'TIMEOUT']);

/** Whether an event failed because the database could not be reached or did not answer in time. */
const unavailable = (result: ExecutionResult) =>
  result.errors?.some((error) => RETRIED.has(String(error.extensions?.code ?? databaseFailure(error.originalError ?? error)?.extensions.code))) ?? false;

/**
 * graphql-js's subscribe, except that an event whose execution failed because the database was
 * unavailable or did not answer in time (a primary failing over, say: connections hang until the
 * load balancer cuts them) is executed again, every 500 ms for up to 60 s, before
 * its errors are sent: a subscriber receives the deal once it can be read, not an error in its place.
 * Later events wait their turn, so the order holds. The source's return() is passed on at once, so
 * completing a subscription never waits for its next event.
 */
async function subscribeRetrying(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
  const events = source as AsyncIterableIterator<unknown>;
  const executeEvent = async (event: unknown): Promise<ExecutionResult> => {
    const deadline = Date.now() + EVENT_RETRY_MS;
    for (;;) {
      const result = await execute({ ...args, rootValue: event });
      if (!unavailable(result) || Date.now() + EVENT_RETRY_INTERVAL_MS > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, EVENT_RETRY_INTERVAL_MS));
    }
  };
  const done = { value: undefined, done: true } as const;
  const results: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const next = await events.next();
      return next.done ? next : { value: await executeEvent(next.value), done: false };
    },
    return: async () => (events.return ? ((await events.return()), done) : done),
    throw: async (error: unknown) => (events.throw ? ((await events.throw(error)), done) : Promise.reject(error)),
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
