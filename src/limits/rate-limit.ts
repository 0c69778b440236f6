/**
 * Token buckets, one per caller: each holds up to `capacity` requests and refills at `perMinute`.
 * A request takes a token or is refused with the time until the next one. rate-limiter-flexible
 * (the usual choice) counts fixed windows, which let a caller double its rate across a window edge;
 * a token bucket does not, so this one is ours. In memory: each instance limits what it serves.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    perMinute: number,
    private readonly maxCallers = 100_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token for `caller`: 0 when the request may go ahead, otherwise the seconds to wait. */
  take(caller: string, now = Date.now()): number {
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= this.maxCallers) this.forgetFull(now);
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(caller, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Drops callers whose bucket has refilled: they are back to the state of a new caller. */
  private forgetFull(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.perMs >= this.capacity) this.buckets.delete(caller);
    }
  }
}

/** A refusal by the rate limits: how long to wait, and a message that says which limit. */
export interface RateLimitRefusal {
  waitSeconds: number;
  message: string;
  caller: 'key' | 'anonymous';
}

/** The service's rate limits: one bucket per API key, or per address for callers without one. */
export class RateLimits {
  private readonly anonymous: TokenBuckets;
  private readonly key: TokenBuckets;

  constructor(private readonly config: { anonymousPerMinute: number; keyPerMinute: number; burst: number }) {
    this.anonymous = new TokenBuckets(config.burst, config.anonymousPerMinute);
    this.key = new TokenBuckets(config.burst, config.keyPerMinute);
  }

  /** Takes a token for a request (or a subscription) of `keyName`, or of `address` without a key. */
  take(keyName: string | null, address: string | undefined): RateLimitRefusal | undefined {
    const perMinute = keyName ? this.config.keyPerMinute : this.config.anonymousPerMinute;
    if (perMinute <= 0) return undefined;
    const wait = keyName ? this.key.take(`key:${keyName}`) : this.anonymous.take(`address:${address ?? 'unknown'}`);
    if (wait === 0) return undefined;
    return {
      waitSeconds: wait,
      caller: keyName ? 'key' : 'anonymous',
      message: `Too many requests from ${keyName ? `the key "${keyName}"` : 'this address'}: at most ${perMinute} a minute (bursts of ${this.config.burst}). Retry in ${wait} s.`,
    };
  }
}
