import { z } from 'zod';
import { startProductApi } from './api.js';

/** `npm run example:product-api`: the example strings API, configured from the environment. */
const environment = z.object({
  ISSUER_URL: z.url({ protocol: /^https?$/ }),
  AUDIENCE: z.string().min(1),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
});

const parsed = environment.safeParse(process.env);
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  console.error(`product-api: invalid configuration: ${problems.join('; ')}`);
  process.exit(78);
}

const { ISSUER_URL, AUDIENCE, PORT, HOST } = parsed.data;
const api = await startProductApi({ issuerUrl: ISSUER_URL, audience: AUDIENCE, port: PORT, host: HOST });
console.log(`product-api: listening on ${api.url}, trusting tokens from ${ISSUER_URL} for ${AUDIENCE}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
