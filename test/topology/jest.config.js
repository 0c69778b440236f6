/**
 * `npm run test:topology`: the production topology on hosts the test makes (network namespaces),
 * apart from `npm test` because it needs root and Debian's etcd, Patroni, HAProxy and PgBouncer.
 * `.ci/run` installs those and runs it.
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/topology'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/topology/global-setup.ts',
  globalTeardown: undefined,
  testTimeout: 180_000,
  // The hosts' processes are stopped by pid in afterAll; fetch's keep-alive sockets to them would
  // otherwise hold the run open for their idle timeout.
  forceExit: true,
};
