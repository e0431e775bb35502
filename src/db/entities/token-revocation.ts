import { EntitySchema } from 'typeorm';

/** A platform token's "not before" time: its JWTs issued earlier are dead. */
export interface TokenRevocation {
  tokenId: string;
  /** When the token was last revoked (disabled, deleted, …); JWTs with an earlier `iat` are refused. */
  notBefore: Date;
  /** Why (`deleted`, `disabled`, `leaked`, `member_removed`, `role_lowered`); kept, not published. */
  reason: string;
}

export const TokenRevocationEntity = new EntitySchema<TokenRevocation>({
  name: 'TokenRevocation',
  tableName: 'token_revocations',
  columns: {
    tokenId: { name: 'token_id', type: 'varchar', length: 36, primary: true },
    notBefore: { name: 'not_before', type: 'datetime', precision: 3 },
    reason: { type: 'varchar', length: 32 },
  },
});
