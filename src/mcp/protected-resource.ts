import type { Config } from '../config/index.js';
import { READ_SCOPE, WRITE_SCOPE } from '../api/index.js';

/** Where the MCP endpoint lives on the Tollbooth server. */
export const MCP_PATH = '/mcp';

/**
 * RFC 9728 §3.1: the metadata of a resource with a path is served at the well-known prefix
 * followed by that path; the bare prefix is served too, for clients that look there first.
 */
export const PROTECTED_RESOURCE_METADATA_PATHS = [
  `/.well-known/oauth-protected-resource${MCP_PATH}`,
  '/.well-known/oauth-protected-resource',
];

export interface ProtectedResource {
  /** The resource identifier: the MCP endpoint's URL. */
  resource: string;
  /** The URL clients fetch the metadata from, named in every `WWW-Authenticate` challenge. */
  metadataUrl: string;
  /** The RFC 9728 §2 document. */
  metadata: Record<string, unknown>;
}

/** The MCP endpoint as an RFC 9728 protected resource of this authorization server. */
export function protectedResource(config: Config): ProtectedResource {
  const resource = `${config.publicUrl}${MCP_PATH}`;
  return {
    resource,
    metadataUrl: `${config.publicUrl}${PROTECTED_RESOURCE_METADATA_PATHS[0]}`,
    metadata: {
      resource,
      authorization_servers: [config.issuer],
      scopes_supported: [READ_SCOPE, WRITE_SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: 'Tollbooth MCP server',
    },
  };
}

/** Quotes a value for an RFC 9110 §11.2 auth-param (quoted-string). */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The `WWW-Authenticate` challenge: RFC 6750 §3 (no error code when no credentials came; the
 * error and the missing scope otherwise) with RFC 9728 §5.1 `resource_metadata`.
 */
export function bearerChallenge(metadataUrl: string, error?: { error: string; description: string; scope?: string }): string {
  const parameters: string[] = [];
  if (error) {
    parameters.push(`error=${quoted(error.error)}`, `error_description=${quoted(error.description)}`);
    if (error.scope) parameters.push(`scope=${quoted(error.scope)}`);
  }
  parameters.push(`resource_metadata=${quoted(metadataUrl)}`);
  return `Bearer ${parameters.join(', ')}`;
}
