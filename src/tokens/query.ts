import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { InsufficientRole, TokenNotFound } from '../errors/index.js';
import { PlatformTokenEntity, type PlatformToken } from '../db/index.js';
import { seesWholeOrganization, type TokenActor } from './actor.js';
import type { ListedStatus } from './status.js';
import { isTokenId } from './token-id.js';
import { withOwners, type TokenView } from './views.js';

export interface TokenFilters {
  /** Name contains, case-insensitive. */
  q?: string;
  service?: string;
  /** `deleted` lists deleted tokens instead of live ones: admins and owners only. */
  status?: ListedStatus;
  /** `all` (every token of the org) is for admins and owners only. */
  owner?: 'me' | 'all';
}

function tokensOf(manager: EntityManager, actor: TokenActor): SelectQueryBuilder<PlatformToken> {
  return manager
    .getRepository(PlatformTokenEntity)
    .createQueryBuilder('token')
    .where('token.organizationId = :organizationId', { organizationId: actor.organizationId })
    .andWhere('token.deletedAt IS NULL');
}

function ownTokens(manager: EntityManager, actor: TokenActor): SelectQueryBuilder<PlatformToken> {
  return tokensOf(manager, actor).andWhere('token.userId = :userId', { userId: actor.userId });
}

/** The tokens the actor may see and manage: their own, or the whole org for admins and owners. */
export function visibleTokens(manager: EntityManager, actor: TokenActor): SelectQueryBuilder<PlatformToken> {
  return seesWholeOrganization(actor) ? tokensOf(manager, actor) : ownTokens(manager, actor);
}

/**
 * Row-locks what a query selects until the transaction ends, so two concurrent changes to
 * one token serialise. Callers write the rows they lock, so on a Galera cluster certification
 * orders changes made through different nodes too. SQLite needs none: its transactions
 * already run one at a time.
 */
export function forUpdate(query: SelectQueryBuilder<PlatformToken>): SelectQueryBuilder<PlatformToken> {
  return query.connection.options.type === 'better-sqlite3' ? query : query.setLock('pessimistic_write');
}

/** LIKE pattern for "contains", with `!` as the escape character (the same on MySQL and SQLite). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (character) => `!${character}`)}%`;
}

function liveTokens(manager: EntityManager, actor: TokenActor, filters: TokenFilters): SelectQueryBuilder<PlatformToken> {
  return filters.owner === 'all' ? tokensOf(manager, actor) : ownTokens(manager, actor);
}

/** Deleted tokens of the organization (or the actor's own): kept for the record, never usable again. */
function deletedTokensOf(manager: EntityManager, actor: TokenActor, owner: 'me' | 'all'): SelectQueryBuilder<PlatformToken> {
  const query = manager
    .getRepository(PlatformTokenEntity)
    .createQueryBuilder('token')
    .where('token.organizationId = :organizationId', { organizationId: actor.organizationId })
    .andWhere('token.deletedAt IS NOT NULL');
  return owner === 'all' ? query : query.andWhere('token.userId = :userId', { userId: actor.userId });
}

/** Lists tokens, newest first. */
export async function listTokens(dataSource: DataSource, actor: TokenActor, filters: TokenFilters, now = new Date()): Promise<TokenView[]> {
  if (filters.owner === 'all' && !seesWholeOrganization(actor)) {
    throw new InsufficientRole("Only an organization's admins and owners can list every token (owner=all).");
  }
  if (filters.status === 'deleted' && !seesWholeOrganization(actor)) {
    throw new InsufficientRole("Only an organization's admins and owners can list deleted tokens (status=deleted).");
  }
  const query =
    filters.status === 'deleted'
      ? deletedTokensOf(dataSource.manager, actor, filters.owner ?? 'me')
      : liveTokens(dataSource.manager, actor, filters);
  if (filters.q) query.andWhere("LOWER(token.name) LIKE :pattern ESCAPE '!'", { pattern: containsPattern(filters.q) });
  if (filters.service) query.andWhere('token.serviceId = :service', { service: filters.service });
  if (filters.status === 'deleted') {
    // Every deleted token, whatever its status was.
  } else if (filters.status === 'expired') {
    query.andWhere('token.expiresAt <= :now', { now });
  } else if (filters.status) {
    query.andWhere('token.status = :status AND token.expiresAt > :now', { status: filters.status, now });
  }
  const tokens = await query.orderBy('token.createdAt', 'DESC').addOrderBy('token.id', 'ASC').getMany();
  return withOwners(dataSource.manager, tokens);
}

/**
 * One visible token, or 404 `token_not_found` (another member's token is indistinguishable
 * from none). `lock` row-locks it for a change inside a transaction.
 */
export async function findVisibleToken(manager: EntityManager, actor: TokenActor, id: string, { lock = false } = {}): Promise<TokenView> {
  const query = visibleTokens(manager, actor).andWhere('token.id = :id', { id });
  const token = isTokenId(id) ? await (lock ? forUpdate(query) : query).getOne() : null;
  if (!token) throw new TokenNotFound();
  const [view] = await withOwners(manager, [token]);
  return view!;
}

/** How many live (not deleted, not expired) tokens a user holds across organizations: what the cap counts. */
export async function countLiveTokens(manager: EntityManager | DataSource, userId: string, now = new Date()): Promise<number> {
  return manager
    .getRepository(PlatformTokenEntity)
    .createQueryBuilder('token')
    .where('token.userId = :userId', { userId })
    .andWhere('token.deletedAt IS NULL')
    .andWhere('token.expiresAt > :now', { now })
    .getCount();
}
