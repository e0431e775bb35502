import { z } from 'zod';
import { organizationSlugSchema } from '../accounts/index.js';
import { OrganizationNotFound, RelayedProblem, TokenNotFound, UnexpectedResponse, type TollboothError } from '../errors/index.js';
import { fetchTollbooth, type ExchangedAccessToken } from './access-token.js';
import type { TokenOperations } from './operations.js';

export interface RemoteOperationsOptions {
  tollboothUrl: string;
  accessToken: Pick<ExchangedAccessToken, 'get' | 'invalidate'>;
  userAgent: string;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code']);
const tokenIdSchema = z.uuid();

/** An RFC 9457 problem from the API, as the error the local tools would have thrown. */
async function errorFrom(response: Response): Promise<TollboothError> {
  const problem = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (typeof problem?.code !== 'string') {
    return new UnexpectedResponse(`Tollbooth answered HTTP ${response.status} without a problem document.`);
  }
  const extra = Object.fromEntries(Object.entries(problem).filter(([member]) => !PROBLEM_MEMBERS.has(member)));
  return new RelayedProblem(problem.code, response.status, typeof problem.detail === 'string' ? problem.detail : problem.code, extra);
}

/**
 * Path segments come from an agent: only an organization slug and a token id of the right
 * shape go into a URL, so no argument can steer the call elsewhere (`..`). Anything else gets
 * the answer the API would give.
 */
function organizationSegment(organization: string): string {
  if (!organizationSlugSchema.safeParse(organization).success) {
    throw new OrganizationNotFound(`No organization '${organization}' you belong to.`);
  }
  return organization;
}

function tokenSegment(tokenId: string): string {
  if (!tokenIdSchema.safeParse(tokenId).success) throw new TokenNotFound();
  return tokenId;
}

/**
 * The tools' operations for `tollbooth mcp`: calls to a running Tollbooth's management API
 * with a JWT exchanged from the configured platform token. The server applies every rule and
 * audits each change with the credential and this client's User-Agent.
 */
export function remoteTokenOperations({ tollboothUrl, accessToken, userAgent }: RemoteOperationsOptions): TokenOperations {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const jwt = await accessToken.get();
      const response = await fetchTollbooth(`${tollboothUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${jwt}`,
          accept: 'application/json',
          'user-agent': userAgent,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // A JWT refused before it expired (keys rotated, token re-checked): exchange once more.
      if (response.status === 401 && attempt === 1) {
        accessToken.invalidate(jwt);
        continue;
      }
      if (!response.ok) throw await errorFrom(response);
      return (response.status === 204 ? undefined : await response.json()) as T;
    }
  }
  const tokens = (organization: string, rest = '') => `/api/orgs/${organizationSegment(organization)}/tokens${rest}`;

  return {
    async listServices() {
      return (await call<{ services: Awaited<ReturnType<TokenOperations['listServices']>> }>('GET', '/api/services')).services;
    },
    async listTokens(organization, filters) {
      const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
      return call('GET', tokens(organization, query.size > 0 ? `?${query}` : ''));
    },
    async createToken(organization, request) {
      return call('POST', tokens(organization), request);
    },
    async deleteToken(organization, tokenId) {
      await call('DELETE', tokens(organization, `/${tokenSegment(tokenId)}`));
    },
    async setTokenStatus(organization, tokenId, status) {
      const action = status === 'disabled' ? 'disable' : 'enable';
      return (
        await call<{ token: Awaited<ReturnType<TokenOperations['setTokenStatus']>> }>(
          'POST',
          tokens(organization, `/${tokenSegment(tokenId)}/${action}`),
        )
      ).token;
    },
  };
}
