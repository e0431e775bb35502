import { describe, expect, it } from 'vitest';
import { createManagementRouter, openApiDocument } from '../../src/api/index.js';
import { createLimiters } from '../../src/limits/index.js';
import { useServer } from '../support/fixture.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** `/api/orgs/:org/tokens/:id` → `/api/orgs/{org}/tokens/{id}`. */
function openApiPath(routerPath: string): string {
  return routerPath.replace(/:(\w+)/g, '{$1}');
}

describe('the OpenAPI document', () => {
  const fixture = useServer();

  it('documents exactly the routes the router serves, method by method', () => {
    const router = createManagementRouter(fixture.server.runtime, { limiters: createLimiters(fixture.server.runtime) });
    const served = router.stack
      .flatMap((layer) =>
        layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method.toLowerCase()} ${openApiPath(layer.path as string)}`),
      )
      .sort();
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => HTTP_METHODS.includes(key))
          .map((method) => `${method} ${path}`),
      )
      .sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
  });

  it('is served at /api/openapi.json without logging in, as OpenAPI 3.1 whose references all resolve', async () => {
    const response = await fixture.client().get('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expect(response.body.openapi).toBe('3.1.0');
    const references = [...response.text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThan(5);
    for (const name of references) expect(response.body.components.schemas, name).toHaveProperty(name);
    const operationIds = Object.values(response.body.paths).flatMap((item: any) =>
      Object.values(item).map((operation: any) => operation.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('lists exactly the token object fields the API returns', async () => {
    expect(Object.keys(openApiDocument.components.schemas.Token.properties).sort()).toEqual(
      [...openApiDocument.components.schemas.Token.required].sort(),
    );
    expect([...openApiDocument.components.schemas.Token.required].sort()).toEqual([
      'created_at',
      'description',
      'expires_at',
      'id',
      'last_used_at',
      'last_used_ip',
      'name',
      'owner',
      'prefix',
      'role',
      'scopes',
      'service',
      'status',
    ]);
  });
});
