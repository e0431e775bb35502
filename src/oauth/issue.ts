import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_LIFETIME_SECONDS, type Keystore } from '../keys/index.js';
import type { UsableToken } from '../tokens/index.js';
import { signCompactJws } from './sign.js';

export interface IssuedAccessToken {
  jwt: string;
  expiresIn: number;
  scope: string;
  kid: string;
  jti: string;
}

export interface IssueOptions {
  keystore: Keystore;
  issuer: string;
  token: UsableToken;
  scopes: string[];
  now?: Date;
}

/**
 * Mints the access token: an RFC 9068 JWT (`typ: at+jwt`, §2.1) signed with the keystore's
 * active key, carrying iss, sub, aud, client_id, iat, exp, jti, scope, org_id, token_id and
 * role, nothing else. Nothing is stored: the JWT is self-contained and verified offline
 * against the JWKS, so issuing costs no write.
 */
export async function issueAccessToken({ keystore, issuer, token, scopes, now = new Date() }: IssueOptions): Promise<IssuedAccessToken> {
  const key = keystore.signingKey();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const scope = scopes.join(' ');
  const jwt = await signCompactJws(
    { alg: key.algorithm, typ: 'at+jwt', kid: key.kid },
    {
      iss: issuer,
      sub: token.userId,
      aud: token.service.audience,
      // RFC 9068 §2.2: client_id names the client the token was issued to — the platform token.
      client_id: token.id,
      iat: issuedAt,
      exp: issuedAt + ACCESS_TOKEN_LIFETIME_SECONDS,
      jti,
      scope,
      org_id: token.organizationId,
      token_id: token.id,
      role: token.role,
    },
    key.privateKey,
  );
  return { jwt, expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS, scope, kid: key.kid, jti };
}
