/**
 * The layout's rules, checked by `npm test` (dependency-cruiser, `npm run lint:deps`):
 * - no import cycle between files, type-only imports included;
 * - shared machinery (graphql, db, limits, execution, auth, and the files at the top of src that are
 *   not the assembly) imports no domain folder, not even for a type;
 * - domain folders import nothing that assembles them (app, the HTTP layer, the process entry).
 */
const SHARED = '^src/(graphql|db|limits|execution|auth)/';
const DOMAINS = '^src/(studio|film|producer|deal|network|search|audit|importer|seed)/';
const ASSEMBLY = '^src/(app/|cli/|http/|server\\.ts|subscriptions\\.ts|playground\\.ts|index\\.ts)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle at run time works only by the order modules happen to load in; one through types blurs which folder sits above which.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-imports-no-domain',
      comment: 'Shared machinery serves every domain and knows none (domains add to its types by declaration merging).',
      severity: 'error',
      from: { path: SHARED },
      to: { path: DOMAINS },
    },
    {
      name: 'domains-import-nothing-above',
      comment: 'Arrows point down: what assembles the domains sits above them.',
      severity: 'error',
      from: { path: DOMAINS },
      to: { path: ASSEMBLY },
    },
    {
      name: 'shared-imports-nothing-above',
      severity: 'error',
      from: { path: SHARED },
      to: { path: ASSEMBLY },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/bench/' },
  },
};
