import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';

describe('health on MySQL', () => {
  const server = useServer();
  let client: TestClient;

  beforeAll(() => {
    client = server.client();
  });

  it('answers /healthz while the process is up', async () => {
    const response = await client.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when the database answers', async () => {
    const response = await client.get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', database: 'up' });
  });

  it('gives every response a request id and the security headers', async () => {
    const response = await client.get('/healthz', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await client.get('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A platform token sent as the id by mistake is not echoed back.
    const tokenShaped = `tbp_${'A1b2C3d4E5'.repeat(3)}AbCdEfGh`;
    const replaced = await client.get('/healthz', { headers: { 'x-request-id': tokenShaped } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('applied every migration on start', async () => {
    expect(await server.dataSource.showMigrations()).toBe(false);
  });

  it('answers /readyz 503 once the database is gone', async () => {
    await server.dataSource.destroy();
    const response = await client.get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable', database: 'down' });
  });
});
