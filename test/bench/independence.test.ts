import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/index.js';

const root = packageRoot();
const benchDir = join(root, 'bench');
const testDir = join(root, 'test');
/** Static `import … from '…'`, `export … from '…'` and dynamic `import('…')` specifiers. */
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.[cm]?[jt]s$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** The benchmark runs from a build without the tests, and the test tree must be free to change. */
describe('bench/', () => {
  const imports = sourceFiles(benchDir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map(([, specifier]) => ({ file: relative(root, file), specifier: specifier! })),
  );

  it('has imports to check', () => {
    expect(imports.some(({ specifier }) => specifier.startsWith('../src/'))).toBe(true);
  });

  it('imports nothing from test/', () => {
    const intoTests = imports.filter(
      ({ file, specifier }) => specifier.startsWith('.') && resolve(root, file, '..', specifier).startsWith(`${testDir}/`),
    );
    expect(intoTests).toEqual([]);
  });
});
