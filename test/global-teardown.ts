import fs from 'node:fs/promises';
import type { EmbeddedPostgres } from '../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__mgTestPostgres as { embedded: EmbeddedPostgres; dataDir: string } | undefined;
  if (!state) return;
  await state.embedded.release();
  await fs.rm(state.dataDir, { recursive: true, force: true });
}
