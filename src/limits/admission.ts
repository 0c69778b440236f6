import { GraphQLError } from 'graphql';

/**
 * How much work may be in flight at once, counted in the same estimated cost as MAX_QUERY_COST: what
 * a request holds while it runs (rows, the answer being built) grows with its cost, so bounding the
 * sum bounds the memory of the answers in flight. Small queries (cost 1 to a few hundred) barely
 * count; a few of the heaviest fill the budget, and the next one waits its turn.
 *
 * Waiting is first come, first served, bounded in number (`maxWaiting`) and in time (`waitMs`): past
 * either, SERVICE_UNAVAILABLE with Retry-After, as for a full connection pool. An operation that costs
 * more than the whole budget runs when nothing else does.
 */
export class CostBudget {
  private inFlight = 0;
  private readonly waiting: Array<{ cost: number; admit: () => void }> = [];

  constructor(
    readonly capacity: number,
    private readonly maxWaiting: number,
    private readonly waitMs: number,
  ) {}

  /** Cost in flight now, for metrics and tests. */
  get used(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with the function that gives `cost` back, once it fits. */
  acquire(cost: number): Promise<() => void> {
    const amount = Math.max(0, cost);
    if (this.waiting.length === 0 && this.fits(amount)) return Promise.resolve(this.take(amount));
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(busy('too many requests are already waiting for it'));
    return new Promise((resolve, reject) => {
      const entry = {
        cost: amount,
        admit: () => {
          clearTimeout(timer);
          resolve(this.take(amount));
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(busy(`none became free within ${this.waitMs} ms`));
        this.admitWaiting();
      }, this.waitMs);
      this.waiting.push(entry);
    });
  }

  private fits(cost: number): boolean {
    return this.inFlight === 0 || this.inFlight + cost <= this.capacity;
  }

  private take(cost: number): () => void {
    this.inFlight += cost;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.inFlight -= cost;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.waiting.length && this.fits(this.waiting[0].cost)) this.waiting.shift()!.admit();
  }
}

function busy(why: string): GraphQLError {
  return new GraphQLError(`The service is busy: the work already in flight fills its budget, and ${why}. Retry in a moment, or ask for less.`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
  });
}
