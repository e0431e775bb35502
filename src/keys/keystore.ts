import { importJWK, type CryptoKey, type JWK } from 'jose';
import { In, MoreThan, type DataSource } from 'typeorm';
import type { SigningAlgorithm } from '../config/index.js';
import { NoSigningKeyError } from '../errors/index.js';
import { SigningKeyEntity, type SigningKey, type SigningKeyState } from '../db/index.js';
import { decryptPrivateJwk } from './encryption.js';
import { isSigningAlgorithm } from './generate.js';

export interface KeystoreOptions {
  dataSource: DataSource;
  keyEncryptionKey: Buffer;
  /**
   * How long a retired key stays published (and accepted) after its retirement: at least the
   * JWT lifetime plus how stale another instance's keystore can be plus clock skew.
   */
  retiredKeysPublishedForSeconds: number;
  clock?: () => Date;
}

/** The key new JWTs are signed with. */
export interface SigningKeyHandle {
  kid: string;
  algorithm: SigningAlgorithm;
  privateKey: CryptoKey;
  activatedAt: Date;
}

export interface VerificationKey {
  kid: string;
  algorithm: SigningAlgorithm;
  state: SigningKeyState;
  publicJwk: JWK;
  publicKey: CryptoKey;
  retiredAt: Date | null;
}

type PublicRow = Omit<SigningKey, 'encryptedPrivateJwk'>;

function fingerprint(rows: PublicRow[]): string {
  return rows
    .map((row) => `${row.id}:${row.state}:${row.activatedAt?.getTime() ?? ''}:${row.retiredAt?.getTime() ?? ''}`)
    .sort()
    .join('|');
}

/**
 * One instance's view of the signing keys in the database. Every instance re-reads the table
 * on a timer (`refresh`), so all of them sign with the same active key without a restart.
 * Reads are cheap (public columns only); public keys are imported and the active private key
 * decrypted only when the set of keys changes — never per request.
 */
export class Keystore {
  readonly #options: KeystoreOptions;
  readonly #clock: () => Date;
  #fingerprint = '';
  #verification = new Map<string, VerificationKey>();
  #signing: SigningKeyHandle | undefined;

  constructor(options: KeystoreOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Re-reads the keys; returns true when the set changed. Throws when the database does. */
  async refresh(): Promise<boolean> {
    const { dataSource, retiredKeysPublishedForSeconds } = this.#options;
    const retiredSince = new Date(this.#clock().getTime() - retiredKeysPublishedForSeconds * 1000);
    const rows: PublicRow[] = await dataSource.getRepository(SigningKeyEntity).find({
      select: ['id', 'algorithm', 'state', 'publicJwk', 'createdAt', 'activatedAt', 'retiredAt'],
      where: [{ state: In(['next', 'active']) }, { state: 'retired', retiredAt: MoreThan(retiredSince) }],
    });
    const current = fingerprint(rows);
    if (current === this.#fingerprint) return false;

    const verification = new Map<string, VerificationKey>();
    for (const row of rows) {
      if (!isSigningAlgorithm(row.algorithm)) continue;
      const known = this.#verification.get(row.id);
      const publicJwk = known?.publicJwk ?? (JSON.parse(row.publicJwk) as JWK);
      const publicKey = known?.publicKey ?? ((await importJWK(publicJwk, row.algorithm)) as CryptoKey);
      verification.set(row.id, { kid: row.id, algorithm: row.algorithm, state: row.state, publicJwk, publicKey, retiredAt: row.retiredAt });
    }
    const active = rows
      .filter((row) => row.state === 'active' && verification.has(row.id))
      .sort((a, b) => (b.activatedAt ?? b.createdAt).getTime() - (a.activatedAt ?? a.createdAt).getTime())[0];
    const signing = active ? await this.#signingKey(active) : undefined;

    this.#verification = verification;
    // With no active key left in the database (deleted by hand, or of an algorithm this build
    // cannot sign with), stop signing: a JWT under a key no JWKS publishes would pass here and
    // fail at every product API. Exchanges answer 503 until a key exists again.
    this.#signing = signing;
    this.#fingerprint = current;
    return true;
  }

  async #signingKey(row: PublicRow): Promise<SigningKeyHandle> {
    if (this.#signing?.kid === row.id) return this.#signing;
    const { dataSource, keyEncryptionKey } = this.#options;
    const stored = await dataSource
      .getRepository(SigningKeyEntity)
      .findOne({ select: ['id', 'encryptedPrivateJwk'], where: { id: row.id } });
    if (!stored) throw new NoSigningKeyError(`signing key ${row.id} disappeared while loading it`);
    const algorithm = row.algorithm as SigningAlgorithm;
    const privateJwk = decryptPrivateJwk(stored.encryptedPrivateJwk, row.id, keyEncryptionKey);
    const privateKey = (await importJWK(privateJwk as JWK, algorithm)) as CryptoKey;
    return { kid: row.id, algorithm, privateKey, activatedAt: row.activatedAt ?? row.createdAt };
  }

  /** The kid of the key new JWTs are signed with; undefined while none is loaded. */
  get activeKid(): string | undefined {
    return this.#signing?.kid;
  }

  /** The active key. Throws NoSigningKeyError (503) while none is loaded. */
  signingKey(): SigningKeyHandle {
    if (!this.#signing) throw new NoSigningKeyError('no active signing key is loaded');
    return this.#signing;
  }

  /**
   * Keys a JWT of ours may carry: next (another instance may already have promoted it),
   * active, and retired ones still inside their publication window.
   */
  verificationKey(kid: string): VerificationKey | undefined {
    const key = this.#verification.get(kid);
    return key && this.#published(key) ? key : undefined;
  }

  /** The JWKS document (RFC 7517 §5): public parts only, next and active first. */
  publishedJwks(): { keys: JWK[] } {
    const order: Record<SigningKeyState, number> = { active: 0, next: 1, retired: 2 };
    const keys = [...this.#verification.values()]
      .filter((key) => this.#published(key))
      .sort((a, b) => order[a.state] - order[b.state] || (b.retiredAt?.getTime() ?? 0) - (a.retiredAt?.getTime() ?? 0));
    return { keys: keys.map(({ publicJwk }) => ({ ...publicJwk })) };
  }

  #published(key: VerificationKey): boolean {
    if (key.state !== 'retired' || !key.retiredAt) return true;
    return key.retiredAt.getTime() + this.#options.retiredKeysPublishedForSeconds * 1000 > this.#clock().getTime();
  }
}
