import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, decodeSegment, encodeSegment, startIssuerServer, type IssuerServer } from './issuer-server.js';

const run = promisify(execFile);
const packageDirectory = fileURLToPath(new URL('../../packages/verifier/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The environment without the npm_* variables of the `npm test` running us, which would steer the inner npm. */
function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...environment, ...extra };
}

/** Runs an ES module in the consumer project and returns what it printed as JSON. */
async function runInConsumer(directory: string, source: string, environment: Record<string, string>): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', source], {
    cwd: directory,
    env: cleanEnvironment(environment),
  });
  return JSON.parse(stdout);
}

/**
 * Packs packages/verifier as npm would publish it and installs the tarball into an empty
 * project in a temporary folder, far from this repository's node_modules: what a product API
 * gets from `npm install @tollbooth/verifier`.
 */
describe('@tollbooth/verifier installed on its own from its packed tarball', () => {
  let workDirectory: string;
  let consumer: string;
  let packedFiles: string[];
  let issuer: IssuerServer;

  beforeAll(async () => {
    workDirectory = mkdtempSync(join(tmpdir(), 'tollbooth-verifier-package-'));
    // npm pack runs the package's prepack script, which builds it from its own sources.
    const packed = await run('npm', ['pack', '--json', '--pack-destination', workDirectory], {
      cwd: packageDirectory,
      env: cleanEnvironment(),
    });
    const [manifest] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packedFiles = manifest!.files.map((file) => file.path);

    consumer = join(workDirectory, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(workDirectory, manifest!.filename)], {
      cwd: consumer,
      env: cleanEnvironment(),
    });
    issuer = await startIssuerServer();
  }, 180_000);

  afterAll(async () => {
    await issuer?.close();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  it('ships its README, manifest and built entries with their types, and nothing else', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining(['README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/koa.js', 'dist/koa.d.ts']),
    );
    expect(packedFiles.filter((path) => !/^(README\.md|package\.json|dist\/[a-z-]+\.(js|d\.ts))$/.test(path))).toEqual([]);
  });

  it('installs jose as its only dependency', () => {
    const installed = readdirSync(join(consumer, 'node_modules'))
      .filter((name) => !name.startsWith('.'))
      .flatMap((name) =>
        name.startsWith('@') ? readdirSync(join(consumer, 'node_modules', name)).map((inner) => `${name}/${inner}`) : [name],
      );
    expect(installed.sort()).toEqual(['@tollbooth/verifier', 'jose']);
  });

  it.each(['typeorm', 'mysql2', 'better-sqlite3', 'oidc-provider', 'koa', '@types/koa'])('does not install %s', (name) => {
    expect(existsSync(join(consumer, 'node_modules', name))).toBe(false);
  });

  it('verifies a JWT signed by a jose key, imported by package name, with Koa absent', async () => {
    const token = await issuer.sign({ claims: { scope: 'strings.read', org_id: 'org-packaged' } });
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${encodeSegment({ ...decodeSegment(payload!), org_id: 'org-other' })}.${signature}`;
    const result = await runInConsumer(
      consumer,
      `
      import { createVerifier } from '@tollbooth/verifier';
      import { bearerAuth } from '@tollbooth/verifier/koa';
      const verifier = createVerifier({ issuer: process.env.ISSUER, audience: process.env.AUDIENCE });
      const claims = await verifier.verify(process.env.TOKEN);
      const refusal = await verifier.verify(process.env.TAMPERED).then(() => 'accepted', (error) => error.code);
      console.log(JSON.stringify({ ...claims, scope: [...claims.scope], refusal, middleware: typeof bearerAuth(verifier) }));
      `,
      { ISSUER: issuer.issuer, AUDIENCE, TOKEN: token, TAMPERED: tampered },
    );
    expect(result).toMatchObject({
      sub: 'user-1',
      org_id: 'org-packaged',
      scope: ['strings.read'],
      refusal: 'ERR_TOLLBOOTH_TOKEN_SIGNATURE',
      middleware: 'function',
    });
  });

  it('type-checks a TypeScript project using the core entry, without Koa or its types and without skipLibCheck', async () => {
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { createVerifier, type TollboothClaims } from '@tollbooth/verifier';
const verifier = createVerifier({ issuer: 'https://tollbooth.example/oauth', audience: 'https://strings.tollbooth.example/api' });
export async function organizationOf(token: string): Promise<string> {
  const claims: TollboothClaims = await verifier.verify(token);
  return claims.org_id;
}
// The declarations are real: a misspelt claim must not compile.
// @ts-expect-error
export const misspelt = (claims: TollboothClaims): string => claims.orgId;
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const result = await run(process.execPath, [tsc, '-p', consumer], { cwd: consumer, env: cleanEnvironment() }).then(
      () => 'compiled',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe('compiled');
  });
});
