import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { sample } from '../support/metrics.js';
import type { TestServer } from '../support/server.js';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789';
const EXPORTED = [
  'tollbooth_token_exchanges_total',
  'tollbooth_token_endpoint_duration_seconds',
  'tollbooth_tokens_created_total',
  'tollbooth_tokens_deleted_total',
  'tollbooth_rate_limit_hits_total',
  'tollbooth_db_pool_connections',
];

describe('GET /metrics', () => {
  const server = useServer({ env: { METRICS_TOKEN } });
  let unconfigured: TestServer;

  beforeAll(async () => {
    unconfigured = await server.startInstance();
  });

  const scrape = (authorization = `Bearer ${METRICS_TOKEN}`) => new TestClient(server.url).get('/metrics', { headers: { authorization } });

  async function counters(): Promise<{ created: number; deleted: number }> {
    const response = await scrape();
    expect(response.status).toBe(200);
    return {
      created: sample(response.text, 'tollbooth_tokens_created_total')!,
      deleted: sample(response.text, 'tollbooth_tokens_deleted_total')!,
    };
  }

  it('is 404 when no METRICS_TOKEN is configured, with or without a bearer', async () => {
    const client = new TestClient(unconfigured.url);
    expect((await client.get('/metrics')).status).toBe(404);
    const guessed = await client.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(guessed.status).toBe(404);
    expect(guessed.text).not.toContain('tollbooth_');
  });

  it.each([
    ['no Authorization header', ''],
    ['a wrong bearer of the same length', `Bearer ${METRICS_TOKEN.slice(0, -1)}x`],
    ['a longer bearer', `Bearer ${METRICS_TOKEN}x`],
    ['an empty bearer', 'Bearer '],
    ['the token in HTTP Basic', `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`],
    ['the token without a scheme', METRICS_TOKEN],
  ])('is 401 with %s, and shows nothing', async (_case, authorization) => {
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(response.text).not.toContain('tollbooth_');
  });

  it('answers the right bearer with Prometheus text listing every Tollbooth metric', async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    for (const name of EXPORTED) expect(response.text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    // prom-client's process and Node.js metrics, under Tollbooth's prefix.
    expect(response.text).toMatch(/^tollbooth_process_cpu_seconds_total \d/m);
    // The pool gauge reads the live MySQL pool: the server holds at least one connection.
    expect(sample(response.text, 'tollbooth_db_pool_connections', '{state="open"}')).toBeGreaterThanOrEqual(1);
    for (const state of ['idle', 'busy', 'waiting'])
      expect(sample(response.text, 'tollbooth_db_pool_connections', `{state="${state}"}`), state).toBeGreaterThanOrEqual(0);
  });

  it('counts exactly the tokens created and deleted through the API', async () => {
    const user = await buildUser(server.dataSource, { organization: 'metrics-org', role: 'admin' });
    const client = await loggedInClient(server, user);
    const before = await counters();

    const ids: string[] = [];
    for (const name of ['one', 'two', 'three', 'four']) {
      const created = await client.post(tokensPath('metrics-org'), { name, service: 'strings' });
      expect(created.status).toBe(201);
      ids.push(created.body.token.id);
    }
    // Refusals create nothing and count nothing.
    expectProblem(await client.post(tokensPath('metrics-org'), { name: 'bad', service: 'nope' }), 400, 'unknown_service');
    expectProblem(await client.post(tokensPath('metrics-org'), { name: '', service: 'strings' }), 400, 'invalid_request');
    expect(await counters()).toEqual({ created: before.created + 4, deleted: before.deleted });

    expect((await client.delete(tokensPath('metrics-org', `/${ids[0]}`))).status).toBe(204);
    expectProblem(await client.delete(tokensPath('metrics-org', `/${ids[0]}`)), 404, 'token_not_found');
    // Bulk: two deleted; an unknown id, an already deleted one and a repeat count nothing.
    const bulk = await client.post(tokensPath('metrics-org', '/delete'), { ids: [ids[1], ids[2], ids[2], ids[0], randomUUID()] });
    expect(bulk.body.deleted).toEqual([ids[1], ids[2]]);
    const nothing = await client.post(tokensPath('metrics-org', '/delete'), { ids: [randomUUID()] });
    expect(nothing.body.deleted).toEqual([]);

    expect(await counters()).toEqual({ created: before.created + 4, deleted: before.deleted + 3 });
  });
});
