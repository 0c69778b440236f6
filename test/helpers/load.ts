/**
 * A bounded write load over real HTTP: `writers` clients, each creating studios one after another
 * (paced), every outcome recorded by name, so that a test can check afterwards which acknowledged
 * writes are in the database and which refused ones are not.
 */

export interface Outcome {
  name: string;
  /** HTTP status; 0 when the connection failed. */
  status: number;
  /** The error code, `OK`, or `NETWORK: <cause>`. */
  code: string;
  retryAfter: string | null;
  /** The answer's data said the studio was created. */
  acknowledged: boolean;
}

export interface WriteLoad {
  outcomes: Outcome[];
  /** Stops after the writes in flight; resolves with every outcome. */
  stop(): Promise<Outcome[]>;
}

export function startWriteLoad(url: string, key: string, options: { writers?: number; prefix?: string; paceMs?: number; max?: number } = {}): WriteLoad {
  const outcomes: Outcome[] = [];
  const prefix = options.prefix ?? 'Load';
  let stopped = false;
  let next = 0;
  const writer = async () => {
    while (!stopped && next < (options.max ?? 100_000)) {
      const name = `${prefix} ${String(next++).padStart(5, '0')}`;
      try {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: 'mutation ($name: String!) { createStudio(input: { name: $name, kind: STUDIO }) { studio { name } } }', variables: { name } }),
        });
        const body = (await response.json()) as { data?: { createStudio?: { studio?: { name: string } } }; errors?: Array<{ extensions?: { code?: string } }> };
        outcomes.push({
          name,
          status: response.status,
          code: body.errors?.[0]?.extensions?.code ?? 'OK',
          retryAfter: response.headers.get('retry-after'),
          acknowledged: response.status === 200 && !body.errors && body.data?.createStudio?.studio?.name === name,
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        outcomes.push({ name, status: 0, code: `NETWORK: ${cause}`, retryAfter: null, acknowledged: false });
      }
      await new Promise((resolve) => setTimeout(resolve, options.paceMs ?? 5));
    }
  };
  const running = Promise.all(Array.from({ length: options.writers ?? 4 }, writer));
  return {
    outcomes,
    async stop() {
      stopped = true;
      await running;
      return outcomes;
    },
  };
}

/** How many outcomes there are of each code (and status), for a readable failure message. */
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[`${o.status} ${o.code}`] = (counts[`${o.status} ${o.code}`] ?? 0) + 1;
  return counts;
}
