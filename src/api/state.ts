import type { Role } from '../accounts/index.js';
import type { AppState } from '../http/index.js';

/** What a verified Tollbooth JWT for the `platform` service says about its caller. */
export interface BearerIdentity {
  userId: string;
  organizationId: string;
  role: Role;
  /** The platform token the JWT was exchanged for. */
  tokenId: string;
  scopes: string[];
}

/** Verifies a JWT presented as `Authorization: Bearer`; null when it is not valid. */
export type AuthenticateBearer = (jwt: string) => Promise<BearerIdentity | null>;

/** Who is calling: a browser session (cookie + CSRF) or a bearer JWT bound to one organization. */
export type Principal = { kind: 'session'; userId: string } | { kind: 'bearer'; userId: string; identity: BearerIdentity };

export interface ApiState extends AppState {
  principal?: Principal;
}
