import { describe, expect, it } from 'vitest';
// Unit tests of two internal functions, so they read the package's source rather than its entry.
import { jwksUriFrom, metadataUrls } from '../../packages/verifier/src/discovery.js';
import { DiscoveryError } from '../../packages/verifier/src/errors.js';

describe('metadata addresses', () => {
  it('tries RFC 8414 path insertion, then OpenID Connect, then the server root for an issuer with a path', () => {
    expect(metadataUrls('https://id.example/oauth')).toEqual([
      'https://id.example/.well-known/oauth-authorization-server/oauth',
      'https://id.example/oauth/.well-known/openid-configuration',
      'https://id.example/.well-known/openid-configuration/oauth',
      'https://id.example/.well-known/oauth-authorization-server',
      'https://id.example/.well-known/openid-configuration',
    ]);
  });

  it('uses only the root documents for an issuer without a path', () => {
    expect(metadataUrls('https://id.example')).toEqual([
      'https://id.example/.well-known/oauth-authorization-server',
      'https://id.example/.well-known/openid-configuration',
    ]);
  });

  it.each([
    ['missing', {}],
    ['not a URL', { jwks_uri: 'not a url' }],
    ['plain http for an https issuer', { jwks_uri: 'http://id.example/oauth/jwks' }],
    ['not http at all', { jwks_uri: 'file:///etc/keys' }],
  ])('refuses a jwks_uri that is %s', (_label, metadata) => {
    expect(() => jwksUriFrom(metadata, 'https://id.example/oauth', 'https://id.example/.well-known/oauth-authorization-server')).toThrow(
      DiscoveryError,
    );
  });

  it.each([
    ['an https one for an https issuer', 'https://id.example/oauth', 'https://keys.example/jwks'],
    ['a plain http one for a plain http issuer', 'http://localhost:3000/oauth', 'http://localhost:3000/oauth/jwks'],
  ])('accepts %s', (_label, issuer, jwksUri) => {
    expect(jwksUriFrom({ jwks_uri: jwksUri }, issuer, 'x').href).toBe(jwksUri);
  });
});
