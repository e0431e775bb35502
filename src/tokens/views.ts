import { In, type EntityManager } from 'typeorm';
import { UserEntity, type PlatformToken } from '../db/index.js';

/** A token with what a presenter needs besides the row: its owner's email, and who deleted it. */
export interface TokenView extends PlatformToken {
  ownerEmail: string;
  /** The email of `deletedByUserId`, when that person still exists. */
  deletedByEmail?: string | null;
}

/** Attaches owner emails (and, for deleted tokens, the deleter's) with one query for the whole page. */
export async function withOwners(manager: EntityManager, tokens: PlatformToken[]): Promise<TokenView[]> {
  const userIds = [...new Set(tokens.flatMap((token) => (token.deletedByUserId ? [token.userId, token.deletedByUserId] : [token.userId])))];
  if (userIds.length === 0) return [];
  const users = await manager.getRepository(UserEntity).find({ select: { id: true, email: true }, where: { id: In(userIds) } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return tokens.map((token) => ({
    ...token,
    ownerEmail: emails.get(token.userId) ?? '',
    deletedByEmail: token.deletedByUserId ? (emails.get(token.deletedByUserId) ?? null) : null,
  }));
}
