import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The masking rule of `src/log/mask.ts` as it stood when this migration landed; a migration
 * keeps its own copy, as it never changes once landed.
 */
const CREDENTIAL_PATTERN = /tbp_[0-9A-Za-z]{38}[0-9A-Za-z]*|eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*/g;
const mask = (text: string) => text.replace(CREDENTIAL_PATTERN, (credential) => `${credential.slice(0, 10)}…[redacted]`);

/** Rows read and rewritten per query, so a large audit trail never sits in memory at once. */
const BATCH = 500;

interface FreeText {
  table: string;
  /** Where the keyset paging starts: below every id (integer ids, or uuid strings). */
  firstId: number | string;
  /** Column → its length limit (null for `text`). */
  columns: Record<string, number | null>;
}

/**
 * Every column a request can fill with text of its choosing. Emails and organization names
 * are identities checked on entry, and the other columns hold values the server makes.
 */
const FREE_TEXT: FreeText[] = [
  { table: 'audit_events', firstId: 0, columns: { user_agent: 512, details: null } },
  { table: 'platform_tokens', firstId: '', columns: { name: 100, description: 500 } },
  // Mails quote token names, and a queued or sent mail is kept.
  { table: 'outbox', firstId: 0, columns: { subject: 255, body: null } },
];

/**
 * Rows written before credentials were masked on the way in may hold a platform token or a JWT
 * in full (a user agent, an audit detail, a token's name). Each is masked with the same rule,
 * reading only the rows that may hold one. `LIKE` is a coarse filter (case-insensitive on
 * both databases); the pattern decides.
 */
export class MaskStoredCredentials1765750000000 implements MigrationInterface {
  name = 'MaskStoredCredentials1765750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, firstId, columns } of FREE_TEXT) {
      const names = Object.keys(columns);
      const candidate = names.map((column) => `${column} LIKE '%tbp!_%' ESCAPE '!' OR ${column} LIKE '%eyJ%'`).join(' OR ');
      let after: number | string = firstId;
      for (;;) {
        const rows = (await queryRunner.query(
          `SELECT id, ${names.join(', ')} FROM ${table} WHERE id > ? AND (${candidate}) ORDER BY id LIMIT ${BATCH}`,
          [after],
        )) as Array<Record<string, string | number | null>>;
        for (const row of rows) {
          const changed = names.flatMap((column) => {
            const value = row[column];
            if (typeof value !== 'string') return [];
            const limit = columns[column];
            const masked = limit === null ? mask(value) : mask(value).slice(0, limit);
            return masked === value ? [] : [[column, masked] as const];
          });
          if (changed.length === 0) continue;
          await queryRunner.query(`UPDATE ${table} SET ${changed.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, [
            ...changed.map(([, masked]) => masked),
            row.id,
          ]);
        }
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.id!;
      }
    }
  }

  async down(): Promise<void> {
    // A masked credential cannot be restored, and should not be.
  }
}
