// @ts-check
// The one way the browser talks to the management API: JSON in and out, the CSRF header on
// every state change, problem+json errors turned into ApiError.

/**
 * The shapes the management API answers with (docs/api.md), as far as the page reads them.
 * @typedef {object} Token
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {string} service
 * @property {string} role
 * @property {string[]} scopes
 * @property {string} prefix
 * @property {'active' | 'disabled' | 'expired' | 'deleted'} status `deleted` only in the Deleted view.
 * @property {string} created_at
 * @property {string} expires_at
 * @property {string | null} last_used_at
 * @property {string | null} last_used_ip
 * @property {{ id: string, email: string } | null} owner
 * @property {string[]} allowed_ips
 * @property {string | null} rolled_at
 * @property {{ prefix: string, expires_at: string } | null} previous_secret
 * @property {{ at: string | null, by: { id: string, email: string } | null } | null} [disabled] While disabled: when and by whom.
 * @property {{ reason: 'above_owner_role', owner_role: string | null } | null} [suspended] While the exchange refuses it above its owner's role.
 * @property {{ at: string, by: { id: string, email: string } | null, reason: string | null } | null} [deletion] Only on deleted tokens.
 *
 * @typedef {object} Service
 * @property {string} id
 * @property {string} name
 * @property {string[]} scopes
 *
 * @typedef {object} Membership
 * @property {string} id
 * @property {string} slug
 * @property {string} role
 *
 * @typedef {object} Session
 * @property {{ id: string, email: string }} user
 * @property {Membership[]} organizations
 * @property {string} csrf_token
 *
 * @typedef {object} Problem
 * @property {string} [code]
 * @property {string} [detail]
 * @property {number | string} [retry_after]
 * @property {Array<{ field: string, message: string }>} [errors]
 */

/** @type {string | null} */
let csrfToken = null;

/**
 * Remembers the session's CSRF token; every non-GET request carries it as X-CSRF-Token.
 * @param {string} token
 */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** An RFC 9457 problem answered by the API, with its stable `code` and human `detail`. */
export class ApiError extends Error {
  /**
   * @param {number} status The HTTP status, or 0 when the server could not be reached.
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    const detail = problem?.detail || 'Something went wrong. Please try again.';
    super(detail);
    this.status = status;
    this.code = problem?.code ?? 'unknown';
    this.detail = detail;
    /** @type {Problem} */
    this.problem = problem ?? {};
  }
}

/** Sends the browser to the login page, coming back here afterwards. */
export function goToLogin() {
  const next = `${location.pathname}${location.search}`;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/**
 * Calls the API. Resolves with the parsed JSON body (null for 204); rejects with ApiError.
 * `signal` lets a newer search cancel an older one.
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, { body, signal } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network_error', detail: 'Tollbooth could not be reached. Check your connection and try again.' });
  }
  const text = response.status === 204 ? '' : await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * Turns anything thrown into an ApiError, so callers can read `detail` and `status`.
 * @param {unknown} failure
 * @returns {ApiError}
 */
export function asApiError(failure) {
  return failure instanceof ApiError ? failure : new ApiError(0, { detail: String(failure) });
}
