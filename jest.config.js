/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    // Keep `import()` native: the embedded PostgreSQL binaries package is ESM-only.
    module: { type: 'commonjs', ignoreDynamic: true },
  },
];

module.exports = {
  testEnvironment: 'node',
  // Integration tests in test/; unit tests of pure logic beside it, in src/**/__tests__/.
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  // The topology test needs root and its own programs: `npm run test:topology`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/topology/'],
  transform: { '^.+\\.ts$': swc },
  // type-graphql's decorators read emitted metadata: loaded before any test file imports a module with them.
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
};
