import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * OpenTelemetry traces, on only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set:
 * each request a trace, with spans for HTTP (the official http instrumentation, which continues an
 * incoming `traceparent`), GraphQL parse, validate and execute (src/http/apollo.ts and src/execution:
 * the official graphql instrumentation patches graphql-js's `execute`, which compiled execution does
 * not call), each DataLoader batch (`inSpan` below) and each SQL statement (the official pg
 * instrumentation). Sent over OTLP/HTTP (JSON) to the endpoint, in batches; the standard `OTEL_*`
 * variables (service name, sampler, batch delay) apply.
 *
 * Off, nothing of the SDK is loaded, and `inSpan` calls its function and nothing else.
 */

let enabled = false;
const tracer = trace.getTracer('media-graph');

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing if the environment asks for it. Call it before `http` and `pg` are first required
 * (the instrumentations patch them as they load): src/index.ts does so on its first lines.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (enabled || !(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return undefined;
  // Loaded only when on: the SDK costs memory and start-up time a service without traces need not pay.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'media-graph' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global provider, AsyncLocalStorage context and the W3C trace-context and baggage propagators.
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Probes are not requests anyone traces; nor are the exporter's own calls.
        ignoreIncomingRequestHook: (request) => /^\/(health|ready|metrics)\b/.test(request.url ?? ''),
        ignoreOutgoingRequestHook: () => true,
      }),
      // Statements outside a request (the feed's LISTEN, migrations) would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  enabled = true;
  return {
    async shutdown() {
      await provider.shutdown();
      enabled = false;
    },
  };
}

export function tracingEnabled(): boolean {
  return enabled;
}

/** Runs `work` in a span of its own (a child of the current one), ended when it settles. */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  return tracer.startActiveSpan(name, { attributes }, (span) => settle(span, work));
}

/** A span that is not made current, for phases that are not one call (parse, validate): end it yourself. */
export function startSpan(name: string, attributes: Attributes = {}): Span | undefined {
  return enabled ? tracer.startSpan(name, { attributes }) : undefined;
}

/** Ends a span, marking it failed with the error if there is one. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** The current trace's id (for the request's log line), or undefined when tracing is off. */
export function currentTraceId(): string | undefined {
  if (!enabled) return undefined;
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

async function settle<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    endSpan(span, error);
    throw error;
  } finally {
    if (span.isRecording()) span.end();
  }
}
