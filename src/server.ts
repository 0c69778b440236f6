import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { authenticate } from './auth/auth';
import type { Config } from './config';
import type { Queryable } from './db/pool';
import { createContext, type Context } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { DEFAULT_LIMITS, type Limits } from './graphql/limits';
import type { Logger } from './logger';
import { renderPlayground, servePlaygroundAsset } from './playground';

/**
 * The HTTP layer: a plain `node:http` server in front of Apollo, so that it owns the routes Apollo
 * does not serve (health, readiness, playground), the body limit (Apollo's standalone server
 * accepts 50 MB and cannot be told otherwise), request ids and graceful shutdown.
 */

export interface HttpServerOptions {
  config: Pick<Config, 'env' | 'maxBodyBytes'> & { readsRequireKey?: boolean };
  schema: GraphQLSchema;
  /** Where resolvers run their SQL. */
  db: Queryable;
  log: Logger;
  /** Bounds on the work of one request. */
  limits?: Limits;
  /** Answers whether the database is reachable; backs `/ready`. */
  checkDatabase: () => Promise<void>;
}

export interface HttpServer {
  server: http.Server;
  apollo: ApolloServer<Context>;
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
  'access-control-expose-headers': 'x-request-id',
  'access-control-max-age': '600',
};

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { config, schema, db, log, checkDatabase } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;

  const apollo = new ApolloServer<Context>({
    schema,
    formatError: createErrorFormatter(log, schema, { listEnumValues: config.env !== 'production' }),
    includeStacktraceInErrorResponses: false,
    // "Did you mean ...?" hints help developers but describe the schema to anyone probing it.
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    introspection: true,
    // Shutdown is ours (drain HTTP, then the pool, then PostgreSQL); Apollo's own signal handler would
    // stop it first and re-send the signal, cutting in-flight requests short.
    stopOnTerminationSignals: false,
    // Apollo's landing page loads Apollo Sandbox from a CDN; we serve our own playground instead.
    plugins: [ApolloServerPluginLandingPageDisabled(), requestLogPlugin(log)],
  });
  await apollo.start();

  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    if (shuttingDown) {
      res.setHeader('connection', 'close');
      sendJson(res, 503, { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      return;
    }
    route(req, res, requestId).catch((error) => {
      log.error({ err: error, requestId }, 'unhandled error in the HTTP layer');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `Internal server error (request ${requestId}).`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    });
  });
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
        return sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
      case '/ready':
        return ready(res);
      case '/playground':
        return sendHtml(res, renderPlayground());
      case '/graphql':
        if (method === 'GET' && !url.search && prefersHtml(req)) return sendHtml(res, renderPlayground());
        return graphql(req, res, method, url, requestId);
      default:
        if (url.pathname.startsWith('/playground/') && (method === 'GET' || method === 'HEAD')) {
          if (await servePlaygroundAsset(url.pathname.slice('/playground/'.length), res)) return;
        }
        return sendJson(res, 404, {
          error: `No route for ${method} ${url.pathname}.`,
          routes: ['POST /graphql', 'GET /graphql (queries only)', 'GET /playground', 'GET /health', 'GET /ready'],
        });
    }
  }

  async function ready(res: http.ServerResponse): Promise<void> {
    try {
      await withTimeout(checkDatabase(), 2_000, 'the database did not answer within 2 s');
      sendJson(res, 200, { status: 'ready', database: 'up' });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', database: 'down', reason: (error as Error).message });
    }
  }

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, method: string, url: URL, requestId: string): Promise<void> {
    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(req, config.maxBodyBytes);
      if (raw === undefined) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, {
          errors: [{ message: `Request body exceeds the limit of ${config.maxBodyBytes} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
        });
      }
      if (/^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = raw.length ? JSON.parse(raw) : undefined;
        } catch (error) {
          return sendJson(res, 400, {
            errors: [{ message: `The request body is not valid JSON: ${(error as Error).message}`, extensions: { code: 'BAD_REQUEST' } }],
          });
        }
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: async () => {
        const auth = await authenticate(db, req.headers.authorization, config.readsRequireKey ?? false);
        return createContext(db, { requestId, limits, auth });
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
  }

  return {
    server,
    apollo,
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
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (drained = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}

/** Logs one line per GraphQL operation: name, duration, SQL statements and error codes. */
function requestLogPlugin(log: Logger) {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, operationName, errors }: { contextValue: Context; operationName?: string | null; errors?: readonly { extensions?: Record<string, unknown> }[] }) {
          log.info(
            {
              requestId: contextValue.requestId,
              caller: contextValue.auth.name,
              operationName: operationName ?? null,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              sqlStatements: contextValue.db.statements,
              errorCodes: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
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

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(payload));
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
