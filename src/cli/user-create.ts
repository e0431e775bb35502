import { parseArgs } from 'node:util';
import { createUser } from '../accounts/index.js';
import type { Config } from '../config/index.js';
import { commandRuntime } from './environment.js';
import { readSecret, type SecretIo } from './secret-input.js';
import { UsageError } from './usage.js';

export const USER_CREATE_HELP = `Usage: tollbooth user create --email E --org SLUG [--role R] [--password-stdin | --password P]

Creates a user with a membership in organization SLUG, creating the organization when it
does not exist. R is one of viewer, member, manager, admin, owner (default member).
Passwords must be at least 12 characters.

The password:
  (neither option)   asked for twice at a prompt, not echoed (stdin must be a terminal)
  --password-stdin   read from the first line of stdin, for scripts:
                     printf '%s\\n' "$PASSWORD" | tollbooth user create … --password-stdin
  --password P       still accepted, with a warning: P stays in shell history and is visible
                     to every user of the machine in the process list`;

export async function userCreateCommand(
  config: Config,
  args: string[],
  io: SecretIo = { stdin: process.stdin, stderr: process.stderr },
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      org: { type: 'string' },
      role: { type: 'string', default: 'member' },
    },
    strict: true,
  });
  const missing = ['email', 'org'].filter((name) => !values[name as keyof typeof values]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  const password = await readSecret(
    { flag: '--password', label: 'Password', value: values.password, fromStdin: values['password-stdin'] },
    io,
  );

  const runtime = await commandRuntime(config, { migrate: false });
  try {
    const created = await createUser(runtime.dataSource, {
      email: values.email!,
      password,
      organization: values.org!,
      role: values.role as never,
    });
    const orgNote = created.organizationCreated ? ' (organization created)' : '';
    console.log(
      `Created user ${created.user.email} (${created.user.id}) as ${created.membership.role} of ${created.organization.slug}${orgNote}.`,
    );
  } finally {
    await runtime.close();
  }
}
