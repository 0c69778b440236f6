/**
 * Bounds on the work one request may cause, set by configuration (see the README) and passed to
 * the loaders through the request context.
 */
export interface Limits {
  /** (studio, distance) pairs a network walk may visit before it is refused as too large. */
  networkMaxPairs: number;
}

export const DEFAULT_LIMITS: Limits = { networkMaxPairs: 20_000 };
