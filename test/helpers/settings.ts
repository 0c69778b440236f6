/**
 * How the suite runs operations: as the service does by default, or, in the second run of .ci/run,
 * with GRAPHQL_EXECUTION=standard and GRAPHQL_DIRECT_RESOLVERS=off (the same answers are expected).
 * Passed to every server the tests start, in-process or as a process.
 */
export function executionSettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of ['GRAPHQL_EXECUTION', 'GRAPHQL_DIRECT_RESOLVERS']) if (process.env[name]) settings[name] = process.env[name]!;
  return settings;
}

/** True when the suite runs everything standard (graphql-js, no direct resolvers). */
export const standardExecution = process.env.GRAPHQL_EXECUTION === 'standard';
