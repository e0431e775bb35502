#!/usr/bin/env -S node --max-old-space-size=128
import 'reflect-metadata';
import { ConfigurationError } from '../config/index.js';
import { TollboothError } from '../errors/index.js';
import { configFromProcess, mcpClientConfigFromProcess } from './environment.js';
import { CancelledError, HELP, UsageError } from './usage.js';

interface Command {
  help(): Promise<string>;
  run(args: string[]): Promise<void>;
}

/**
 * A command whose module loads only when it runs: `user create` need not load the HTTP server,
 * nor `mcp` the database, and every start stays quick.
 */
function command<Module>(
  load: () => Promise<Module>,
  help: (module: Module) => string,
  run: (module: Module, args: string[]) => Promise<void>,
): Command {
  return { help: async () => help(await load()), run: async (args) => run(await load(), args) };
}

const commands: Record<string, Command> = {
  migrate: command(
    () => import('./migrate.js'),
    () => 'Usage: tollbooth migrate\n\nApplies pending database migrations.',
    (module) => module.migrateCommand(configFromProcess()),
  ),
  serve: command(
    () => import('./serve.js'),
    (module) => module.SERVE_HELP,
    (module, args) => module.serveCommand(configFromProcess(), args),
  ),
  'user create': command(
    () => import('./user-create.js'),
    (module) => module.USER_CREATE_HELP,
    (module, args) => module.userCreateCommand(configFromProcess(), args),
  ),
  'member remove': command(
    () => import('./member.js'),
    (module) => module.MEMBER_REMOVE_HELP,
    (module, args) => module.memberRemoveCommand(configFromProcess(), args),
  ),
  'member role': command(
    () => import('./member.js'),
    (module) => module.MEMBER_ROLE_HELP,
    (module, args) => module.memberRoleCommand(configFromProcess(), args),
  ),
  'notices run': command(
    () => import('./notices.js'),
    (module) => module.NOTICES_HELP,
    (module) => module.noticesRunCommand(configFromProcess()),
  ),
  'keys rotate': command(
    () => import('./keys.js'),
    (module) => module.KEYS_ROTATE_HELP,
    (module, args) => module.keysRotateCommand(configFromProcess(), args),
  ),
  'keys list': command(
    () => import('./keys.js'),
    (module) => module.KEYS_LIST_HELP,
    (module, args) => module.keysListCommand(configFromProcess(), args),
  ),
  mcp: command(
    () => import('./mcp.js'),
    (module) => module.MCP_HELP,
    (module, args) => module.mcpCommand(mcpClientConfigFromProcess, args),
  ),
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
    console.log(await command.help());
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
