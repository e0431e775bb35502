import { generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from '../../src/oauth/sign.js';

describe('signCompactJws', () => {
  it.each(['ES256', 'EdDSA', 'RS256'] as const)('produces a %s JWS that jose verifies, and a tampered one it refuses', async (alg) => {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const payload = {
      iss: 'https://issuer.test/oauth',
      sub: 'user-1',
      aud: 'https://api.test',
      exp: Math.floor(Date.now() / 1000) + 60,
      scope: 'a b',
    };
    const jws = await signCompactJws({ alg, typ: 'at+jwt', kid: 'k1' }, payload, privateKey);

    const verified = await jwtVerify(jws, publicKey, { algorithms: [alg], typ: 'at+jwt', issuer: payload.iss, audience: payload.aud });
    expect(verified.payload).toEqual(payload);
    expect(verified.protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: 'k1' });

    const [header, body, signature] = jws.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'admin' })).toString('base64url');
    await expect(jwtVerify(`${header}.${forged}.${signature}`, publicKey, { algorithms: [alg] })).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    expect(body).not.toBe(forged);
  });

  it('refuses an algorithm it does not sign with', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expect(signCompactJws({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, {}, privateKey)).rejects.toThrow(
      /unsupported signing algorithm/,
    );
  });
});
