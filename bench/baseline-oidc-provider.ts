/**
 * Baseline (d): a bare oidc-provider 9 minting the same kind of JWT Tollbooth mints — an
 * RFC 9068 `at+jwt` signed ES256, 4 hours, with the same private claims — by
 * client_credentials for one static client, with no database (the in-memory defaults) and
 * no logic of ours. The gap between it and (a)/(b) is the cost of the database lookup and of
 * Tollbooth's own code. Run as its own process:
 * `PORT=… AUDIENCE=… CLIENT_ID=… CLIENT_SECRET=… SCOPE=… node baseline-oidc-provider.js`.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const audience = process.env.AUDIENCE ?? 'https://strings.tollbooth.example/api';
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = process.env.CLIENT_ID ?? 'bench-client';
  const clientSecret = process.env.CLIENT_SECRET ?? 'bench-client-secret';
  const scope = process.env.SCOPE ?? 'strings.read strings.write';

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        // The only key is ES256; oidc-provider checks the client's default (RS256) against it.
        id_token_signed_response_alg: 'ES256',
        scope,
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: scope.split(' '),
    cookies: { keys: ['bench-cookie-key-not-used-by-client-credentials'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          accessTokenFormat: 'jwt',
          accessTokenTTL: 14_400,
          audience,
          scope,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    // Tollbooth's JWT carries these too (SPEC "The JWT"); static here, so no lookup.
    extraTokenClaims: () => ({
      org_id: '0b8d3c1e-2f4a-4e6b-8c7d-9e0f1a2b3c4d',
      token_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
      role: 'member',
    }),
  });

  const server = createServer(provider.callback());
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`listening ${JSON.stringify(server.address())}\n`);
  });
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline-oidc-provider: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
