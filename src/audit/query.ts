import { In, type DataSource } from 'typeorm';
import { canManageOrganizationTokens, type Role } from '../accounts/index.js';
import { AuditEventEntity, UserEntity, type AuditEvent } from '../db/index.js';
import { InsufficientRole } from '../errors/index.js';
import type { AuditCursor } from './cursor.js';
import type { AuditAction } from './record.js';

/** Page sizes for `GET /api/orgs/{org}/audit`. */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** Who reads the log: their role in the organization (a bearer's already lowered to its token's). */
export interface AuditReader {
  organizationId: string;
  role: Role;
}

export interface AuditLogQuery {
  limit: number;
  /** Continue after this position (the previous page's `next`). */
  after?: AuditCursor;
  action?: AuditAction;
  tokenId?: string;
}

/** One event with its actor's email: what a presenter needs. */
export interface AuditEventView extends Omit<AuditEvent, 'details' | 'action'> {
  action: AuditAction;
  actorEmail: string | null;
  details: Record<string, unknown>;
}

export interface AuditLogPage {
  events: AuditEventView[];
  /** Where the next page starts; null on the last page. */
  next: AuditCursor | null;
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A page of an organization's audit log, newest first. Only the organization's own events:
 * session events belong to no organization and never appear. Reading it is for the
 * organization's admins and owners, who already see and manage every token it has;
 * others get 403 `insufficient_role`.
 *
 * Ordered by (created_at, id), which the `audit_events_org_time` index serves as is (InnoDB
 * appends the primary key to every secondary index), and paged by keyset, not offset.
 */
export async function readAuditLog(dataSource: DataSource, reader: AuditReader, query: AuditLogQuery): Promise<AuditLogPage> {
  if (!canManageOrganizationTokens(reader.role)) {
    throw new InsufficientRole("Only an organization's admins and owners can read its audit log.");
  }
  const select = dataSource
    .getRepository(AuditEventEntity)
    .createQueryBuilder('event')
    .where('event.organizationId = :organizationId', { organizationId: reader.organizationId });
  if (query.action) select.andWhere('event.action = :action', { action: query.action });
  if (query.tokenId) select.andWhere('event.tokenId = :tokenId', { tokenId: query.tokenId });
  if (query.after) {
    select.andWhere('(event.createdAt < :afterTime OR (event.createdAt = :afterTime AND event.id < :afterId))', {
      afterTime: query.after.createdAt,
      afterId: query.after.id,
    });
  }
  // One row more than asked tells whether another page exists, without a count.
  const rows = await select
    .orderBy('event.createdAt', 'DESC')
    .addOrderBy('event.id', 'DESC')
    .limit(query.limit + 1)
    .getMany();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    events: await withActors(dataSource, page),
    next: rows.length > query.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

/** Attaches actor emails with one query for the whole page. */
async function withActors(dataSource: DataSource, events: AuditEvent[]): Promise<AuditEventView[]> {
  const actorIds = [...new Set(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : [])))];
  const users =
    actorIds.length === 0
      ? []
      : await dataSource.getRepository(UserEntity).find({ select: { id: true, email: true }, where: { id: In(actorIds) } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return events.map((event) => ({
    ...event,
    // Only recordAuditEvent writes this column, always with an AuditAction.
    action: event.action as AuditAction,
    actorEmail: event.actorUserId ? (emails.get(event.actorUserId) ?? null) : null,
    details: parseDetails(event.details),
  }));
}
