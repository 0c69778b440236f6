import fs from 'node:fs';
import path from 'node:path';

/**
 * Where things are, whether the benchmark runs compiled (bench/dist/bench/src/) or under jest
 * (bench/src/): the project's root is the nearest directory with the package.json of media-graph.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === 'media-graph') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no media-graph package.json above ${from}`);
  }
}

export const ROOT = findRoot(__dirname);
/** The benchmark's compiled scripts (npm run bench builds them; bench:check's setup too). */
export const BENCH_DIST = path.join(ROOT, 'bench', 'dist', 'bench', 'src');
