import type { PresentedToken } from '../api/index.js';
import type { ServiceSummary, TokenList } from './operations.js';

/*
 * Text renderings of tool results. Names and descriptions are written by people in the
 * organization, so they appear JSON-quoted: an agent reads them as data, never as instructions.
 */

const quoted = (text: string) => JSON.stringify(text);

/** Why a token whose status says usable does not exchange, for the agent to pass on; empty otherwise. */
function suspensionNote(token: PresentedToken): string[] {
  if (!token.suspended) return [];
  const ownerRole = token.suspended.owner_role ?? 'none';
  return [`(suspended: its role is above its owner's current role, ${ownerRole}, so it does not exchange until that role is given back)`];
}

function tokenLine(token: PresentedToken): string {
  const lastUsed = token.last_used_at ? `last used ${token.last_used_at}` : 'never used';
  return [
    `- ${quoted(token.name)} id=${token.id}`,
    `service=${token.service} role=${token.role} status=${token.status} prefix=${token.prefix}…`,
    `owner=${token.owner.email} expires ${token.expires_at}, ${lastUsed}`,
    ...suspensionNote(token),
  ].join(' ');
}

export function servicesText(services: ServiceSummary[]): string {
  const lines = services.map((service) => `- ${service.id} (${quoted(service.name)}): scopes ${service.scopes.join(' ')}`);
  return ['Services a token can be bound to (create_token takes the id):', ...lines].join('\n');
}

export function tokenListText({ tokens, count, limit }: TokenList): string {
  const heading = `${tokens.length} token${tokens.length === 1 ? '' : 's'} listed; you hold ${count} of at most ${limit} live tokens.`;
  return [heading, ...tokens.map(tokenLine)].join('\n');
}

export function createdTokenText(token: PresentedToken, secret: string): string {
  return [
    `Created token ${quoted(token.name)} id=${token.id} for service ${token.service} with role ${token.role}; it expires ${token.expires_at}.`,
    `Secret (shown only this once; store it now, e.g. in a secret manager): ${secret}`,
  ].join('\n');
}

export function tokenStatusText(token: PresentedToken): string {
  return [`Token ${quoted(token.name)} id=${token.id} is now ${token.status}.`, ...suspensionNote(token)].join(' ');
}

export function revokedTokenText(tokenId: string): string {
  return `Deleted token ${tokenId} for good: it no longer exchanges for JWTs.`;
}
