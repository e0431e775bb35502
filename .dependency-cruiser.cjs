/**
 * The layer rules, checked by `npm run lint` (dependency-cruiser). See docs/architecture.md,
 * "Layer rules".
 *
 * - A folder under src/ is a capability; its index.ts is its surface. Other folders (and the
 *   composition root, src/*.ts) import it through that index.ts only.
 * - Domain capabilities carry no HTTP framework: no Koa, no oidc-provider.
 * - Nothing in src/ imports the tests or the benchmarks; packages/ import nothing from src/.
 * - No cycles between capabilities.
 *
 * Known exception, in the cycle rule below: db <-> accounts. accounts stores users and
 * memberships through db, and db's entities name the column type `Role` from accounts. The
 * db -> accounts edge is a type-only import, gone at run time; the exception goes when the
 * role list moves below both (or the entities type the column themselves). Any cycle through
 * a third capability is still an error.
 */
const DOMAIN = '^src/(tokens|accounts|audit|keys|notices|session|revocation|members)/';
const HTTP_FRAMEWORK = '^node_modules/(@types/)?(koa|koa-mount|koa__router|koa__bodyparser|@koa/[^/]+|oidc-provider)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'capability-surface',
      comment: "Import another capability through its index.ts, not a file inside it (e.g. '../db/index.js', not '../db/transaction.js').",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'composition-root-through-surfaces',
      comment: 'src/app.ts, src/runtime.ts and src/server.ts compose capabilities through their index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/.+', pathNot: '^src/[^/]+/index\\.ts$' },
    },
    {
      name: 'domain-without-http-framework',
      comment: 'Domain capabilities take plain values and a data source, never a Koa context or the provider.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: HTTP_FRAMEWORK },
    },
    {
      name: 'src-not-from-tests-or-bench',
      comment: 'The product does not depend on its tests or benchmarks.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'packages-standalone',
      comment: 'A package under packages/ installs on its own: it imports nothing from src/.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-capability-cycles',
      comment: 'Capabilities depend on each other in one direction only.',
      severity: 'error',
      scope: 'folder',
      // A cycle is reported from each folder on it, so leaving db and accounts out as starting
      // points exempts only the cycles made of those two (the known exception above).
      from: { path: '^src/', pathNot: '^src/(db|db/entities|accounts)$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|^(data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
