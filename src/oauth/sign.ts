import { KeyObject, sign } from 'node:crypto';
import type { CryptoKey } from 'jose';

/**
 * JWS Compact Serialization (RFC 7515 §3.1) signing for the access token, on the hot path of
 * every exchange. jose 6 signs through WebCrypto, which the benchmark measured at ~310 µs of
 * CPU per ES256 signature against ~105 µs for node:crypto with a cached KeyObject (see the
 * README's Performance section) — signing was 12–16 % of an exchange. jose still imports the
 * keys, and verifies every JWT everywhere (verifier, bearer auth, tests).
 */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObjectFor(key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    keyObject = KeyObject.from(key as unknown as globalThis.CryptoKey);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** RFC 7518 §3.1 / RFC 8037 §3.1: the signature for each algorithm Tollbooth signs with. */
function signature(algorithm: string, input: Buffer, key: KeyObject): Buffer {
  switch (algorithm) {
    case 'ES256':
      // RFC 7518 §3.4: R || S, 32 bytes each, not DER.
      return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'RS256':
      return sign('sha256', input, key);
    case 'EdDSA':
      return sign(null, input, key);
    default:
      throw new Error(`unsupported signing algorithm ${algorithm}`);
  }
}

/** Signs `payload` with `header` (which must name `alg`) and returns the compact JWS. */
export function signCompactJws(header: { alg: string; typ: string; kid: string }, payload: object, privateKey: CryptoKey): string {
  const signingInput = `${encode(header)}.${encode(payload)}`;
  const signed = signature(header.alg, Buffer.from(signingInput), keyObjectFor(privateKey));
  return `${signingInput}.${signed.toString('base64url')}`;
}
