import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';

/** Clients of the topology test: a steady write load, reads that retry, a live-feed subscriber. */

export interface GraphQLAnswer {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<{ status: number; body: GraphQLAnswer }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: (await response.json()) as GraphQLAnswer };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface WriteLoad {
  /** Titles of the deals whose createDeal was acknowledged (answered with the deal). */
  acknowledged: string[];
  /** When each acknowledgement came (ms since the epoch), in order. */
  ackTimes: number[];
  /** Attempts that failed (an error answer, a refused or cut connection, a timeout). */
  failed: number;
  stop(): Promise<void>;
}

/**
 * `concurrency` loops, each creating one deal after another through `url`. A failed attempt is not
 * retried with the same title: whether it committed is unknown to the client, so it is never
 * counted as acknowledged. The longest time between two acknowledgements is the outage a writer saw.
 */
export function writeLoad(url: string, key: string, label: string, concurrency = 2): WriteLoad {
  const load: WriteLoad = { acknowledged: [], ackTimes: [], failed: 0, stop: async () => undefined };
  let running = true;
  let n = 0;
  const loop = async () => {
    while (running) {
      const title = `${label} ${++n}`;
      try {
        const { body } = await post(
          url,
          'mutation ($input: CreateDealInput!) { createDeal(input: $input) { deal { title } } }',
          { input: { kind: 'PARTNERSHIP', title, parties: [{ studio: 'alibaba-pictures', role: 'PARTNER' }, { studio: 'amblin-partners', role: 'PARTNER' }] } },
          { authorization: `Bearer ${key}` },
        );
        if (body.data?.createDeal?.deal?.title === title) {
          load.acknowledged.push(title);
          load.ackTimes.push(Date.now());
        } else {
          load.failed++;
          await sleep(100);
        }
      } catch {
        load.failed++;
        await sleep(100);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  load.stop = async () => {
    running = false;
    await Promise.all(loops);
  };
  return load;
}

/** The longest time between two acknowledgements after `from` (or between `from` and the first). */
export function longestGap(times: number[], from: number): number {
  let previous = from;
  let longest = 0;
  for (const t of times) {
    if (t < from) continue;
    longest = Math.max(longest, t - previous);
    previous = t;
  }
  return longest;
}

export interface ReadLoad {
  reads: number;
  /** Attempts that failed and were tried again. */
  retried: number;
  /** Reads that failed on every attempt: what a retrying client would have seen. */
  errors: string[];
  stop(): Promise<void>;
}

/** Reads through `url`, each tried up to 5 times, 200 ms apart (an idempotent read is safe to retry). */
export function readLoad(url: string, headers: Record<string, string>, concurrency = 2): ReadLoad {
  const load: ReadLoad = { reads: 0, retried: 0, errors: [], stop: async () => undefined };
  let running = true;
  const loop = async () => {
    while (running) {
      let last = '';
      let ok = false;
      for (let attempt = 0; attempt < 5 && !ok; attempt++) {
        if (attempt > 0) {
          load.retried++;
          await sleep(200);
        }
        try {
          const { status, body } = await post(url, 'query Reads { studio(slug: "alibaba-pictures") { name films(first: 3) { nodes { title } } } }', {}, headers, 5_000);
          ok = status === 200 && body.data?.studio?.name === 'Alibaba Pictures';
          if (!ok) last = `${status} ${JSON.stringify(body).slice(0, 300)}`;
        } catch (error) {
          last = String(error);
        }
      }
      load.reads++;
      if (!ok) load.errors.push(last);
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  load.stop = async () => {
    running = false;
    await Promise.all(loops);
  };
  return load;
}

/** Subscribed to every new deal on one instance; `titles` fills in the order they arrive. */
export function subscribe(url: string, key: string): { titles: string[]; errors: unknown[]; client: Client } {
  const titles: string[] = [];
  const errors: unknown[] = [];
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    // With a key: its budget, not the anonymous one the rate-limit test spends.
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: (e) => errors.push(e),
  });
  client.subscribe(
    { query: 'subscription { dealAnnounced { title } }' },
    {
      next: (value) => {
        const answer = value as GraphQLAnswer;
        if (answer.errors) errors.push(answer.errors);
        else titles.push(answer.data?.dealAnnounced?.title);
      },
      error: (error) => errors.push(error),
      complete: () => errors.push('the subscription completed'),
    },
  );
  return { titles, errors, client };
}

/** Which of `titles` are deals in the database at `url`. */
export async function storedTitles(url: string, titles: string[]): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT title FROM deal WHERE title = ANY($1)', [titles]);
    return new Set(rows.map((r) => r.title as string));
  } finally {
    await client.end();
  }
}

/** The subscriptions of the live feed running on an instance (its /metrics). */
export async function feedSubscribers(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
  return Number(/^mediagraph_deal_feed_subscribers (\d+)/m.exec(text)?.[1] ?? 0);
}

/** GraphQL requests an instance has answered, for one operation name (its /metrics). */
export async function answered(url: string, operation: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^mediagraph_http_request_duration_seconds_count\\{operation="${operation}"\\} (\\d+)`, 'm').exec(text);
  return Number(match?.[1] ?? 0);
}
