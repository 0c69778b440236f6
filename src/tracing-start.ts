import { startTracing } from './tracing';

/**
 * Imported first by src/index.ts, before anything requires `http` or `pg`, so that the
 * instrumentations see them load (src/tracing.ts). Undefined when tracing is off.
 */
export const tracing = startTracing();
