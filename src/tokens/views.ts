import { In, type EntityManager } from 'typeorm';
import { UserEntity, type PlatformToken } from '../db/index.js';

/** A token with what a presenter needs besides the row: its owner's email, and who deleted or disabled it. */
export interface TokenView extends PlatformToken {
  ownerEmail: string;
  /** The email of `deletedByUserId`, when that person still exists. */
  deletedByEmail?: string | null;
  /** The email of `disabledByUserId`, when that person still exists. */
  disabledByEmail?: string | null;
}

const peopleOf = (token: PlatformToken) =>
  [token.userId, token.deletedByUserId, token.disabledByUserId].filter((id): id is string => id !== null);

/** Attaches owner emails (and the deleter's and disabler's, when set) with one query for the whole page. */
export async function withOwners(manager: EntityManager, tokens: PlatformToken[]): Promise<TokenView[]> {
  const userIds = [...new Set(tokens.flatMap(peopleOf))];
  if (userIds.length === 0) return [];
  const users = await manager.getRepository(UserEntity).find({ select: { id: true, email: true }, where: { id: In(userIds) } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return tokens.map((token) => ({
    ...token,
    ownerEmail: emails.get(token.userId) ?? '',
    deletedByEmail: token.deletedByUserId ? (emails.get(token.deletedByUserId) ?? null) : null,
    disabledByEmail: token.disabledByUserId ? (emails.get(token.disabledByUserId) ?? null) : null,
  }));
}
