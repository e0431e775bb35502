import { EntitySchema } from 'typeorm';

/** next → active → retired; see keys/ for the rotation rules. */
export type SigningKeyState = 'next' | 'active' | 'retired';

export interface SigningKey {
  /** The JWK `kid`. */
  id: string;
  algorithm: string;
  state: SigningKeyState;
  /** Public JWK as JSON. */
  publicJwk: string;
  /** Private JWK, AES-256-GCM encrypted under KEY_ENCRYPTION_KEY (keys/encryption.ts). */
  encryptedPrivateJwk: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

export const SigningKeyEntity = new EntitySchema<SigningKey>({
  name: 'SigningKey',
  tableName: 'signing_keys',
  columns: {
    id: { type: 'varchar', length: 64, primary: true },
    algorithm: { type: 'varchar', length: 16 },
    state: { type: 'varchar', length: 16 },
    publicJwk: { name: 'public_jwk', type: 'text' },
    encryptedPrivateJwk: { name: 'encrypted_private_jwk', type: 'text' },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    activatedAt: { name: 'activated_at', type: 'datetime', precision: 3, nullable: true },
    retiredAt: { name: 'retired_at', type: 'datetime', precision: 3, nullable: true },
  },
});
