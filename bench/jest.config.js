/**
 * `npm run bench:check`: the benchmark's own tests (its smoke test against PostGraphile on a tiny
 * dataset, and its CPU and latency readings), apart from `npm test` because they measure processes
 * and need PostGraphile's Node 22 runtime. `.ci/run` runs them too.
 */
const base = require('../jest.config.js');

module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/bench/test'],
  globalSetup: '<rootDir>/bench/test/global-setup.ts',
};
