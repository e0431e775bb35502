/**
 * Where a page of the audit log ends: the last event's time and id. The log is read newest
 * first in (created_at, id) order, a total order, so "everything after this position" never
 * skips or repeats an event, whatever is written meanwhile (keyset pagination).
 */
export interface AuditCursor {
  createdAt: Date;
  id: number;
}

const POSITION = /^(\d{1,15})\.(\d{1,15})$/;

/** An opaque string for `?cursor=`: base64url of `<epoch ms>.<id>`. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or null for anything this API did not hand out. */
export function decodeAuditCursor(text: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,44}$/.test(text)) return null;
  const match = POSITION.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const createdAt = new Date(Number(match[1]));
  const id = Number(match[2]);
  return Number.isNaN(createdAt.getTime()) || !Number.isSafeInteger(id) ? null : { createdAt, id };
}
