import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as tollbooth } from '../support/cli.js';
import { useDatabase } from '../support/fixture.js';

const KID = /[\w-]{43}/;

describe('tollbooth keys', () => {
  const database = useDatabase();
  let env: Record<string, string>;

  beforeAll(() => {
    env = { DATABASE_URL: database.url };
    expect(tollbooth(['migrate'], env).status).toBe(0);
  });

  it('lists nothing before any key exists', () => {
    const result = tollbooth(['keys', 'list'], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No signing keys yet');
  });

  it('rotates: the next key becomes active, the active one retired, and a new next key appears', () => {
    const first = tollbooth(['keys', 'rotate'], env);
    expect(first.status).toBe(0);
    const firstActive = first.stdout.match(new RegExp(`^active\\s+(${KID.source}) \\(ES256\\)$`, 'm'))![1];
    const firstNext = first.stdout.match(new RegExp(`^next\\s+(${KID.source}) \\(ES256\\)$`, 'm'))![1];

    const second = tollbooth(['keys', 'rotate'], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^active\\s+${firstNext} \\(ES256\\)$`, 'm'));
    expect(second.stdout).toMatch(new RegExp(`^retired\\s+${firstActive} \\(ES256\\)$`, 'm'));
    // The promoted key was published only seconds before: the command says what that means.
    expect(second.stderr).toContain('published only');

    const list = tollbooth(['keys', 'list'], env);
    expect(list.status).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KID\s+ALG\s+STATE\s+CREATED\s+ACTIVATED\s+RETIRED\s+IN JWKS$/);
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.startsWith(firstNext!))).toMatch(/\bES256\s+active\b.*\byes$/);
    expect(lines.find((line) => line.startsWith(firstActive!))).toMatch(/\bES256\s+retired\b.*\byes$/);
    expect(lines.filter((line) => /\snext\s/.test(line))).toHaveLength(1);
  });

  it('creates new next keys with SIGNING_ALG', () => {
    const result = tollbooth(['keys', 'rotate'], { ...env, SIGNING_ALG: 'EdDSA' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^next\\s+${KID.source} \\(EdDSA\\)$`, 'm'));
  });

  it('refuses unknown options with exit code 64 and prints help on --help', () => {
    const bad = tollbooth(['keys', 'rotate', '--now'], env);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain("Unknown option '--now'");
    const help = tollbooth(['keys', 'list', '--help'], env);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: tollbooth keys list');
  });

  it('refuses to rotate with another KEY_ENCRYPTION_KEY, changing nothing', () => {
    const before = tollbooth(['keys', 'list'], env).stdout;
    const result = tollbooth(['keys', 'rotate'], { ...env, KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^tollbooth: signing key [\w-]+ cannot be decrypted: is KEY_ENCRYPTION_KEY the same on every instance\?$/m,
    );
    expect(tollbooth(['keys', 'list'], env).stdout).toBe(before);
  });
});
