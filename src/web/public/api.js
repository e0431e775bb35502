// The one way the browser talks to the management API: JSON in and
// out, the CSRF header on every state change, problem+json errors turned into ApiError.

let csrfToken = null;

/** Remembers the session's CSRF token; every non-GET request carries it as X-CSRF-Token. */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** An RFC 9457 problem answered by the API, with its stable `code` and human `detail`. */
export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem?.detail || 'Something went wrong. Please try again.';
    super(detail);
    this.status = status;
    this.code = problem?.code ?? 'unknown';
    this.detail = detail;
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
 */
export async function api(method, path, { body, signal } = {}) {
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
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network_error', detail: 'Tollbooth could not be reached. Check your connection and try again.' });
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
