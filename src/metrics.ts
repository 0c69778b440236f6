import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics, served at /metrics. Each server has its own registry (tests run several in
 * one process). Operation names come from clients: past MAX_OPERATIONS distinct names, further ones
 * are counted as "other", so a client cannot blow up the number of series.
 */
const MAX_OPERATIONS = 200;

export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  readonly requestDuration = new Histogram({
    name: 'mediagraph_http_request_duration_seconds',
    help: 'Duration of GraphQL requests, by operation name.',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'mediagraph_graphql_errors_total',
    help: 'Errors returned to clients, by code.',
    labelNames: ['code'],
    registers: [this.registry],
  });

  readonly statements = new Histogram({
    name: 'mediagraph_sql_statements_per_request',
    help: 'SQL statements sent to PostgreSQL for one GraphQL request.',
    buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50],
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'mediagraph_dataloader_batch_size',
    help: 'Keys per DataLoader batch (each batch is one SQL statement), by loader.',
    labelNames: ['loader'],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'mediagraph_rate_limited_total',
    help: 'Requests refused by rate limiting, by kind of caller.',
    labelNames: ['caller'],
    registers: [this.registry],
  });

  readonly subscriptionSockets = new Gauge({
    name: 'mediagraph_subscription_sockets',
    help: 'Open WebSocket connections for subscriptions.',
    registers: [this.registry],
  });

  readonly webSocketRefusals = new Counter({
    name: 'mediagraph_websocket_refused_total',
    help: 'WebSocket connections and subscriptions refused by the per-caller limits (WS_MAX_CONNECTIONS_PER_CALLER, WS_MAX_SUBSCRIPTIONS_PER_CALLER).',
    labelNames: ['limit'],
    registers: [this.registry],
  });

  readonly readsAfterWriteOnPrimary = new Counter({
    name: 'mediagraph_read_after_on_primary_total',
    help: 'Requests with X-Read-After whose reads went to the primary because their replica had not replayed that position yet.',
    registers: [this.registry],
  });

  constructor(pool: pg.Pool) {
    collectDefaultMetrics({ register: this.registry, prefix: 'mediagraph_' });
    new Gauge({
      name: 'mediagraph_db_pool_connections',
      help: 'Connections of the pool, by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
      },
    });
    new Gauge({
      name: 'mediagraph_db_pool_waiting',
      help: 'Requests waiting for a connection of the pool.',
      registers: [this.registry],
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  /** The embedded PostgreSQL's supervision: how often it was restarted, and whether it gave up. */
  embeddedPostgres(state: () => { restarts: number; stoppedBecause?: string }): void {
    let counted = 0;
    new Counter({
      name: 'mediagraph_embedded_postgres_restarts_total',
      help: 'Times the embedded PostgreSQL was found dead and started again (crash recovery included).',
      registers: [this.registry],
      collect() {
        const { restarts } = state();
        if (restarts > counted) this.inc(restarts - counted);
        counted = restarts;
      },
    });
    new Gauge({
      name: 'mediagraph_embedded_postgres_given_up',
      help: '1 when the embedded PostgreSQL failed too often and is no longer started again (see /ready and the log).',
      registers: [this.registry],
      collect() {
        this.set(state().stoppedBecause ? 1 : 0);
      },
    });
  }

  /** The cost budget of the work in flight: how much is used, and how many operations wait for room. */
  costBudget(budget: { used: number; queued: number; capacity: number }): void {
    new Gauge({
      name: 'mediagraph_cost_in_flight',
      help: 'Estimated cost of the operations running now (MAX_COST_IN_FLIGHT bounds it).',
      registers: [this.registry],
      collect() {
        this.set(budget.used);
      },
    });
    new Gauge({
      name: 'mediagraph_cost_waiting',
      help: 'Operations waiting for room in the cost budget.',
      registers: [this.registry],
      collect() {
        this.set(budget.queued);
      },
    });
  }

  /** The label for an operation name. */
  operation(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATIONS || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
    this.operations.add(name);
    return name;
  }
}
