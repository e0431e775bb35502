import { parseArgs } from 'node:util';
import type { Config } from '../config/index.js';
import { JWKS_MAX_AGE_SECONDS, listSigningKeys, retiredKeyPublicationSeconds, rotateSigningKeys } from '../keys/index.js';
import { commandRuntime } from './environment.js';

export const KEYS_ROTATE_HELP = `Usage: tollbooth keys rotate

Rotates the JWT signing keys in one transaction: the next key (already published in the
JWKS) becomes active, the active key is retired — it stays published until every JWT it
signed has expired — and a new next key is created with SIGNING_ALG. Every instance picks
the change up within KEYS_REFRESH_SECONDS; no valid JWT fails verification.`;

export const KEYS_LIST_HELP = `Usage: tollbooth keys list

Lists the signing keys, newest first: kid, algorithm, state (next, active, retired), when
each was created, activated and retired, and whether the JWKS still publishes it.`;

function when(date: Date | null): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

export async function keysRotateCommand(config: Config, args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const runtime = await commandRuntime(config, { migrate: false });
  try {
    const now = new Date();
    const rotated = (await rotateSigningKeys(runtime.dataSource, {
      algorithm: config.signingAlgorithm,
      keyEncryptionKey: config.keyEncryptionKey,
      now,
    }))!;
    console.log(`active   ${rotated.active.id} (${rotated.active.algorithm})`);
    for (const key of rotated.retired) console.log(`retired  ${key.id} (${key.algorithm})`);
    console.log(`next     ${rotated.next.id} (${rotated.next.algorithm})`);
    // A next key reaches verifiers through instances' refresh plus the JWKS cache lifetime.
    // Promoting it sooner is still safe for jose-style verifiers, which refetch on an unknown
    // kid, but a verifier that only refreshes on its own schedule may briefly reject.
    const publishedForSeconds = Math.floor((now.getTime() - rotated.active.createdAt.getTime()) / 1000);
    const safeAfterSeconds = config.keysRefreshSeconds + JWKS_MAX_AGE_SECONDS;
    if (publishedForSeconds < safeAfterSeconds) {
      console.error(
        `tollbooth: note: the new active key was published only ${publishedForSeconds}s ago (under ${safeAfterSeconds}s); ` +
          'verifiers with a cached JWKS must refetch it on the unknown kid.',
      );
    }
  } finally {
    await runtime.close();
  }
}

export async function keysListCommand(config: Config, args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const runtime = await commandRuntime(config, { migrate: false });
  try {
    const keys = await listSigningKeys(runtime.dataSource);
    if (keys.length === 0) {
      console.log('No signing keys yet; `tollbooth serve` creates them at start.');
      return;
    }
    const publishedSince = Date.now() - retiredKeyPublicationSeconds(config.keysRefreshSeconds) * 1000;
    const rows = keys.map((key) => [
      key.id,
      key.algorithm,
      key.state,
      when(key.createdAt),
      when(key.activatedAt),
      when(key.retiredAt),
      key.state !== 'retired' || (key.retiredAt?.getTime() ?? 0) > publishedSince ? 'yes' : 'no',
    ]);
    const header = ['KID', 'ALG', 'STATE', 'CREATED', 'ACTIVATED', 'RETIRED', 'IN JWKS'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    for (const row of [header, ...rows])
      console.log(
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      );
  } finally {
    await runtime.close();
  }
}
