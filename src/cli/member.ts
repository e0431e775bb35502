import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../accounts/index.js';
import type { AuditContext } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { DataSource } from 'typeorm';
import { changeMemberRole, memberByEmail, removeMember, type MemberChangeInput, type MemberChangeResult } from '../members/index.js';
import { commandRuntime } from './environment.js';
import { UsageError } from './usage.js';

export const MEMBER_REMOVE_HELP = `Usage: tollbooth member remove --org SLUG --email E

Removes user E from organization SLUG. Every token E holds in SLUG is deleted (reason
member_removed), and the JWTs already issued from those tokens are revoked: product APIs
following the revocation feed refuse them within their poll interval. The organization's
last owner cannot be removed. Audited as member.removed (via cli).`;

export const MEMBER_ROLE_HELP = `Usage: tollbooth member role --org SLUG --email E --role R

Gives user E the role R in organization SLUG; R is one of ${ROLES.join(', ')}.
Lowering the role revokes the JWTs already issued for E's tokens whose role is above R
(reason role_lowered); those tokens stop exchanging while above E's role, and the others keep
working. The organization's last owner cannot be demoted. Audited as member.role_changed (via cli).`;

/** An operator at the command line: no person of the organization, no address. */
const OPERATOR: AuditContext = { actorUserId: null, ip: null, userAgent: null, via: 'cli' };

function named(args: string[], withRole: boolean): { org: string; email: string; role?: string } {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, email: { type: 'string' }, ...(withRole && { role: { type: 'string' } }) },
    strict: true,
  });
  const given = values as { org?: string; email?: string; role?: string };
  const missing = ['org', 'email', ...(withRole ? ['role'] : [])].filter((name) => !given[name as keyof typeof given]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  return { org: given.org!, email: given.email!, role: given.role };
}

function revokedLine({ tokensRevoked }: MemberChangeResult, what: string): string {
  return tokensRevoked.length === 0 ? '' : ` ${tokensRevoked.length} token(s) ${what}: ${tokensRevoked.join(', ')}.`;
}

/** Opens the database, finds the member the operator named, runs `change` as the operator, closes. */
async function asOperator(
  config: Config,
  { org, email }: { org: string; email: string },
  change: (dataSource: DataSource, input: MemberChangeInput) => Promise<void>,
): Promise<void> {
  const runtime = await commandRuntime(config, { migrate: false });
  try {
    const { organizationId, userId } = await memberByEmail(runtime.dataSource, org, email);
    await change(runtime.dataSource, { organizationId, userId, changer: null, audit: OPERATOR });
  } finally {
    await runtime.close();
  }
}

export async function memberRemoveCommand(config: Config, args: string[]): Promise<void> {
  const { org, email } = named(args, false);
  await asOperator(config, { org, email }, async (dataSource, input) => {
    const removed = await removeMember(dataSource, input);
    console.log(`Removed ${removed.member.email} (${removed.member.role}) from ${org}.${revokedLine(removed, 'deleted')}`);
  });
}

export async function memberRoleCommand(config: Config, args: string[]): Promise<void> {
  const { org, email, role } = named(args, true);
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  await asOperator(config, { org, email }, async (dataSource, input) => {
    const changed = await changeMemberRole(dataSource, { ...input, role });
    console.log(`${changed.member.email} is now ${changed.member.role} of ${org}.${revokedLine(changed, 'revoked')}`);
  });
}
