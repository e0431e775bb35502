import { createInterface } from 'node:readline';
import { CancelledError, UsageError } from './usage.js';

/** A terminal input, or anything that behaves like one (the tests pass a fake). */
export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface SecretIo {
  stdin: TerminalInput;
  /** Prompts and warnings: stdout stays the command's output. */
  stderr: NodeJS.WritableStream;
}

export interface SecretOptions {
  /** The flag that takes the secret inline, e.g. `--password`; `<flag>-stdin` reads it from stdin. */
  flag: string;
  /** What to ask for, e.g. `Password`. */
  label: string;
  /** The inline value, when the flag was given. */
  value: string | undefined;
  /** Whether `<flag>-stdin` was given. */
  fromStdin: boolean;
}

const CONTROL = {
  interrupt: '\u0003',
  endOfInput: '\u0004',
  backspace: '\u007f',
  ctrlH: '\b',
} as const;

/**
 * Asks for hidden input on a terminal: raw mode, so nothing typed is echoed, one line per
 * question. Input typed ahead of a question is kept for it. Ctrl-C cancels.
 */
export function hiddenPrompt(input: TerminalInput, output: NodeJS.WritableStream) {
  let pending = '';
  return function ask(question: string): Promise<string> {
    output.write(question);
    const wasRaw = Boolean(input.isRaw);
    input.setRawMode?.(true);
    return new Promise((resolve, reject) => {
      let answer = '';
      const finish = (error?: Error) => {
        input.removeListener('data', onData);
        input.setRawMode?.(wasRaw);
        input.pause();
        output.write('\n');
        if (error) reject(error);
        else resolve(answer);
      };
      const consume = () => {
        while (pending.length > 0) {
          const character = String.fromCodePoint(pending.codePointAt(0)!);
          pending = pending.slice(character.length);
          if (character === '\r' || character === '\n') return finish();
          if (character === CONTROL.interrupt) return finish(new CancelledError('cancelled'));
          if (character === CONTROL.endOfInput && answer === '') return finish(new CancelledError('no input'));
          if (character === CONTROL.backspace || character === CONTROL.ctrlH) answer = [...answer].slice(0, -1).join('');
          else if (character >= ' ') answer += character;
        }
      };
      const onData = (chunk: Buffer | string) => {
        pending += chunk.toString();
        consume();
      };
      input.on('data', onData);
      input.resume();
      consume();
    });
  };
}

/** The first line of a non-terminal stdin (`printf '%s\n' "$PASSWORD" | tollbooth … --password-stdin`). */
async function firstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

/**
 * Reads a secret a command needs, the safe ways first: a prompt without echo when stdin is a
 * terminal, or one line of stdin with `<flag>-stdin`. The inline flag still works, with a
 * warning: its value sits in shell history and in every user's process list.
 */
export async function readSecret({ flag, label, value, fromStdin }: SecretOptions, io: SecretIo): Promise<string> {
  if (value !== undefined && fromStdin) throw new UsageError(`give ${flag} or ${flag}-stdin, not both`);
  if (fromStdin) {
    const line = await firstLine(io.stdin);
    if (!line) throw new UsageError(`${flag}-stdin: standard input had no ${label.toLowerCase()} on its first line`);
    return line;
  }
  if (value !== undefined) {
    io.stderr.write(
      `tollbooth: warning: ${flag} leaves the ${label.toLowerCase()} in your shell history and in the process list; ` +
        `leave it out to be prompted, or use ${flag}-stdin\n`,
    );
    return value;
  }
  if (!io.stdin.isTTY) {
    throw new UsageError(`missing ${flag}: run in a terminal to be prompted, or pipe it in with ${flag}-stdin`);
  }
  const ask = hiddenPrompt(io.stdin, io.stderr);
  const first = await ask(`${label}: `);
  if ((await ask(`Repeat ${label.toLowerCase()}: `)) !== first) throw new UsageError(`the ${label.toLowerCase()}s do not match`);
  return first;
}
