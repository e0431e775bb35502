/**
 * The part of oidc-provider 9 Tollbooth uses (the package ships no type declarations).
 * Only src/oauth/provider.ts imports the package.
 */
declare module 'oidc-provider' {
  import type Koa from 'koa';

  export interface ProviderClient {
    readonly clientId: string;
    readonly clientSecret?: string;
    compareClientSecret(presented: string): boolean | Promise<boolean>;
  }

  export interface ProviderOIDCContext {
    readonly params: Record<string, string | string[] | undefined>;
    readonly client: ProviderClient | undefined;
  }

  export type GrantHandler = (ctx: Koa.Context & { oidc: ProviderOIDCContext }) => Promise<void>;

  export class Provider extends Koa {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    /** The Koa context of the request being served (AsyncLocalStorage), if any. */
    static readonly ctx: Koa.Context | undefined;
    readonly Client: { prototype: ProviderClient };
    registerGrantType(name: string, handler: GrantHandler, params?: Iterable<string>, dupes?: Iterable<string>): void;
  }

  export class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    status: number;
    statusCode: number;
    expose: boolean;
    error: string;
    error_description?: string;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
  };

  export default Provider;
}
