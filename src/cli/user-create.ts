import { parseArgs } from 'node:util';
import { createUser } from '../accounts/index.js';
import type { Config } from '../config/index.js';
import { commandRuntime } from './environment.js';
import { UsageError } from './usage.js';

export const USER_CREATE_HELP = `Usage: tollbooth user create --email E --password P --org SLUG [--role R]

Creates a user with a membership in organization SLUG, creating the organization when it
does not exist. R is one of viewer, member, manager, admin, owner (default member).
Passwords must be at least 12 characters.`;

export async function userCreateCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string', default: 'member' },
    },
    strict: true,
  });
  const missing = ['email', 'password', 'org'].filter((name) => !values[name as keyof typeof values]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);

  const runtime = await commandRuntime(config, { migrate: false });
  try {
    const created = await createUser(runtime.dataSource, {
      email: values.email!,
      password: values.password!,
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
