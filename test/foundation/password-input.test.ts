import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/index.js';
import { hiddenPrompt } from '../../src/cli/secret-input.js';
import { packageRoot } from '../../src/config/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli', 'index.js');
const PASSWORD = 'correct horse battery staple';
let sequence = 0;
const nextEmail = () => `pw${++sequence}-${process.pid}@example.test`;

/** A fake terminal for the prompt: records raw mode, takes typed text. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    rawModes: [] as boolean[],
    setRawMode(mode: boolean) {
      input.isRaw = mode;
      input.rawModes.push(mode);
      return input;
    },
  });
  const written: string[] = [];
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  return { input, output, written: () => written.join('') };
}

describe('the hidden prompt', () => {
  it.each([
    ['plain text', 'secret\r', 'secret'],
    ['a backspace', 'secrex\u007ft\r', 'secret'],
    ['Ctrl-H', 'secrex\bt\n', 'secret'],
    ['other control characters, dropped', 'se\u001bcret\r', 'secret'],
    ['text beyond the line, left for the next question', 'secret\rnext\r', 'secret'],
    ['characters outside the BMP', 'p🔑ss\r', 'p🔑ss'],
  ])('reads %s', async (_case, typed, answer) => {
    const terminal = fakeTerminal();
    const asking = hiddenPrompt(terminal.input, terminal.output)('Password: ');
    terminal.input.write(typed);
    expect(await asking).toBe(answer);
    expect(terminal.input.rawModes).toEqual([true, false]);
    expect(terminal.written()).toBe('Password: \n');
  });

  it('keeps what was typed ahead for the next question', async () => {
    const terminal = fakeTerminal();
    const ask = hiddenPrompt(terminal.input, terminal.output);
    terminal.input.write('first\rsecond\r');
    expect(await ask('One: ')).toBe('first');
    expect(await ask('Two: ')).toBe('second');
  });

  it('cancels on Ctrl-C', async () => {
    const terminal = fakeTerminal();
    const asking = hiddenPrompt(terminal.input, terminal.output)('Password: ');
    terminal.input.write('sec\u0003');
    await expect(asking).rejects.toMatchObject({ exitCode: 130 });
    expect(terminal.input.isRaw).toBe(false);
  });
});

describe('tollbooth user create: the password', () => {
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'tollbooth-cli-')), DATABASE_URL: database.url };
    expect(spawnSync(process.execPath, [cli, 'migrate'], { env, encoding: 'utf8' }).status).toBe(0);
  });
  afterAll(() => database?.drop());

  const userCreate = (email: string, extra: string[]) => ['user', 'create', '--email', email, '--org', 'pw-org', ...extra];

  function tollbooth(args: string[], input?: string) {
    const result = spawnSync(process.execPath, [cli, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  async function storedHash(email: string): Promise<string | undefined> {
    const connection = await createConnection(database.url);
    try {
      const [rows] = await connection.query('SELECT password_hash FROM users WHERE email = ?', [email]);
      return (rows as Array<{ password_hash: string }>)[0]?.password_hash;
    } finally {
      await connection.end();
    }
  }

  /** The command in a pseudo-terminal (util-linux `script`), typed into like a person would. */
  function inTerminal(args: string[]) {
    const command = [process.execPath, cli, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return {
      screen: () => screen,
      /** Waits for `text` on the screen after what was already seen, then types `keys`. */
      async answer(text: string, keys: string) {
        const seen = screen.length;
        await eventually(async () => (screen.indexOf(text, seen > 0 ? seen - text.length : 0) >= 0 ? true : undefined), {
          what: `"${text}" on the terminal`,
          timeoutMs: 30_000,
        });
        child.stdin.write(keys);
      },
      exited,
    };
  }

  it('prompts twice in a terminal without echoing what is typed', async () => {
    const email = nextEmail();
    const terminal = inTerminal(userCreate(email, []));
    await terminal.answer('Password: ', `${PASSWORD}\r`);
    await terminal.answer('Repeat password: ', `${PASSWORD}\r`);
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toContain(`Created user ${email}`);
    expect(terminal.screen()).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, (await storedHash(email))!)).toBe(true);
  });

  it('refuses two different answers at the prompt and creates nobody', async () => {
    const email = nextEmail();
    const terminal = inTerminal(userCreate(email, []));
    await terminal.answer('Password: ', `${PASSWORD}\r`);
    await terminal.answer('Repeat password: ', `${PASSWORD}!\r`);
    expect(await terminal.exited).toBe(64);
    expect(terminal.screen()).toContain('the passwords do not match');
    expect(await storedHash(email)).toBeUndefined();
  });

  it('stops with exit code 130 on Ctrl-C at the prompt', async () => {
    const email = nextEmail();
    const terminal = inTerminal(userCreate(email, []));
    await terminal.answer('Password: ', 'half-typed\u0003');
    expect(await terminal.exited).toBe(130);
    expect(await storedHash(email)).toBeUndefined();
  });

  it('reads the first line of stdin with --password-stdin, quietly', async () => {
    const email = nextEmail();
    const result = tollbooth(userCreate(email, ['--password-stdin']), `${PASSWORD}\nnot this line\n`);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(await verifyPassword(PASSWORD, (await storedHash(email))!)).toBe(true);
  });

  it('still takes --password, with a warning on stderr', async () => {
    const email = nextEmail();
    const result = tollbooth(userCreate(email, ['--password', PASSWORD]));
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^tollbooth: warning: --password leaves the password in your shell history and in the process list/);
    expect(await verifyPassword(PASSWORD, (await storedHash(email))!)).toBe(true);
  });

  it.each([
    ['no password and stdin not a terminal', [], '', /missing --password: .*--password-stdin/],
    ['--password-stdin with nothing on stdin', ['--password-stdin'], '', /--password-stdin: standard input had no password/],
    ['both ways at once', ['--password', PASSWORD, '--password-stdin'], `${PASSWORD}\n`, /give --password or --password-stdin, not both/],
  ])('refuses %s with exit code 64', async (_case, extra, input, message) => {
    const email = nextEmail();
    const result = tollbooth(userCreate(email, extra), input);
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(await storedHash(email)).toBeUndefined();
  });
});
