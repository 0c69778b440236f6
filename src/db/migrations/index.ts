import { Initial1795904112473 } from './1795904112473-Initial';

/** Every migration, in order. Listed explicitly (not globbed) so that compiled and test runs load the same set. */
export const migrations: Function[] = [Initial1795904112473];
