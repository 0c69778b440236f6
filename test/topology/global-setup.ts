import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The hosts run the compiled service, as npm start does. */
export default function globalSetup(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: path.join(__dirname, '..', '..'), stdio: 'inherit' });
}
