import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningAlgorithm } from '../config/index.js';

/** The algorithms Tollbooth signs with: ES256 by default, EdDSA, RS256. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

export interface GeneratedKey {
  /** RFC 7638 JWK thumbprint: stable, and derived from the public key alone. */
  kid: string;
  algorithm: SigningAlgorithm;
  publicJwk: JWK;
  privateJwk: JWK;
}

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

export async function generateSigningKey(algorithm: SigningAlgorithm): Promise<GeneratedKey> {
  // RSA 2048 is the RFC 7518 §3.3 minimum; Ed25519 for EdDSA.
  const options =
    algorithm === 'RS256'
      ? { modulusLength: 2048, extractable: true }
      : algorithm === 'EdDSA'
        ? { crv: 'Ed25519', extractable: true }
        : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(algorithm, options);
  const publicParts = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicParts, 'sha256');
  const decorate = (jwk: JWK): JWK => ({ ...jwk, kid, alg: algorithm, use: 'sig' });
  return { kid, algorithm, publicJwk: decorate(publicParts), privateJwk: decorate(await exportJWK(privateKey)) };
}
