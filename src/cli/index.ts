#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigurationError } from '../config/index.js';
import { TollboothError } from '../errors/index.js';
import { configFromProcess, mcpClientConfigFromProcess } from './environment.js';
import { KEYS_LIST_HELP, KEYS_ROTATE_HELP, keysListCommand, keysRotateCommand } from './keys.js';
import { MCP_HELP, mcpCommand } from './mcp.js';
import { migrateCommand } from './migrate.js';
import { NOTICES_HELP, noticesRunCommand } from './notices.js';
import { SERVE_HELP, serveCommand } from './serve.js';
import { USER_CREATE_HELP, userCreateCommand } from './user-create.js';
import { CancelledError, HELP, UsageError } from './usage.js';

type Command = { help: string; run: (args: string[]) => Promise<void> };

const commands: Record<string, Command> = {
  migrate: { help: 'Usage: tollbooth migrate\n\nApplies pending database migrations.', run: () => migrateCommand(configFromProcess()) },
  serve: { help: SERVE_HELP, run: (args) => serveCommand(configFromProcess(), args) },
  'user create': { help: USER_CREATE_HELP, run: (args) => userCreateCommand(configFromProcess(), args) },
  'notices run': { help: NOTICES_HELP, run: () => noticesRunCommand(configFromProcess()) },
  'keys rotate': { help: KEYS_ROTATE_HELP, run: (args) => keysRotateCommand(configFromProcess(), args) },
  'keys list': { help: KEYS_LIST_HELP, run: (args) => keysListCommand(configFromProcess(), args) },
  mcp: { help: MCP_HELP, run: (args) => mcpCommand(mcpClientConfigFromProcess, args) },
};

async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(HELP);
    return;
  }
  const twoWords = `${argv[0]} ${argv[1] ?? ''}`;
  const [name, rest] = commands[twoWords] ? [twoWords, argv.slice(2)] : [argv[0]!, argv.slice(1)];
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${argv.slice(0, 2).join(' ')}'`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return;
  }
  await command.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CancelledError) {
    console.error(`tollbooth: ${error.message}`);
    process.exit(error.exitCode);
  }
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`tollbooth: ${(error as Error).message}\nRun 'tollbooth --help' for usage.`);
    process.exit(64);
  }
  if (error instanceof ConfigurationError || error instanceof TollboothError) {
    console.error(`tollbooth: ${(error as Error).message}`);
    process.exit(error instanceof ConfigurationError ? 78 : 1);
  }
  console.error(`tollbooth: ${(error as Error)?.message ?? String(error)}`);
  process.exit(1);
});
