import { PLATFORM_SERVICE_ID } from '../config/index.js';
import { TokenExchangeFailed, TollboothUnreachable } from '../errors/index.js';
import { PLATFORM_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../oauth/index.js';

/** Exchange a new JWT this long before the current one expires, so no call carries a dying one. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface ExchangedAccessTokenOptions {
  /** The Tollbooth base URL (its PUBLIC_URL). */
  tollboothUrl: string;
  /** The platform token exchanged for JWTs; sent only to the token endpoint. */
  platformToken: string;
  userAgent: string;
  clock?: () => Date;
}

interface Held {
  jwt: string;
  /** When to exchange again: the expiry less the margin (or half the lifetime, if shorter). */
  refreshAt: number;
}

/** Reaches Tollbooth, or answers as a tool error that says it could not. */
export async function fetchTollbooth(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new TollboothUnreachable(`Cannot reach Tollbooth at ${new URL(url).origin} (${reason}).`);
  }
}

/**
 * A JWT for the management API, kept fresh: the platform token is exchanged at the token
 * endpoint (RFC 8693) on first use and again shortly before the JWT expires, or when the API
 * refuses it. Concurrent callers share one exchange.
 */
export class ExchangedAccessToken {
  readonly #options: ExchangedAccessTokenOptions;
  readonly #clock: () => Date;
  #held: Held | undefined;
  #exchanging: Promise<Held> | undefined;

  constructor(options: ExchangedAccessTokenOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** A JWT valid for a while yet. */
  async get(): Promise<string> {
    const held = this.#held;
    if (held && this.#clock().getTime() < held.refreshAt) return held.jwt;
    this.#exchanging ??= this.#exchange().finally(() => {
      this.#exchanging = undefined;
    });
    return (await this.#exchanging).jwt;
  }

  /** Forgets `jwt` (the API refused it: revoked, or the keys changed), so the next call exchanges. */
  invalidate(jwt: string): void {
    if (this.#held?.jwt === jwt) this.#held = undefined;
  }

  async #exchange(): Promise<Held> {
    const { tollboothUrl, platformToken, userAgent } = this.#options;
    const endpoint = `${tollboothUrl}/oauth/token`;
    const requestedAt = this.#clock().getTime();
    const response = await fetchTollbooth(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': userAgent },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: platformToken,
        subject_token_type: PLATFORM_TOKEN_TYPE,
        // Names the management API: a token for another service is refused with a clear invalid_target.
        audience: PLATFORM_SERVICE_ID,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const error = typeof body.error === 'string' ? body.error : `http_${response.status}`;
      const detail = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
      throw new TokenExchangeFailed(
        `${endpoint} refused TOLLBOOTH_TOKEN (${error}${detail}). It must be a live platform token for the platform service.`,
        error,
      );
    }
    const lifetimeMs = body.expires_in * 1000;
    this.#held = { jwt: body.access_token, refreshAt: requestedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    return this.#held;
  }
}
