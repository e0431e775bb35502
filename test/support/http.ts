import { request as httpRequest } from 'node:http';

/** The one HTTP client the tests use: a cookie jar, the CSRF token, JSON and form bodies. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string | string[]>;
  /** A raw body sent as is (with the given content type). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Leave out the CSRF header even when the client has a token. */
  withoutCsrf?: boolean;
}

export interface TestClientOptions {
  /**
   * The local address to connect from, e.g. `127.0.0.2` (every 127.0.0.0/8 address is the
   * loopback on Linux), so the server sees a client on another network than 127.0.0.1.
   */
  from?: string;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export class TestClient {
  private cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly options: TestClientOptions = {},
  ) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
      }
      body = params.toString();
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (this.cookies.size > 0 && !Object.keys(headers).some((name) => name.toLowerCase() === 'cookie')) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    if (this.csrfToken && !options.withoutCsrf && !['GET', 'HEAD'].includes(method)) {
      headers['x-csrf-token'] ??= this.csrfToken;
    }
    const response = await this.send(method, new URL(path, this.baseUrl), headers, body);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value.join('=') === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    const { text } = response;
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  /** fetch, or node:http when the client connects from a chosen local address (fetch cannot). */
  private async send(method: string, url: URL, headers: Record<string, string>, body: string | Buffer | undefined): Promise<RawResponse> {
    if (this.options.from === undefined) {
      const payload = typeof body === 'string' || body === undefined ? body : new Uint8Array(body);
      const response = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
      return { status: response.status, headers: response.headers, text: await response.text() };
    }
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(url, { method, headers, localAddress: this.options.from }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const received = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) received.append(name, item);
          }
          resolve({ status: incoming.statusCode!, headers: received, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, json });
  }
  patch<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
  put<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, json });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  /** Logs in through the API and keeps the session cookie and CSRF token. */
  async login(email: string, password: string): Promise<TestResponse> {
    const response = await this.post('/api/session', { email, password });
    if (response.status === 200) this.csrfToken = response.body.csrf_token;
    return response;
  }
}
