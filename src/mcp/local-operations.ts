import type { DataSource } from 'typeorm';
import { organizationActor, presentServices, presentToken, type BearerIdentity } from '../api/index.js';
import type { AuditContext } from '../audit/index.js';
import type { ServiceCatalog } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import {
  countLiveTokens,
  createPlatformToken,
  deleteToken,
  knownService,
  listTokens,
  setTokenStatus,
  TOKEN_CAP,
  type TokenActor,
} from '../tokens/index.js';
import type { TokenOperations } from './operations.js';

export interface LocalOperationsDependencies {
  dataSource: DataSource;
  services: ServiceCatalog;
  metrics: Pick<Metrics, 'tokensCreated' | 'tokensDeleted'>;
}

/** Who is calling through MCP: the verified JWT, and the request facts the audit keeps. */
export interface McpCaller {
  identity: BearerIdentity;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The tools' operations inside the server: the management API's domain functions with the
 * rules a bearer has there (the JWT's organization only, the lower of the token's and the
 * person's role), audited as made through MCP with the platform token behind the JWT.
 */
export function localTokenOperations({ dataSource, services, metrics }: LocalOperationsDependencies, caller: McpCaller): TokenOperations {
  const { identity } = caller;
  const actorIn = (organization: string): Promise<TokenActor> =>
    organizationActor(dataSource, { kind: 'bearer', userId: identity.userId, identity }, organization);
  const audit: AuditContext = {
    actorUserId: identity.userId,
    ip: caller.ip,
    userAgent: caller.userAgent,
    via: 'mcp',
    credentialTokenId: identity.tokenId,
  };

  return {
    async listServices() {
      return presentServices(services.all).services;
    },

    async listTokens(organization, filters) {
      const actor = await actorIn(organization);
      if (filters.service) knownService(services, filters.service);
      const now = new Date();
      const tokens = await listTokens(dataSource, actor, { ...filters, owner: filters.owner ?? 'me' }, now);
      return {
        tokens: tokens.map((token) => presentToken(token, now)),
        count: await countLiveTokens(dataSource, actor.userId, now),
        limit: TOKEN_CAP,
      };
    },

    async createToken(organization, request) {
      const actor = await actorIn(organization);
      const { token, secret } = await createPlatformToken(dataSource, {
        ...request,
        services,
        userId: actor.userId,
        organizationId: actor.organizationId,
        ceiling: actor.role,
        credential: actor.credential,
        audit,
      });
      metrics.tokensCreated.inc();
      return { token: presentToken(token), secret };
    },

    async deleteToken(organization, tokenId) {
      await deleteToken(dataSource, await actorIn(organization), tokenId, audit);
      metrics.tokensDeleted.inc();
    },

    async setTokenStatus(organization, tokenId, status) {
      return presentToken(await setTokenStatus(dataSource, await actorIn(organization), tokenId, status, audit));
    },
  };
}
