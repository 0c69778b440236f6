import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, tracingEnabled } from '../src/tracing';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { kill, type Running, startService } from './helpers/processes';
import { freePort, until } from './helpers/server';

// OpenTelemetry, end to end: the compiled service as a process, exporting OTLP/HTTP to a receiver
// in this test (the collector's role), and one request's spans checked as a tree.

interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  scope: string;
}

let db: TestDatabase;
let receiver: http.Server;
let service: Running | undefined;
let url: string;
const spans: ReceivedSpan[] = [];
const contentTypes = new Set<string>();

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      contentTypes.add(`${request.method} ${request.url} ${request.headers['content-type']}`);
      for (const resource of JSON.parse(body).resourceSpans ?? []) {
        for (const scoped of resource.scopeSpans) for (const span of scoped.spans) spans.push({ ...span, scope: scoped.scope.name });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  db = await createTestDatabase();
  ({ service, url } = await startService(
    { DATABASE_URL: db.url, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '100' },
    await freePort(),
  ));
}, 90_000);

afterAll(async () => {
  if (service) await kill(service);
  await db?.drop();
  await new Promise((resolve) => receiver.close(resolve));
});

const attribute = (span: ReceivedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

test('one request is one trace: HTTP, parse, validate, execute, a span per loader batch, a span per statement', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpan = '00f067aa0ba902b7';
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpan}-01` },
    body: JSON.stringify({ query: '{ studio(slug: "alibaba-pictures") { name films(first: 3) { nodes { title producers { nodes { name } } } } } }' }),
  });
  expect(response.status).toBe(200);
  await fetch(`${url}/health`);

  const ofTrace = () => spans.filter((s) => s.traceId === traceId);
  await until(() => ofTrace().some((s) => s.kind === 2), () => `the request's spans (received: ${JSON.stringify([...contentTypes])})`, 15_000);
  await until(() => ofTrace().filter((s) => s.name.startsWith('pg.query')).length === 3, () => 'the statements\' spans', 5_000);
  const trace = ofTrace();
  const children = (parent: ReceivedSpan) => trace.filter((s) => s.parentSpanId === parent.spanId);

  // The caller's trace is continued: the server span is a child of the caller's span.
  const server = trace.find((s) => s.kind === 2)!;
  expect(server).toMatchObject({ name: 'POST', parentSpanId: callerSpan, scope: '@opentelemetry/instrumentation-http' });
  expect(children(server).map((s) => s.name).sort()).toEqual(['graphql.execute', 'graphql.parse', 'graphql.validate']);

  const execute = trace.find((s) => s.name === 'graphql.execute')!;
  expect(attribute(execute, 'graphql.operation.type')).toBe('query');
  // One batch per level (the studio, its films, their producers), each one statement.
  const batches = children(execute);
  expect(batches.map((s) => s.name).sort()).toEqual(['dataloader filmsByStudioId', 'dataloader producersByFilmId', 'dataloader studioBySlug']);
  for (const batch of batches) {
    const statements = children(batch).filter((s) => s.name.startsWith('pg.query'));
    expect(statements).toHaveLength(1);
    expect(String(attribute(statements[0], 'db.statement') ?? attribute(statements[0], 'db.query.text'))).toMatch(/^SELECT/);
  }
  expect(Number(attribute(batches.find((s) => s.name === 'dataloader producersByFilmId')!, 'dataloader.keys'))).toBe(3);

  // Probes are not traced; the request's log line names its trace.
  expect(spans.some((s) => attribute(s, 'http.target') === '/health' || attribute(s, 'url.path') === '/health')).toBe(false);
  const logLine = service!.output().split('\n').find((line) => line.includes('"graphql request"') && line.includes(traceId));
  expect(logLine).toBeDefined();
  expect(JSON.parse(logLine!)).toMatchObject({ traceId, sqlStatements: 3 });
});

test('without an OTLP endpoint, tracing stays off and loads nothing', () => {
  expect(startTracing({})).toBeUndefined();
  expect(tracingEnabled()).toBe(false);
  expect(Object.keys(require.cache).some((file) => file.includes('sdk-trace-node'))).toBe(false);
});
