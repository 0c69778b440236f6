import { execFileSync } from 'node:child_process';
import path from 'node:path';
import globalSetup from '../../test/global-setup';

/** The suite's own setup (PostgreSQL, the service's build), and the benchmark's scripts compiled. */
export default async function benchSetup(): Promise<void> {
  await globalSetup();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, '..', 'tsconfig.json')], { stdio: 'inherit' });
}
