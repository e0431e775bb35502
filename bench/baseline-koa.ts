/**
 * Baseline (e): a bare Koa route shaped like the example product API's `GET /v1/whoami` —
 * same path, same router (@koa/router), a small JSON body of claims — with no verification
 * at all. The gap between it and (c) is the verifier's cost plus the example's own small
 * middlewares. Run as its own process: `PORT=… node baseline-koa.js`.
 */
import { createServer } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';

const port = Number(process.env.PORT ?? 0);

// What whoami answers for a platform JWT, same fields and sizes: the verified claims.
const claims = {
  iss: 'http://127.0.0.1:40000/oauth',
  aud: 'https://strings.tollbooth.example/api',
  sub: '6f1c2a0e-6a0b-4c39-9d55-0f0f1b2c3d4e',
  org_id: '0b8d3c1e-2f4a-4e6b-8c7d-9e0f1a2b3c4d',
  token_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  role: 'member',
  client_id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  jti: 'Xq3v9Jk2LmN8pQr5StU7vWx0YzA1bC4dE6fG8hI9jK0',
  scope: ['strings.read', 'strings.write'],
  exp: 1_795_000_000,
  iat: 1_794_985_600,
};

const router = new Router();
router.get('/v1/whoami', (ctx) => {
  ctx.body = claims;
});
const app = new Koa();
app.use(router.routes()).use(router.allowedMethods());

const server = createServer(app.callback());
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${JSON.stringify(server.address())}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
