import { KeyObject, sign } from 'node:crypto';
import type { CryptoKey } from 'jose';

/**
 * JWS Compact Serialization (RFC 7515 §3.1) signing for the access token, on the hot path of
 * every exchange. jose 6 signs through WebCrypto, which the benchmark measured at ~310 µs of
 * CPU per ES256 signature against ~105 µs for node:crypto with a cached KeyObject (see
 * docs/performance.md) — signing was 12–16 % of an exchange. The signature is computed on the
 * event loop: handing it to libuv's thread pool (the callback form) left as much work on the
 * event loop (queueing the job and running its completion through the async hooks that
 * oidc-provider's AsyncLocalStorage installs) as an ES256 signature takes, and cost 35–45 µs
 * more CPU per exchange in total. jose still imports the keys, and verifies every JWT
 * everywhere (verifier, bearer auth, tests).
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

/** A key signs with one header for its whole life: encoded once per key, algorithm and type. */
const encodedHeaders = new Map<string, string>();
const MAX_ENCODED_HEADERS = 64;

function encodedHeader(header: { alg: string; typ: string; kid: string }): string {
  const cacheKey = `${header.alg} ${header.typ} ${header.kid}`;
  let encoded = encodedHeaders.get(cacheKey);
  if (encoded === undefined) {
    encoded = encode({ alg: header.alg, typ: header.typ, kid: header.kid });
    // Keys rotate rarely; the bound only keeps a long-lived process from collecting old ones forever.
    if (encodedHeaders.size >= MAX_ENCODED_HEADERS) encodedHeaders.clear();
    encodedHeaders.set(cacheKey, encoded);
  }
  return encoded;
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
export async function signCompactJws(
  header: { alg: string; typ: string; kid: string },
  payload: object,
  privateKey: CryptoKey,
): Promise<string> {
  const signingInput = `${encodedHeader(header)}.${encode(payload)}`;
  const signed = signature(header.alg, Buffer.from(signingInput), keyObjectFor(privateKey));
  return `${signingInput}.${signed.toString('base64url')}`;
}
