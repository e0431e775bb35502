import type { Role } from '../accounts/index.js';
import type { PresentedToken } from '../api/index.js';
import type { TokenStatus } from '../tokens/index.js';

/** A service a token can be bound to, as `GET /api/services` shows it. */
export interface ServiceSummary {
  id: string;
  name: string;
  audience: string;
  scopes: string[];
}

export interface TokenListFilters {
  q?: string;
  service?: string;
  status?: TokenStatus;
  owner?: 'me' | 'all';
}

export interface TokenList {
  tokens: PresentedToken[];
  /** The caller's live tokens across organizations: what the cap counts. */
  count: number;
  limit: number;
}

export interface NewTokenRequest {
  name: string;
  service: string;
  role?: Role;
  description?: string;
  /** A non-empty subset of the service's scopes; all of them when absent. */
  scopes?: string[];
}

/**
 * What the MCP tools do, whichever way they reach Tollbooth: in the server process through the
 * domain functions, or from `tollbooth mcp` over the management API. Failures are thrown as
 * `TollboothError`s carrying the API's stable codes.
 */
export interface TokenOperations {
  listServices(): Promise<ServiceSummary[]>;
  listTokens(organization: string, filters: TokenListFilters): Promise<TokenList>;
  createToken(organization: string, request: NewTokenRequest): Promise<{ token: PresentedToken; secret: string }>;
  /** Deletes the token permanently. */
  deleteToken(organization: string, tokenId: string): Promise<void>;
  setTokenStatus(organization: string, tokenId: string, status: 'active' | 'disabled'): Promise<PresentedToken>;
}
