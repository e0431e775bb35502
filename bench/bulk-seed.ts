import { randomBytes, randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { ServiceCatalog } from '../src/config/index.js';
import { digestPlatformToken, displayPrefix, expiryFor, mintPlatformToken, TOKEN_CAP } from '../src/tokens/index.js';
import { BENCH_SERVICES, type SeededToken } from './seed.js';

/** Tokens (with their secrets) the large database's exchanges cycle over, spread through the table. */
const EXCHANGED_SAMPLE = 1_000;
/** Rows per INSERT statement. */
const ROWS_PER_INSERT = 2_000;

const sqlDate = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

/**
 * UUID-shaped ids in increasing order (a run prefix, then a counter), so the primary keys and
 * the owners' index fill in order: random v4 ids made a million-row insert into a table larger
 * than a small buffer pool crawl. Only the digest, which the exchange looks up, stays random.
 */
function orderedIds(): () => string {
  const run = randomBytes(4).toString('hex');
  let counter = 0;
  return () => {
    const hex = (counter++).toString(16).padStart(22, '0');
    return `${run}-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-${hex.slice(10)}`;
  };
}

/**
 * Adds `count` platform tokens to a migrated benchmark database by bulk INSERT (thousands of rows
 * per statement, not one domain call each): owners at the cap of 20 tokens, members of one
 * organization, half on each benchmark service. Most rows get a random digest (no secret
 * exists for them); `EXCHANGED_SAMPLE` rows, spread evenly through the table, get a real minted
 * secret, and those are returned for the exchanges to cycle over.
 */
export async function bulkSeedTokens(
  databaseUrl: string,
  services: ServiceCatalog,
  count: number,
  log: (line: string) => void,
): Promise<SeededToken[]> {
  const connection = await createConnection(databaseUrl);
  const sample: SeededToken[] = [];
  const every = Math.max(1, Math.floor(count / EXCHANGED_SAMPLE));
  const now = new Date();
  const created = sqlDate(now);
  const expires = sqlDate(expiryFor(now));
  const started = Date.now();
  const nextId = orderedIds();
  try {
    const organizationId = randomUUID();
    await connection.query('INSERT INTO organizations (id, slug, name, created_at) VALUES (?, ?, ?, ?)', [
      organizationId,
      `bulk-${organizationId.slice(0, 8)}`,
      'Bulk benchmark organization',
      created,
    ]);
    let users: unknown[][] = [];
    let memberships: unknown[][] = [];
    let tokens: unknown[][] = [];
    const flush = async () => {
      if (users.length) await connection.query('INSERT INTO users (id, email, password_hash, created_at) VALUES ?', [users]);
      if (memberships.length)
        await connection.query('INSERT INTO memberships (id, user_id, organization_id, role, created_at) VALUES ?', [memberships]);
      if (tokens.length)
        await connection.query(
          `INSERT INTO platform_tokens (id, user_id, organization_id, service_id, role, scopes, name, description, digest, prefix, status, created_at, expires_at)
           VALUES ?`,
          [tokens],
        );
      users = [];
      memberships = [];
      tokens = [];
    };
    let userId = '';
    for (let index = 0; index < count; index += 1) {
      if (index % TOKEN_CAP === 0) {
        userId = nextId();
        users.push([userId, `bulk-${userId}@tollbooth.local`, 'not-a-password-hash', created]);
        memberships.push([nextId(), userId, organizationId, 'member', created]);
      }
      const service = BENCH_SERVICES[index % BENCH_SERVICES.length]!;
      const id = nextId();
      const exchanged = index % every === Math.floor(every / 2) && sample.length < EXCHANGED_SAMPLE;
      const secret = exchanged ? mintPlatformToken() : undefined;
      const digest = secret ? digestPlatformToken(secret) : randomBytes(32).toString('hex');
      const scopes = services.get(service)!.scopes.join(' ');
      tokens.push([
        id,
        userId,
        organizationId,
        service,
        'member',
        scopes,
        `bulk ${index}`,
        '',
        digest,
        secret ? displayPrefix(secret) : 'tbp_bulk00',
        'active',
        created,
        expires,
      ]);
      if (secret) sample.push({ id, secret, service, userId });
      if (tokens.length === ROWS_PER_INSERT) await flush();
      if ((index + 1) % 100_000 === 0) log(`  ${index + 1} tokens inserted (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    await flush();
    await connection.query('ANALYZE TABLE platform_tokens, memberships, users');
    return sample;
  } finally {
    await connection.end();
  }
}
