// ESLint (flat config): the recommended JavaScript and TypeScript rules, tuned to what this
// code base does on purpose. The layer rules (who may import whom) are dependency-cruiser's,
// in .dependency-cruiser.cjs; formatting is Prettier's. Both run in `npm run lint`.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', 'data/', 'coverage/', 'test/artifacts/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Input validation matches control characters and invisible format characters on
      // purpose (token names, `next` paths): that is what those patterns are for.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
      // A leading underscore marks a value left out on purpose (`{ org_id: _org, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Browser modules: plain ES modules served as they are, checked by tsc through
    // src/web/public/tsconfig.json (// @ts-check in every file).
    files: ['src/web/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests read JSON answers of many shapes; `any` there is the response body, not a loophole.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Known exception: the operator's message carries the driver's message in its text.
    files: ['src/db/create-database.ts'],
    rules: { 'preserve-caught-error': 'off' },
  },
);
